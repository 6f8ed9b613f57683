// Step 2 of a run: the validated scenario message becomes the plain, canonical
// structs of sim/scenario/scenario.hpp, once. Each site's kind module turns its
// own schema message into its parameters (sim/kinds/).
#pragma once

#include "sim/scenario/scenario.hpp"

namespace scsim {
class Scenario;
}

namespace scsim::config {

// Precondition: the message passed field-level validation (names resolve, every site has a kind, dates
// parse). Sites come out in topological order of lanes and release gates with ties broken by name (a cycle
// is entered at its smallest name), lanes ordered by (source, destination, name): nothing depends on the
// order of the file. BOM lines naming the same input are merged (quantities added).
scenario::Scenario resolve(const scsim::Scenario& message);

}  // namespace scsim::config
