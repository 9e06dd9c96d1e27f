#include "sweep/plan.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <limits>
#include <map>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "store/sha256.h"

namespace sysaxis::sweep {

std::string Target::label() const {
  if (workload == "resnet") return fmt::format("resnet {}", exec);
  std::string s = backend;
  if (!platform.empty() && !device.empty()) return fmt::format("{} ({}, device {})", s, platform, device);
  if (!platform.empty()) return fmt::format("{} ({})", s, platform);
  if (!device.empty()) return fmt::format("{} (device {})", s, device);
  return s;
}

namespace {

bool supports(const BackendInfo& b, const std::string& exec) {
  return std::find(b.exec.begin(), b.exec.end(), exec) != b.exec.end();
}

class Builder {
 public:
  void add(const store::Cell& cell, const store::SweepTag& tag, const Target& target) {
    const std::string key = cell.key();
    auto it = index_.find(key);
    if (it == index_.end()) {
      PlannedCell pc;
      pc.record.cell = cell;
      pc.target = target_index(target);
      index_.emplace(key, plan_.cells.size());
      plan_.cells.push_back(std::move(pc));
      it = index_.find(key);
    }
    auto& tags = plan_.cells[it->second].record.sweeps;
    if (std::find(tags.begin(), tags.end(), tag) == tags.end()) tags.push_back(tag);
  }
  Plan take() { return std::move(plan_); }

 private:
  std::size_t target_index(const Target& t) {
    for (std::size_t i = 0; i < plan_.targets.size(); ++i) {
      const Target& o = plan_.targets[i];
      if (o.workload == t.workload && o.backend == t.backend && o.platform == t.platform && o.device == t.device &&
          o.exec == t.exec) {
        return i;
      }
    }
    plan_.targets.push_back(t);
    return plan_.targets.size() - 1;
  }
  Plan plan_;
  std::map<std::string, std::size_t> index_;
};

}  // namespace

Plan make_plan(const Spec& spec, const std::string& taxonomy_hash) {
  Builder b;
  for (const auto& sw : spec.sweeps) {
    const store::SweepTag tag{sw.name, sw.question};
    for (const auto& be : spec.backends) {
      if (!sw.backends.empty() && std::find(sw.backends.begin(), sw.backends.end(), be.name) == sw.backends.end()) {
        continue;
      }
      const BackendInfo& info = *find_backend(be.name);
      const Target target{"micro", be.name, be.platform, be.device, "", be.optional};
      for (const auto& exec : sw.exec) {
        if (!supports(info, exec)) continue;
        // Options that do not apply to the exec model keep their defaults (one identity per cell).
        const std::vector<std::string> alloc_ops = exec == "alloc" ? sw.alloc_op : std::vector<std::string>{"free"};
        const std::vector<std::string> syncs = exec == "kernels" ? sw.sync : std::vector<std::string>{"each"};
        const std::vector<std::uint64_t> threads = exec == "cpu" ? sw.threads : std::vector<std::uint64_t>{1};
        for (auto bytes : sw.bytes) {
          for (auto iters : sw.iters) {
            for (const auto& op : alloc_ops) {
              for (const auto& sy : syncs) {
                for (auto th : threads) {
                  store::Cell c;
                  c.workload = "micro";
                  c.backend = be.name;
                  c.platform = be.platform;
                  c.device = be.device;
                  c.exec = exec;
                  c.bytes = bytes;
                  c.iters = iters;
                  c.alloc_op = op;
                  c.sync = sy;
                  c.threads = th;
                  b.add(c, tag, target);
                }
              }
            }
          }
        }
      }
    }
  }
  if (spec.resnet) {
    const ResnetSpec& r = *spec.resnet;
    for (const auto& sw : r.sweeps) {
      const store::SweepTag tag{sw.name, sw.question};
      const auto& devices = sw.devices.empty() ? r.devices : sw.devices;
      for (const auto& dev : devices) {
        const bool optional = std::find(r.optional.begin(), r.optional.end(), dev) != r.optional.end();
        const Target target{"resnet", "torch", "", "", dev, optional};
        for (auto batch : sw.batch) {
          for (auto iters : sw.iters) {
            store::Cell c;
            c.workload = "resnet";
            c.backend = "torch";
            c.exec = dev;
            c.bytes = batch;
            c.iters = iters;
            b.add(c, tag, target);
          }
        }
      }
    }
  }
  Plan plan = b.take();
  plan.repetitions = spec.repetitions;

  nlohmann::json cells = nlohmann::json::array();
  for (const auto& pc : plan.cells) {
    nlohmann::json tags = nlohmann::json::array();
    for (const auto& t : pc.record.sweeps) tags.push_back({t.sweep, t.question});
    cells.push_back({{"cell", nlohmann::json::parse(pc.record.cell.key())}, {"sweeps", tags}});
  }
  nlohmann::json canonical = {
      {"schema", kSpecSchema}, {"study", spec.study}, {"repetitions", spec.repetitions},
      {"engine", spec.engine}, {"env", spec.env},     {"taxonomy", taxonomy_hash},
      {"cells", cells},
  };
  plan.canonical = canonical.dump();
  plan.hash = store::sha256_hex(plan.canonical);
  return plan;
}

std::string Shard::text() const {
  return fmt::format("{}/{}", index, count);
}

Shard parse_shard(std::string_view text) {
  const auto slash = text.find('/');
  auto num = [&](std::string_view s, int& out) {
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    return !s.empty() && ec == std::errc() && p == s.data() + s.size();
  };
  Shard s;
  if (slash == std::string_view::npos || !num(text.substr(0, slash), s.index) ||
      !num(text.substr(slash + 1), s.count) || s.count < 1 || s.index < 0 || s.index >= s.count) {
    throw std::invalid_argument(
        fmt::format("--shard \"{}\": expected I/N with 0 <= I < N (e.g. 0/4 ... 3/4, Slurm: "
                    "$SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT with --array=0-3)",
                    text));
  }
  return s;
}

Shard shard_from_slurm(const EnvLookup& env) {
  constexpr const char* kHow = "submit with sbatch --array=0-N, or pass --shard I/N";
  const char* id_text = env("SLURM_ARRAY_TASK_ID");
  if (id_text == nullptr) {
    if (const char* job = env("SLURM_JOB_ID")) {
      throw std::invalid_argument(fmt::format(
          "--shard slurm: Slurm job {} is not a job array (SLURM_ARRAY_TASK_ID is not set): {}", job, kHow));
    }
    throw std::invalid_argument(
        fmt::format("--shard slurm: not inside a Slurm job array (SLURM_ARRAY_TASK_ID is not set): {}", kHow));
  }
  auto number = [&](const char* name, const char* fallback) -> long long {
    const char* v = env(name);
    if (v == nullptr) v = fallback;
    if (v == nullptr) {
      throw std::invalid_argument(fmt::format(
          "--shard slurm: SLURM_ARRAY_TASK_ID is set but {} is not (Slurm sets both); pass --shard I/N", name));
    }
    const std::string_view s(v);
    long long out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (s.empty() || ec != std::errc() || p != s.data() + s.size() || out < 0 ||
        out > std::numeric_limits<int>::max()) {
      throw std::invalid_argument(fmt::format("--shard slurm: {}=\"{}\" is not a task index or count", name, s));
    }
    return out;
  };
  const long long id = number("SLURM_ARRAY_TASK_ID", nullptr);
  const long long count = number("SLURM_ARRAY_TASK_COUNT", nullptr);
  const long long min = number("SLURM_ARRAY_TASK_MIN", nullptr);
  const long long step = number("SLURM_ARRAY_TASK_STEP", "1");
  if (count < 1 || step < 1) {
    throw std::invalid_argument(fmt::format(
        "--shard slurm: SLURM_ARRAY_TASK_COUNT={} and SLURM_ARRAY_TASK_STEP={} must be at least 1", count, step));
  }
  const std::string max_default = std::to_string(min + (count - 1) * step);
  const long long max = number("SLURM_ARRAY_TASK_MAX", max_default.c_str());
  if (max < min || max - min != (count - 1) * step) {
    throw std::invalid_argument(
        fmt::format("--shard slurm: the array's {} tasks (indexes {} to {}, step {}) are not one evenly spaced range "
                    "(e.g. --array=1,3,7), so a task's shard is ambiguous: submit --array=0-{}, or pass --shard I/N",
                    count, min, max, step, count - 1));
  }
  if (id < min || id > max || (id - min) % step != 0) {
    throw std::invalid_argument(
        fmt::format("--shard slurm: SLURM_ARRAY_TASK_ID={} is not one of the array's indexes {} to {} (step {})", id,
                    min, max, step));
  }
  return Shard{static_cast<int>((id - min) / step), static_cast<int>(count)};
}

std::vector<std::size_t> shard_cells(std::size_t n_cells, const Shard& shard) {
  std::vector<std::size_t> out;
  for (std::size_t i = static_cast<std::size_t>(shard.index); i < n_cells; i += static_cast<std::size_t>(shard.count)) {
    out.push_back(i);
  }
  return out;
}

std::uint64_t SplitMix64::next() {
  std::uint64_t z = (state_ += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

std::uint64_t SplitMix64::below(std::uint64_t bound) {
  // Rejection sampling: drop the top values that would bias the modulo.
  const std::uint64_t limit = UINT64_MAX - UINT64_MAX % bound;
  std::uint64_t v = 0;
  do {
    v = next();
  } while (v >= limit);
  return v % bound;
}

std::vector<Task> schedule(const std::vector<std::size_t>& cells, std::int64_t repetitions, std::uint64_t seed) {
  std::vector<Task> out;
  out.reserve(cells.size() * static_cast<std::size_t>(std::max<std::int64_t>(repetitions, 0)));
  for (std::int64_t rep = 1; rep <= repetitions; ++rep) {
    std::vector<std::size_t> order = cells;
    SplitMix64 rng(seed ^ (static_cast<std::uint64_t>(rep) * 0xD1B54A32D192ED03ULL));
    for (std::size_t i = order.size(); i > 1; --i) {
      std::size_t j = static_cast<std::size_t>(rng.below(i));
      std::swap(order[i - 1], order[j]);
    }
    for (auto c : order) out.push_back({c, rep});
  }
  return out;
}

std::string describe(const store::Cell& c) {
  if (c.workload == "resnet") return fmt::format("resnet {} batch={} iters={}", c.exec, c.bytes, c.iters);
  std::string s = fmt::format("{} {} {} iters={}", c.backend, c.exec, format_size(c.bytes), c.iters);
  if (c.exec == "alloc") s += fmt::format(" op={}", c.alloc_op);
  if (c.exec == "kernels") s += fmt::format(" sync={}", c.sync);
  if (c.exec == "cpu" && c.threads != 1) s += fmt::format(" threads={}", c.threads);
  if (!c.platform.empty()) s += fmt::format(" [{}]", c.platform);
  if (!c.device.empty()) s += fmt::format(" [device {}]", c.device);
  return s;
}

}  // namespace sysaxis::sweep
