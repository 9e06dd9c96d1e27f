// Writing the report folder: a staging folder inside it, gnuplot run there, then every file moved
// into place whole (report.md and report.html last, so a report never points at a missing file).
#include <fcntl.h>
#include <fmt/format.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <sstream>

#include "common/atomic_file.h"
#include "common/temp_dir.h"
#include "report/report.h"

namespace sysaxis::report {

namespace fs = std::filesystem;

namespace {

void write_whole(const fs::path& path, const std::string& content) {
  try {
    write_file_atomic(path, content);
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
}

}  // namespace

void run_gnuplot(const std::string& gnuplot, const fs::path& dir, const std::string& script) {
  int err[2];
  if (pipe2(err, O_CLOEXEC) != 0) throw PlotError(fmt::format("pipe: {}", std::strerror(errno)));
  const pid_t pid = fork();
  if (pid < 0) {
    close(err[0]);
    close(err[1]);
    throw PlotError(fmt::format("fork: {}", std::strerror(errno)));
  }
  if (pid == 0) {
    dup2(err[1], STDERR_FILENO);
    const int null = open("/dev/null", O_RDWR);
    if (null >= 0) {
      dup2(null, STDIN_FILENO);
      dup2(null, STDOUT_FILENO);
    }
    if (chdir(dir.c_str()) != 0) _exit(126);
    // The same output wherever it runs: no user initialisation file (-d), a fixed locale.
    setenv("LC_ALL", "C.UTF-8", 1);
    execlp(gnuplot.c_str(), gnuplot.c_str(), "-d", script.c_str(), static_cast<char*>(nullptr));
    _exit(errno == ENOENT ? 127 : 126);
  }
  close(err[1]);
  std::string stderr_text;
  char buf[4096];
  for (;;) {
    const ssize_t n = read(err[0], buf, sizeof buf);
    if (n > 0) {
      if (stderr_text.size() < 65536) stderr_text.append(buf, static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    break;
  }
  close(err[0]);
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 0) {
    if (!stderr_text.empty()) {
      // Warnings: passed on, the plot stands.
      std::fprintf(stderr, "sysaxis report: gnuplot %s: %s", script.c_str(), stderr_text.c_str());
      if (stderr_text.back() != '\n') std::fputc('\n', stderr);
    }
    return;
  }
  if (WIFEXITED(status) && WEXITSTATUS(status) == 127) {
    throw PlotError(fmt::format("{}: not found (install gnuplot-nox, pass --gnuplot PATH, or --no-plots)", gnuplot));
  }
  std::string first;
  std::istringstream lines(stderr_text);
  for (std::string line; std::getline(lines, line);) {
    if (line.find_first_not_of(" \t^") != std::string::npos) first = line;
    if (line.find("rror") != std::string::npos) break;
  }
  throw PlotError(fmt::format("gnuplot failed on {}{}", script, first.empty() ? "" : ": " + first));
}

std::vector<std::string> write_report(const analysis::Analysis& a, const analysis::Dataset& data,
                                      const std::string& analysis_text, const std::string& findings,
                                      const Options& options) {
  std::error_code ec;
  fs::create_directories(options.out_dir, ec);
  if (ec || !fs::is_directory(options.out_dir)) {
    throw OutputError(fmt::format("{}: cannot create the output folder{}", options.out_dir.string(),
                                  ec ? ": " + ec.message() : std::string()));
  }
  Content content = build_report(a, data, analysis_text, findings, options);
  std::optional<TempDir> staging_dir;
  try {
    staging_dir.emplace(".sysaxis-report", options.out_dir);
  } catch (const std::exception& e) {
    throw OutputError(e.what());
  }
  const TempDir& staging = *staging_dir;
  std::vector<std::string> names;
  for (const auto& f : content.files) {
    write_whole(staging.path() / f.name, f.content);
    names.push_back(f.name);
  }
  if (options.plots) {
    for (const auto& p : content.plots) {
      run_gnuplot(options.gnuplot, staging.path(), p.name + ".gp");
      if (!fs::is_regular_file(staging.path() / (p.name + ".svg"))) {
        throw PlotError(fmt::format("gnuplot wrote no {}.svg", p.name));
      }
      names.push_back(p.name + ".svg");
    }
  }
  const fs::path& dir = staging.path();
  auto images = [&dir](const std::string& src) -> std::optional<ImageData> {
    if (src.find('/') != std::string::npos || src.starts_with(".")) return std::nullopt;
    auto bytes = read_file_whole(dir / src);
    if (!bytes) return std::nullopt;
    return ImageData{src.ends_with(".svg") ? "image/svg+xml" : "image/png", std::move(*bytes)};
  };
  write_whole(staging.path() / "report.md", render_markdown(content.doc));
  write_whole(staging.path() / "report.html", render_html(content.doc, images));
  std::sort(names.begin(), names.end());
  // Into place: the data first, the reports last.
  std::vector<std::string> order = names;
  order.emplace_back("report.md");
  order.emplace_back("report.html");
  for (const auto& name : order) {
    fs::rename(staging.path() / name, options.out_dir / name, ec);
    if (ec) throw OutputError(fmt::format("{}: {}", (options.out_dir / name).string(), ec.message()));
  }
  names.emplace_back("report.html");
  names.emplace_back("report.md");
  std::sort(names.begin(), names.end());
  // Files of an earlier report that this one does not have (a plot without data now, images
  // after --no-plots): removed, so that the folder holds exactly this report. Only names the
  // report itself writes are touched.
  for (const char* plot : {"q1_size", "q1_size_time", "q2_repetition", "q2_repetition_time", "q3_execution"}) {
    for (const char* ext : {".svg", ".dat", ".csv", ".gp"}) {
      const std::string name = std::string(plot) + ext;
      if (!std::binary_search(names.begin(), names.end(), name)) fs::remove(options.out_dir / name, ec);
    }
  }
  return names;
}

}  // namespace sysaxis::report
