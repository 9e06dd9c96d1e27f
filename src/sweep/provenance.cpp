#include "sweep/provenance.h"

#include <fmt/format.h>
#include <gnu/libc-version.h>
#include <sys/random.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <array>
#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>

extern char** environ;

namespace sysaxis::sweep {
namespace {

std::string read_first_line(const std::string& path) {
  std::ifstream in(path);
  std::string line;
  if (in) std::getline(in, line);
  while (!line.empty() && (line.back() == '\n' || line.back() == ' ' || line.back() == '\r')) line.pop_back();
  return line;
}

// The value of "key : value" lines (/proc/cpuinfo, /proc/meminfo), first match.
std::string field(const std::string& path, const std::string& key) {
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    auto colon = line.find(':');
    if (colon == std::string::npos) continue;
    std::string k = line.substr(0, colon);
    while (!k.empty() && (k.back() == ' ' || k.back() == '\t')) k.pop_back();
    if (k != key) continue;
    std::string v = line.substr(colon + 1);
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t')) v.erase(v.begin());
    return v;
  }
  return {};
}

std::string os_release() {
  std::ifstream in("/etc/os-release");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("PRETTY_NAME=", 0) == 0) {
      std::string v = line.substr(12);
      if (v.size() >= 2 && v.front() == '"' && v.back() == '"') v = v.substr(1, v.size() - 2);
      return v;
    }
  }
  return "unknown";
}

// Environment variables that change what runtimes do, recorded when set.
constexpr std::array<std::string_view, 12> kEnvPrefixes = {
    "POCL_", "CUDA_", "HIP_", "ROCR_", "HSA_", "OMP_", "MKL_", "OPENBLAS_", "OCL_", "TORCH_", "PYTORCH_", "NVIDIA_"};

}  // namespace

void collect_host(store::Session& s) {
  utsname u{};
  if (uname(&u) == 0) {
    s.host = u.nodename;
    s.kernel = fmt::format("{} {} {} {}", u.sysname, u.release, u.version, u.machine);
  } else {
    s.host = "unknown";
    s.kernel = "unknown";
  }
  s.cpu = field("/proc/cpuinfo", "model name");
  if (s.cpu.empty()) s.cpu = field("/proc/cpuinfo", "Hardware");
  if (s.cpu.empty()) s.cpu = "unknown";
  s.cpus = sysconf(_SC_NPROCESSORS_ONLN);
  s.os = os_release();

  nlohmann::json extra = nlohmann::json::object();
  extra["glibc"] = gnu_get_libc_version();
  if (auto m = field("/proc/meminfo", "MemTotal"); !m.empty()) extra["mem_total"] = m;
  if (auto g = read_first_line("/sys/devices/system/cpu/cpu0/cpufreq/scaling_governor"); !g.empty()) {
    extra["cpu_governor"] = g;
  }
  if (auto n = read_first_line("/proc/driver/nvidia/version"); !n.empty()) extra["nvidia_driver"] = n;
  if (auto a = read_first_line("/sys/module/amdgpu/version"); !a.empty()) extra["amdgpu_driver"] = a;
  nlohmann::json env = nlohmann::json::object();
  for (char** e = environ; e != nullptr && *e != nullptr; ++e) {
    std::string_view kv(*e);
    for (auto p : kEnvPrefixes) {
      if (kv.rfind(p, 0) == 0) {
        auto eq = kv.find('=');
        if (eq != std::string_view::npos) env[std::string(kv.substr(0, eq))] = std::string(kv.substr(eq + 1));
      }
    }
  }
  extra["env"] = env;
  s.extra = extra.dump();
}

std::string iso_now() {
  timespec ts{};
  clock_gettime(CLOCK_REALTIME, &ts);
  tm t{};
  gmtime_r(&ts.tv_sec, &t);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", t.tm_year + 1900, t.tm_mon + 1, t.tm_mday, t.tm_hour,
                     t.tm_min, t.tm_sec, ts.tv_nsec / 1000000);
}

std::string new_uuid() {
  std::array<unsigned char, 16> b{};
  if (getrandom(b.data(), b.size(), 0) != static_cast<ssize_t>(b.size())) {
    std::random_device rd;
    for (auto& x : b) x = static_cast<unsigned char>(rd());
  }
  b[6] = static_cast<unsigned char>((b[6] & 0x0F) | 0x40);
  b[8] = static_cast<unsigned char>((b[8] & 0x3F) | 0x80);
  std::string s;
  for (std::size_t i = 0; i < b.size(); ++i) {
    if (i == 4 || i == 6 || i == 8 || i == 10) s += '-';
    s += fmt::format("{:02x}", b[i]);
  }
  return s;
}

}  // namespace sysaxis::sweep
