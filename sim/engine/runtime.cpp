// One replication on SimGrid: an actor per loop of sites, which owns those
// sites' processes and handles their events at their own times.
//
// Under a program every lane carries orders back up with a delay of its own
// (`order_days`, 1 day by default), so the sites that exchange material and
// orders form loops whose lookahead is a day or less. An actor per site had to
// hand control to its neighbours at least once per simulated day: measured, a
// third of a replication went to those SimGrid wake-ups. The sites of a loop
// (a strongly connected component of the network, network::sync_plan) are
// therefore run by one actor, which always handles the earliest pending event
// of its sites, earliest by (time, rank): the rank orders the senders of
// zero-delay edges first. Each site thus sees its events in exactly the order
// it would with an actor of its own under the window rule below (every event
// for a site at time t is sent by an event before t, or at t by a site of
// lower rank), so results are the same; a test checks them byte for byte
// against `run_sequential`.
//
// Between loops the edges are acyclic and advance in conservative time
// windows of W days (13 weeks): an actor handles window k once every actor
// sending to it has finished window k, so everything they send for window k
// is in its heaps by then and nothing ever arrives in a receiver's past;
// results do not depend on W. SimGrid keeps the clock: an actor sleeps until
// the start of the next window in which it has work, and condition variables
// wake it when a sender finishes a window. Events between sites are handed
// over directly into the receiver's event heap (actors run one at a time);
// SimGrid mailbox communications cost a context switch per event (1/20 of the
// bare event loop when measured), so they are not used.
#include "sim/engine/runtime.hpp"

#include <fmt/format.h>
#include <malloc.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <limits>
#include <memory>
#include <simgrid/s4u.hpp>
#include <stdexcept>

#include "sim/engine/replication_setup.hpp"
#include "sim/results/results.pb.h"

namespace sg4 = simgrid::s4u;

namespace scsim::engine {

namespace {

// 13 weeks. Results do not depend on W; time and memory do. Each window costs every actor a SimGrid wake-up,
// and a receiver holds what its senders send within a window: with 7-day windows a generated 1,000-site network
// (1,000 loops) took 3.1-3.6 s for 6 replications, with 91-day windows 1.9-2.1 s at the same peak memory
// (114-119 MB); a whole horizon as one window took 1.6-1.8 s but 190 MB. A TSMC replication (two loops) runs
// 2% fewer instructions than with 7-day windows.
constexpr double kDefaultWindowDays = 91.0;
constexpr long kEnd = std::numeric_limits<long>::max();
constexpr double kNone = std::numeric_limits<double>::infinity();
constexpr std::uint64_t kNoneSortable = sortable_bits(kNone);

// A heap's next time as sortable bits, kNoneSortable when it has no event.
std::uint64_t next_sortable(const EventHeap& heap) { return heap.empty() ? kNoneSortable : heap.next_sortable(); }

// Which heap of a loop has the earliest next event, by (time, rank): a tournament tree over the loop's heaps,
// updated in O(log heaps) when a heap's next event changes. The heaps are in rank order, so a node holds one
// 128-bit key, the time's sortable bits and the heap's place, and a match is a branch-free minimum. A loop's
// sites share one heap unless there are too many for the key's bits (EventHeap::max_members), so the tree
// usually has a single leaf.
class NextHeap {
 public:
  // `heaps` (indices into the replication's heaps) in rank order.
  explicit NextHeap(std::vector<std::size_t> heaps) : heaps_(std::move(heaps)) {
    while (leaves_ < heaps_.size()) leaves_ *= 2;
    tree_.assign(2 * leaves_, 0);
    for (std::size_t k = 0; k < leaves_; ++k) tree_[leaves_ + k] = key(kNoneSortable, k);
    for (std::size_t node = leaves_; node-- > 1;) tree_[node] = std::min(tree_[2 * node], tree_[2 * node + 1]);
  }
  const std::vector<std::size_t>& heaps() const { return heaps_; }
  // Heap k's next event is now at the time whose sortable_bits are `sortable` (kNoneSortable: it has none), as
  // an event heap's keys hold it: converting to a double and back for every event took 2% of a run.
  void set_sortable(std::size_t k, std::uint64_t sortable) {
    std::size_t node = leaves_ + k;
    Key best = key(sortable, k);
    tree_[node] = best;
    // The winner climbs in a register and only the sibling is read: reading back the node just stored, a
    // 16-byte load over two 8-byte stores, stalled store-to-load forwarding at every level (5% of a run).
    for (; node > 1; node /= 2) {
      best = std::min(best, tree_[node ^ 1]);
      Key& parent = tree_[node / 2];
      if (best == parent) break;  // the winners above are unchanged
      parent = best;
    }
  }
  std::size_t first() const { return static_cast<std::size_t>(tree_[1] & 0xffffffffu); }
  double first_time() const { return time_of(tree_[1]); }
  std::uint64_t first_sortable() const { return static_cast<std::uint64_t>(tree_[1] >> 64); }

 private:
  using Key = TimeKey;  // the time, then the heap's place
  static Key key(std::uint64_t sortable, std::size_t k) { return (static_cast<Key>(sortable) << 64) | k; }

  std::vector<std::size_t> heaps_;
  std::size_t leaves_ = 1;
  std::vector<Key> tree_;  // [1] the root; [leaves_ + k] heap k; a node holds its subtree's smallest key
};

struct LoopSync {
  sg4::MutexPtr mutex = sg4::Mutex::create();
  sg4::ConditionVariablePtr cv = sg4::ConditionVariable::create();
  long done_window = -1;  // every event before (done_window + 1) × W is handled
  bool waiting = false;
  std::vector<std::size_t> senders, receivers;  // other loops
};

class Replication final : public Outbox {
 public:
  Replication(const scenario::Scenario& scenario, const network::Analysis& analysis, int replication,
              const RuntimeOptions& options, double start)
      : scenario_(scenario), horizon_(scenario.horizon_days), start_(start), max_events_(options.max_events) {
    processes_ = make_processes(scenario, analysis, replication);
    const auto plan = network::sync_plan(scenario);
    // One actor per component, in order of their smallest site; its sites in rank order.
    std::vector<int> loop_of_component(processes_.size(), -1);
    std::vector<std::vector<std::size_t>> members;
    loop_of_.resize(processes_.size());
    for (std::size_t i = 0; i < processes_.size(); ++i) {
      auto& loop = loop_of_component[static_cast<std::size_t>(plan.component[i])];
      if (loop < 0) {
        loop = static_cast<int>(members.size());
        members.emplace_back();
      }
      loop_of_[i] = static_cast<std::size_t>(loop);
      members[static_cast<std::size_t>(loop)].push_back(i);
    }
    // The sites of a loop share one event heap, which keys each event with its site's place (member) in rank
    // order: the heap's order is then (time, rank, the site's own key), the loop's order, and handling an event
    // costs no tournament among the sites' heaps (TSMC -r 20, callgrind: 911.0M -> 894.6M instructions, ~3% of
    // the wall time). A loop with more sites than the key has bits for is split into heaps of consecutive ranks.
    const unsigned source_bits = static_cast<unsigned>(std::bit_width(processes_.size() - 1));
    const std::size_t fits = EventHeap::max_members(source_bits);
    const std::size_t per_heap = options.sites_per_heap > 0 ? std::min(options.sites_per_heap, fits) : fits;
    heap_of_.resize(processes_.size());
    for (auto& sites : members) {
      std::sort(sites.begin(), sites.end(), [&](std::size_t a, std::size_t b) { return plan.rank[a] < plan.rank[b]; });
      std::vector<std::size_t> heaps;
      for (std::size_t k = 0; k < sites.size(); ++k) {
        if (k % per_heap == 0) {
          heaps.push_back(heaps_.size());
          heaps_.push_back({std::make_unique<EventHeap>(), {}, next_.size(), heaps.size() - 1});
          heaps_.back().heap->share(source_bits, std::min(per_heap, sites.size() - k));
        }
        auto& shared = heaps_.back();
        heap_of_[sites[k]] = heaps.back();
        processes_[sites[k]]->share_heap(*shared.heap, static_cast<std::uint32_t>(shared.sites.size()));
        shared.sites.push_back(sites[k]);
      }
      next_.emplace_back(std::move(heaps));
      sync_.push_back(std::make_unique<LoopSync>());
    }
    for (std::size_t h = 0; h < heaps_.size(); ++h) refresh(h);
    for (const auto& edge : plan.edges) {
      const auto from = loop_of_[static_cast<std::size_t>(edge.from)], to = loop_of_[static_cast<std::size_t>(edge.to)];
      if (from == to) continue;
      auto add = [](std::vector<std::size_t>& list, std::size_t loop) {
        if (std::find(list.begin(), list.end(), loop) == list.end()) list.push_back(loop);
      };
      add(sync_[to]->senders, from);
      add(sync_[from]->receivers, to);
    }
    window_ = options.window_days > 0 ? options.window_days : kDefaultWindowDays;
    last_window_ = static_cast<long>(std::ceil(horizon_ / window_)) - 1;
  }

  void send(int site, Event&& event) override {
    // The receiver handles it in its own window: the window rule makes sure that has not passed yet.
    const auto i = static_cast<std::size_t>(site);
    auto& process = *processes_[i];
    if (process.heap().push(std::move(event), process.member())) refresh(heap_of_[i]);
  }

  // The body of loop l's actor.
  void run_loop(std::size_t l) {
    auto& next = next_[l];
    auto& sync = *sync_[l];
    std::unique_lock lock(*sync.mutex);
    long window = 0;
    for (;;) {
      for (std::size_t sender : sync.senders)
        while (!stopped_ && sync_[sender]->done_window < window) {
          sync.waiting = true;
          sync.cv->wait(lock);
          sync.waiting = false;
        }
      if (stopped_) return;  // another loop failed (fail): end without touching the sites
      const double end = std::min(static_cast<double>(window + 1) * window_, horizon_);
      // Sortable bits order as the times do: first_time() < end, without converting back for every event.
      const std::uint64_t end_sortable = sortable_bits(end);
      while (next.first_sortable() < end_sortable) {
        const std::size_t k = next.first();  // the heap's place in this loop: refreshed without looking it up
        const SharedHeap& shared = heaps_[next.heaps()[k]];
        EventHeap& heap = *shared.heap;
        const std::size_t i = shared.sites[heap.next_member()];
        current_site_ = i;
        if (--events_left_ < 0) {
          // Stops the replication like a failing site (run_replication throws the message) without unwinding
          // an actor's stack, which AddressSanitizer misreads under SimGrid's context switching.
          fail(fmt::format("stopped after {} events, the budget of one replication (--max-events); shorten the "
                           "horizon, lower the release rates or raise --max-events",
                           max_events_));
          return;
        }
        auto& process = *processes_[i];
        const std::uint32_t slot = heap.take();
        process.handle(heap.at(slot), *this);
        heap.release(slot);
        next.set_sortable(k, next_sortable(heap));
      }
      if (window >= last_window_) break;
      // Skip windows in which nothing can happen here: no own events, and the
      // senders have nothing for us before they finish later windows.
      long skip_to = next.first_time() == kNone ? kEnd : static_cast<long>(std::floor(next.first_time() / window_));
      for (std::size_t sender : sync.senders) {
        const long done = sync_[sender]->done_window;
        skip_to = std::min(skip_to, done == kEnd ? kEnd : done + 1);
      }
      skip_to = std::max(skip_to, window + 1);
      if (skip_to > last_window_) break;
      finish_window(sync, skip_to - 1);
      sg4::this_actor::sleep_until(start_ + static_cast<double>(skip_to) * window_);
      if (stopped_) return;
      window = skip_to;
    }
    finish_window(sync, kEnd);
  }

  // The site whose event is being handled (for error messages).
  const std::string& current_site() const { return scenario_.sites[current_site_].name; }

  // Stops the replication: the failing loop returns, and every other one returns where it next waits or wakes.
  // Not Actor::kill_all: a loop killed while waiting on its condition variable unwound into the lock it no
  // longer held, and SimGrid's exception from that unlock, thrown during unwinding, aborted the worker (mutation
  // campaign: a plan review every 1e-6 days ran into --max-events while a sender loop waited).
  void fail(const std::string& what) {
    if (error_.empty()) error_ = fmt::format("site '{}' failed: {}", current_site(), what);
    stopped_ = true;
    for (const auto& sync : sync_)
      if (sync->waiting) sync->cv->notify_all();
  }

  scsim::ReplicationResult result(int replication) { return collect_result(processes_, scenario_, replication); }

  std::size_t loops() const { return next_.size(); }
  // The actor's name: its site, or its first site and how many more.
  std::string loop_name(std::size_t l) const {
    std::size_t sites = 0;
    for (const std::size_t h : next_[l].heaps()) sites += heaps_[h].sites.size();
    const auto& first = scenario_.sites[heaps_[next_[l].heaps().front()].sites.front()].name;
    return sites == 1 ? first : fmt::format("{} and {} more", first, sites - 1);
  }
  const std::string& error() const { return error_; }

 private:
  // Heap h's next event may have changed: tell its loop.
  void refresh(std::size_t h) {
    const auto& shared = heaps_[h];
    next_[shared.loop].set_sortable(shared.place, next_sortable(*shared.heap));
  }

  void finish_window(LoopSync& sync, long window) {
    sync.done_window = window;
    for (std::size_t r : sync.receivers)
      if (sync_[r]->waiting) sync_[r]->cv->notify_all();
  }

  const scenario::Scenario& scenario_;
  double horizon_;
  double start_;  // the SimGrid clock when this replication began (day 0)
  double window_ = kDefaultWindowDays;
  long last_window_ = 0;
  std::int64_t max_events_ = 0;  // budget (0: none)
  // Events the budget still allows (a countdown: one decrement and test per event).
  std::int64_t events_left_ = max_events_ > 0 ? max_events_ : std::numeric_limits<std::int64_t>::max();
  bool stopped_ = false;                       // a loop failed: the others end at their next wait
  std::vector<std::unique_ptr<SiteProcess>> processes_;
  // The event heaps: one per loop, or more for a loop with more sites than a heap's key has bits for.
  struct SharedHeap {
    std::unique_ptr<EventHeap> heap;  // the sites hold a pointer: it must not move
    std::vector<std::size_t> sites;   // by member number, in rank order
    std::size_t loop = 0;
    std::size_t place = 0;  // among its loop's heaps (NextHeap)
  };
  std::vector<SharedHeap> heaps_;
  std::vector<std::size_t> loop_of_, heap_of_;  // per site: its loop, its heap
  std::vector<NextHeap> next_;                  // per loop
  std::vector<std::unique_ptr<LoopSync>> sync_;  // per loop
  std::size_t current_site_ = 0;
  std::string error_;
};

}  // namespace

namespace {

// SimGrid allows one engine per process and does not reset its clock, so the engine and its platform are made
// once and kept: a worker process runs replication after replication on it, each from the clock where the last
// one ended (its windows are offset by that start, which only shifts when actors wake).
struct EngineState {
  sg4::Engine* engine = nullptr;
  sg4::Host* host = nullptr;
  bool deadlocked = false;
};

EngineState& engine_state(const RuntimeOptions& options) {
  static EngineState state;
  if (state.engine != nullptr) return state;
  // Each actor's stack (SimGrid's default 8 MiB) is one allocation; once glibc has freed such a block its
  // dynamic threshold would serve the next ones from the heap, where the pages each replication's stacks touch
  // stay resident: a worker running replication after replication of a 1,000-site network grew by ~45 MB
  // each. A fixed threshold keeps big blocks in their own mappings, returned when freed.
  mallopt(M_MMAP_THRESHOLD, 1 << 20);
  // Setting that threshold also freezes glibc's trim threshold at 128 KiB: the heap memory a replication frees
  // at its end went back to the system and the next replication faulted it in again, page by page (~3% of a
  // worker's time). Keep up to 64 MiB of freed heap for the next replication instead.
  mallopt(M_TRIM_THRESHOLD, 64 << 20);
  // SimGrid reads its settings from argv; keep it silent unless asked.
  static std::vector<std::string> args{
      "scsim", "--log=root.thresh:" + std::string(options.simgrid_log.empty() ? "critical" : "info"),
      "--cfg=contexts/factory:raw"};
  if (!options.simgrid_log.empty()) args.push_back("--log=" + options.simgrid_log);
  static std::vector<char*> argv;
  for (auto& arg : args) argv.push_back(arg.data());
  static int argc = static_cast<int>(argv.size());
  state.engine = new sg4::Engine(&argc, argv.data());  // never destroyed: one engine per process
  sg4::Engine::on_deadlock_cb([] { state.deadlocked = true; });
  // The platform: one host that runs every site's actor. Transit times are modelled by the lanes (exact), not
  // by SimGrid network communications, and actors only sleep, so hosts carry no meaning.
  auto* zone = sg4::create_full_zone("supply_network");
  state.host = zone->create_host("supply_network", 1e9);
  zone->seal();
  return state;
}

}  // namespace

scsim::ReplicationResult run_replication(const scenario::Scenario& scenario, const network::Analysis& analysis,
                                         int replication, const RuntimeOptions& options) {
  auto& state = engine_state(options);
  state.deadlocked = false;
  const double start = sg4::Engine::get_clock();

  Replication run(scenario, analysis, replication, options, start);
  for (std::size_t l = 0; l < run.loops(); ++l) {
    sg4::Actor::create(run.loop_name(l), state.host, [&run, l] {
      try {
        run.run_loop(l);
      } catch (const simgrid::ForcefulKillException&) {
        throw;  // SimGrid's own unwinding when an actor is killed
      } catch (const std::exception& error) {
        run.fail(error.what());
      }
    });
  }
  state.engine->run();
  if (!run.error().empty()) throw std::runtime_error(run.error());
  if (state.deadlocked)
    throw std::runtime_error(
        fmt::format("simulation deadlocked at day {:.2f}", sg4::Engine::get_clock() - start));
  return run.result(replication);
}

}  // namespace scsim::engine
