// Runs a program for tests: argv, optional stdin text, stdout/stderr captured, exit status.
#pragma once

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace sysaxis::testing {

struct Proc {
  int status = -1;  // raw wait status
  std::string out;
  std::string err;
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
};

inline std::string slurp(const std::filesystem::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

inline std::filesystem::path temp_dir(const std::string& tag) {
  std::string tmpl = (std::filesystem::temp_directory_path() / ("sysaxis-" + tag + "-XXXXXX")).string();
  if (mkdtemp(tmpl.data()) == nullptr) std::abort();
  return tmpl;
}

// Runs argv; stdin from `input` (or /dev/null); waits; captures output.
inline Proc run(const std::vector<std::string>& argv, const std::string& input = {}) {
  auto dir = temp_dir("proc");
  auto in_path = dir / "in", out_path = dir / "out", err_path = dir / "err";
  std::ofstream(in_path) << input;
  pid_t pid = fork();
  if (pid == 0) {
    int in = open(in_path.c_str(), O_RDONLY);
    int out = open(out_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    int err = open(err_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    dup2(in, 0);
    dup2(out, 1);
    dup2(err, 2);
    std::vector<char*> args;
    for (const auto& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execvp(args[0], args.data());
    _exit(127);
  }
  Proc p;
  waitpid(pid, &p.status, 0);
  p.out = slurp(out_path);
  p.err = slurp(err_path);
  std::filesystem::remove_all(dir);
  return p;
}

}  // namespace sysaxis::testing
