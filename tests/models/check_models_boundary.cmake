# Fails if any file under DIR includes SimGrid or protobuf headers, naming each
# file and line. Keeps models/ plain C++ so it stays testable and reusable.
# Usage: cmake -DDIR=<directory> -P check_models_boundary.cmake
if(NOT DEFINED DIR OR NOT IS_DIRECTORY "${DIR}")
  message(FATAL_ERROR "check_models_boundary: DIR '${DIR}' is not a directory")
endif()

file(GLOB_RECURSE files LIST_DIRECTORIES false "${DIR}/*")
if(NOT files)
  message(FATAL_ERROR "check_models_boundary: no files under '${DIR}'")
endif()

set(violations "")
foreach(path IN LISTS files)
  file(READ "${path}" content)
  # Turn the text into a CMake list of lines. Characters with list meaning
  # (; [ ] \) are swapped for placeholders first so every line stays one element.
  string(REPLACE "\\" "<bs>" content "${content}")
  string(REPLACE ";" "<semi>" content "${content}")
  string(REPLACE "[" "<lb>" content "${content}")
  string(REPLACE "]" "<rb>" content "${content}")
  string(REPLACE "\n" ";" lines "${content}")
  set(number 0)
  foreach(line IN LISTS lines)
    math(EXPR number "${number} + 1")
    if(line MATCHES "^[ \t]*#[ \t]*include.*(simgrid|\\.pb\\.h|google/protobuf)")
      string(STRIP "${line}" text)
      string(REPLACE "<bs>" "\\" text "${text}")
      string(REPLACE "<semi>" ";" text "${text}")
      string(REPLACE "<lb>" "[" text "${text}")
      string(REPLACE "<rb>" "]" text "${text}")
      string(APPEND violations "\n  ${path}:${number}: ${text}")
    endif()
  endforeach()
endforeach()

if(violations)
  message(FATAL_ERROR "models/ must not include SimGrid or protobuf headers:${violations}")
endif()
list(LENGTH files count)
message(STATUS "check_models_boundary: ${count} files under ${DIR} are clean")
