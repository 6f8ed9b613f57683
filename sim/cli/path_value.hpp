// "PATH=VALUE" arguments of the verbs (--vary, --range, --decide): the first '=' outside [ ] ends the path, so
// a selector such as sites[name=x] stays in it.
#pragma once

#include <string>

namespace scsim::cli {

// Index of the '=' that ends the path in `text`, or std::string::npos.
inline std::size_t path_end(const std::string& text) {
  int brackets = 0;
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '[') ++brackets;
    if (text[i] == ']') --brackets;
    if (text[i] == '=' && brackets == 0) return i;
  }
  return std::string::npos;
}

}  // namespace scsim::cli
