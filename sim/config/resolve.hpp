// Step 2 of a run: the validated scenario message becomes the plain, canonical
// structs of sim/scenario/scenario.hpp, once. Each site's kind module turns its
// own schema message into its parameters (sim/kinds/).
#pragma once

#include <string>

#include "sim/scenario/scenario.hpp"

namespace scsim {
class Scenario;
class Site;
}  // namespace scsim
namespace google::protobuf {
class Message;
}
namespace scsim::kinds {
class Kind;
}

namespace scsim::config {

// Precondition: the message passed field-level validation (names resolve, every site has a kind, dates
// parse). Sites come out in topological order of lanes and release gates with ties broken by name (a cycle
// is entered at its smallest name), lanes ordered by (source, destination, name): nothing depends on the
// order of the file. BOM lines naming the same input are merged (quantities added).
scenario::Scenario resolve(const scsim::Scenario& message);

// A site's kind module and its own message (the member of Site's `kind` oneof that is set); kind and message
// are null when none is set or no module is registered under that name.
struct KindOf {
  const kinds::Kind* kind = nullptr;
  const google::protobuf::Message* message = nullptr;
  std::string name;  // the oneof member's name, "" when none is set
};
KindOf kind_of(const scsim::Site& site);

}  // namespace scsim::config
