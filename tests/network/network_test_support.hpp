// Shared helpers for the network tests: scenario files from this folder, problem matching.
#pragma once

#include <google/protobuf/text_format.h>

#include <catch2/catch.hpp>
#include <fstream>
#include <sstream>
#include <string>

#include "sim/config/problem.hpp"
#include "sim/config/scenario.pb.h"

namespace scsim::network::testing {

// Parses a .textproto from tests/network/ (the folder is compiled in as SCSIM_NETWORK_TEST_DIR).
inline scsim::Scenario load(const std::string& file) {
  std::ifstream in(std::string(SCSIM_NETWORK_TEST_DIR) + "/" + file);
  REQUIRE(in.good());
  std::stringstream text;
  text << in.rdbuf();
  scsim::Scenario scenario;
  REQUIRE(google::protobuf::TextFormat::ParseFromString(text.str(), &scenario));
  return scenario;
}

// Parses scenario text given inline (fragments appended to a loaded scenario, etc.).
inline scsim::Scenario parse(const std::string& text) {
  scsim::Scenario scenario;
  REQUIRE(google::protobuf::TextFormat::ParseFromString(text, &scenario));
  return scenario;
}

// Merges text-format fields into an existing scenario (repeated fields are appended).
inline void add(scsim::Scenario& scenario, const std::string& text) {
  scenario.MergeFrom(parse(text));
}

// One line per problem, for failure messages.
inline std::string listing(const config::Problems& problems) {
  std::string out;
  for (const auto& p : problems) out += p.path + ": " + p.message + "\n";
  return out;
}

}  // namespace scsim::network::testing
