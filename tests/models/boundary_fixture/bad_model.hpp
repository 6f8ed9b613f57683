// Fixture for the models_boundary_detects_violation test: this include must be reported.
#pragma once

#include <vector>
#include <simgrid/s4u.hpp>
