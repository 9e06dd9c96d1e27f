// The whole text of a file for the tests that compare sources, docs and generated files ("" when
// it cannot be read).
#pragma once

#include <fstream>
#include <sstream>
#include <string>

namespace sysaxis::test {

inline std::string read_text(const std::string& path) {
  std::ifstream in(path);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace sysaxis::test
