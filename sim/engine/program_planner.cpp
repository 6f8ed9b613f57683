#include "sim/engine/program_planner.hpp"

#include <algorithm>
#include <cmath>

namespace scsim::engine {

ProgramPlanner::ProgramPlanner(PlanInputs inputs) : in_(std::move(inputs)), state_(in_.lanes.size()) {
  committed_by_year_.assign(in_.years.ends.size(), 0.0);
}

double ProgramPlanner::affordable(double now, double units) {
  const auto& b = in_.budget;
  if (!b.any() || !(in_.cost_per_accelerator > 0) || units <= 0) return units;
  const double cost = in_.cost_per_accelerator;
  double fits = units;
  bool year_bound = false;
  if (b.total_usd) fits = std::min(fits, std::floor((*b.total_usd - in_.fixed_total - committed_total_) / cost));
  const std::size_t year = in_.years.ends.empty() ? 0 : in_.years.index(now);
  if (b.per_year_usd && !in_.years.ends.empty()) {
    const double room = *b.per_year_usd - in_.fixed_by_year[year] - committed_by_year_[year];
    const double year_fits = std::floor(room / cost);
    if (year_fits < fits) {
      fits = year_fits;
      year_bound = true;
    }
  }
  fits = std::clamp(fits, 0.0, units);
  if (fits < units) {
    if (budget_.bound_day < 0) budget_.bound_day = now;
    // A year's cap defers (the next year's budget may take it) unless the rule cuts; the total cap always cuts.
    if (year_bound && b.rule == scenario::Budget::Rule::kDefer) {
      held_ += units - fits;
    } else {
      budget_.cut_units += units - fits;
      in_.target_units -= units - fits;
    }
  }
  committed_total_ += fits * cost;
  if (!committed_by_year_.empty()) committed_by_year_[year] += fits * cost;
  return fits;
}

double ProgramPlanner::supply(double day) const { return supply_at(day, in_.supply_per_week); }

double ProgramPlanner::supply_at(double day, double per_week) const {
  // Rough-cut capacity: nothing before the first expected delivery, then the rate, ramping linearly from
  // ramp_start_fraction over ramp_days.
  const double t = day - in_.first_arrival_day;
  if (!(t > 0) || !(per_week > 0)) return 0.0;
  if (std::isinf(per_week)) return scenario::kNever;
  const double rate = per_week / scenario::kWeek;
  const double r = in_.ramp_days, f = in_.ramp_start_fraction;
  if (r <= 0) return rate * t;
  if (t < r) return rate * (f * t + (1 - f) * t * t / (2 * r));
  return rate * (f * r + (1 - f) * r / 2 + (t - r));
}

double ProgramPlanner::plan(double day) const {
  double slots = 0;
  for (const auto& [ready, count] : in_.slots)
    if (ready <= day) slots += count;
  if (in_.slots.empty()) slots = scenario::kNever;
  return std::max(0.0, std::min({in_.target_units, slots, supply(day)}));
}

void ProgramPlanner::delivered(int lane, double units, double now) {
  last_delivery_ = now;
  delivered_total_ += units;
  for (std::size_t j = 0; j < in_.lanes.size(); ++j)
    if (in_.lanes[j].lane == lane) state_[j].delivered += units;
}

std::vector<ProgramPlanner::Placed> ProgramPlanner::review(double now) {
  std::vector<Placed> out;
  held_ = 0;
  const auto& p = in_.program;
  const double ahead = p.policy == scenario::Program::Policy::kBuildAhead ? p.weeks_of_supply * scenario::kWeek : 0.0;
  for (std::size_t j = 0; j < in_.lanes.size(); ++j) {
    auto& s = state_[j];
    const double fence = now + in_.lanes[j].lead_days + p.review_days;
    // A lane's share of the plan, but never ahead of what the chain behind it can supply (rough-cut per path).
    const double want = std::min(in_.lanes[j].share * plan(fence + ahead),
                                 supply_at(fence + ahead, in_.lanes[j].capacity_per_week)) +
                        s.moved_in - s.moved_out;
    const double units = affordable(now, std::floor(want - s.placed));
    if (units >= 1) {
      out.push_back({j, units, fence});
      s.placed += units;
      s.due.emplace_back(fence, units);
    }
  }
  budget_.deferred_units = std::max(budget_.deferred_units, held_);
  // Orders continue until the target is delivered: once the plan is all ordered, every order is more than
  // late_grace_days past due and nothing has arrived for as long, what is still missing (lost to yields, scrap
  // or rounding) is ordered again. (A closure that only delays deliveries ends before that.)
  double placed = 0, last_due = 0;
  for (const auto& s : state_) {
    placed += s.placed;
    for (const auto& [day, units] : s.due) last_due = std::max(last_due, day);
  }
  if (!in_.lanes.empty() && placed >= in_.target_units - 0.5 && delivered_total_ > 0 &&
      now - last_due >= p.late_grace_days &&
      delivered_total_ < in_.target_units && now - last_delivery_ >= p.late_grace_days &&
      now - last_top_up_ >= p.late_grace_days) {
    std::size_t main = 0;
    for (std::size_t j = 1; j < in_.lanes.size(); ++j)
      if (in_.lanes[j].share > in_.lanes[main].share) main = j;
    const double units = affordable(now, std::ceil(in_.target_units - delivered_total_));
    if (units >= 1) out.push_back({main, units, now + in_.lanes[main].lead_days});
    state_[main].placed += std::max(0.0, units);
    state_[main].moved_in += std::max(0.0, units);
    last_top_up_ = now;
  }
  if (p.rebalance != scenario::Program::Rebalance::kShiftLateOrders || in_.lanes.size() < 2) return out;
  for (std::size_t i = 0; i < in_.lanes.size(); ++i) {
    auto& late_lane = state_[i];
    // Late: due more than the grace ago and not delivered (deliveries count against the oldest orders).
    double due = 0;
    for (const auto& [day, units] : late_lane.due)
      if (day <= now - p.late_grace_days) due += units;
    double late = std::floor(due - late_lane.delivered);
    for (std::size_t j = 0; j < in_.lanes.size() && late >= 1; ++j) {
      if (j == i) continue;
      auto& other = state_[j];
      const double spare = in_.lanes[j].capacity_per_week * in_.lanes[j].lead_days / scenario::kWeek -
                           (other.placed - other.delivered);
      const double move = std::floor(std::min(late, spare));
      if (move < 1) continue;
      const double due_there = now + in_.lanes[j].lead_days;
      out.push_back({i, -move, now});
      out.push_back({j, move, due_there});
      late -= move;
      late_lane.placed -= move;
      late_lane.moved_out += move;
      other.placed += move;
      other.moved_in += move;
      other.due.emplace_back(due_there, move);
      // The moved units are no longer this lane's: take them off its oldest open orders.
      double left = move;
      for (auto& [day, units] : late_lane.due) {
        const double take = std::min(left, units);
        units -= take;
        left -= take;
        if (left <= 0) break;
      }
    }
  }
  return out;
}

}  // namespace scsim::engine
