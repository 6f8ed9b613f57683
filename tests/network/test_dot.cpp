// to_dot(): verbatim output on a two-site graph, and a gate edge.
#include <catch2/catch.hpp>

#include "models/distribution.hpp"
#include "network_test_support.hpp"
#include "sim/network/supply_network.hpp"

using scsim::network::to_dot;
using namespace scsim::network::testing;

TEST_CASE("network: to_dot on a two-site graph", "[network][dot]") {
  const auto scenario = parse(R"(
    products { name: "die" }
    sites { name: "fab" company: "TSMC" product: "die" foundry {} }
    sites { name: "dc" company: "Acme" product: "die" datacenter {} }
    lanes { from: "fab" to: "dc" product: "die" mode: AIR transit_days { fixed: 5 } }
  )");
  // The transit text comes from models::describe, whose exact form is that module's business.
  const std::string transit = scsim::models::describe(scsim::models::Fixed{5});
  CHECK(to_dot(scenario) ==
        "digraph supply {\n"
        "  rankdir=LR;\n"
        "  node [shape=box];\n"
        "  \"fab\" [label=\"fab\\nTSMC · foundry\"];\n"
        "  \"dc\" [label=\"dc\\nAcme · datacenter\"];\n"
        "  \"fab\" -> \"dc\" [label=\"die\\nair · " +
            transit +
            " d\"];\n"
            "}\n");
}

TEST_CASE("network: to_dot draws release gates dashed, after the lanes", "[network][dot]") {
  const auto dot = to_dot(load("dual_source.textproto"));
  CHECK(dot.find("  \"arm\" [label=\"arm\\ndesign\"];\n") != std::string::npos);  // no company
  CHECK(dot.find("  \"arm\" -> \"fab_a\" [style=dashed, label=\"release gate\"];\n") != std::string::npos);
  const std::string port = scsim::models::describe(scsim::models::Fixed{60});
  CHECK(dot.find("  \"arm\" -> \"fab_b\" [style=dashed, label=\"release gate\\nport " + port + " d\"];\n") !=
        std::string::npos);
  CHECK(dot.rfind("\"pkg\" -> \"dc\"") < dot.find("release gate"));
  CHECK(dot == to_dot(load("dual_source.textproto")));
}
