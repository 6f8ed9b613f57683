// Everything the engine collects while it runs (see tally.hpp and series.hpp).
#pragma once

#include "sim/stats/series.hpp"
#include "sim/stats/tally.hpp"
