// Catch2's main, compiled once into its own library so test builds stay fast.
#define CATCH_CONFIG_MAIN
#include <catch2/catch.hpp>
