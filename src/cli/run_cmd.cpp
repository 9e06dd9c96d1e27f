// `sysaxis run SPEC --db study.db [--shard i/n] [--bin-dir DIR] [--seed N] ...`
#include <fmt/format.h>

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <stdexcept>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "sweep/runner.h"
#include "version.h"

namespace sysaxis::cli {
namespace {

struct RunArgs {
  std::string spec;
  std::string db;
  std::string shard = "0/1";
  std::string bin_dir;
  std::string backends;
  std::string python;
  std::string timeout;
  std::uint64_t seed = 0;
  bool retry_failed = false;
  bool dry_run = false;
};

std::vector<std::string> split_list(const std::string& s) {
  std::vector<std::string> out;
  std::string cur;
  for (char c : s) {
    if (c == ',') {
      if (!cur.empty()) out.push_back(cur);
      cur.clear();
    } else if (c != ' ') {
      cur += c;
    }
  }
  if (!cur.empty()) out.push_back(cur);
  return out;
}

Runner add_run_command(CLI::App& app) {
  auto args = std::make_shared<RunArgs>();
  CLI::App* sub = app.add_subcommand("run", "Run a study: every cell of a sweep spec, traced, into a SQLite database.");
  sub->footer(
      "Every run (cell x repetition) is traced in-process and committed to the database as soon as it\n"
      "ends. Repetitions run in a seeded shuffled order (repetition 1 of every cell, then 2, ...).\n"
      "Interrupt it (Ctrl-C, kill, a Slurm time limit) and run the same command again: it continues\n"
      "where it stopped. Failed runs (exit status, failed verification, timeout) are stored with\n"
      "their reason and listed in the summary; --retry-failed runs them again.\n"
      "\n"
      "Examples:\n"
      "  sysaxis run specs/smoke.toml --db smoke.db\n"
      "  sysaxis run specs/phase1.toml --db phase1.db --backends cpu,opencl,resnet\n"
      "  sysaxis run specs/phase1.toml --db shard-$SLURM_ARRAY_TASK_ID.db --shard slurm   (then: sysaxis merge ...)\n"
      "\n"
      "--shard slurm, inside a Slurm job array, is the task's shard: (SLURM_ARRAY_TASK_ID -\n"
      "SLURM_ARRAY_TASK_MIN) / SLURM_ARRAY_TASK_STEP of SLURM_ARRAY_TASK_COUNT, so --array=1-4 gives\n"
      "shards 0/4 ... 3/4 (with --array=0-N it equals $SLURM_ARRAY_TASK_ID/$SLURM_ARRAY_TASK_COUNT).\n"
      "To re-run tasks, resubmit the whole array: finished shards find their runs stored and end at\n"
      "once (a one-task resubmission, --array=2, would be shard 0/1, the whole study).\n"
      "scripts/slurm/study.sbatch and merge.sbatch are the templates (docs/scale-out.md)."
      "\n"
      "The schema and the views (runs, counts, faults, provenance) are documented in docs/store.md.\n"
      "\n" +
      exit_codes_text("run"));
  sub->add_option("spec", args->spec, "the sweep spec (TOML; see specs/smoke.toml, docs/store.md)")->required();
  sub->add_option("--db", args->db, "the study database (created when absent)")->required();
  sub->add_option(
         "--shard", args->shard,
         "run shard I of N (0 <= I < N): every N-th cell starting at I; `slurm`: this Slurm array task's shard")
      ->capture_default_str();
  sub->add_option("--bin-dir", args->bin_dir,
                  "where the sysaxis-wl-<backend> workloads are (default: the folder of this executable)");
  auto* seed = sub->add_option("--seed", args->seed, "seed of the shuffled order (default: the spec's seed)");
  sub->add_option("--backends", args->backends,
                  "run only these backends, comma-separated (cpu, opencl, cuda, hip; resnet for the ResNet runs)");
  sub->add_option("--python", args->python, "python interpreter for the ResNet runs (default: the spec's)");
  sub->add_option("--timeout", args->timeout, "per-run time limit, overriding the spec's (e.g. 90s, 10m)");
  sub->add_flag("--retry-failed", args->retry_failed, "delete this shard's failed runs first and run them again");
  sub->add_flag("--dry-run", args->dry_run, "print the cells, what is stored and what would run; change nothing");
  return [args, seed]() -> int {
    sweep::RunOptions o;
    o.spec_path = args->spec;
    o.db_path = args->db;
    try {
      o.shard = args->shard == "slurm" ? sweep::shard_from_slurm([](const char* n) { return std::getenv(n); })
                                       : sweep::parse_shard(args->shard);
      if (!args->timeout.empty()) o.timeout_s = sweep::parse_duration(args->timeout);
    } catch (const std::invalid_argument& e) {
      std::fprintf(stderr, "sysaxis run: %s\n", e.what());
      return sweep::kRunUsage;
    }
    o.bin_dir = args->bin_dir;
    if (seed->count() > 0) o.seed = args->seed;
    o.backends = split_list(args->backends);
    o.python = args->python;
    o.retry_failed = args->retry_failed;
    o.dry_run = args->dry_run;
    o.sysaxis_version = kVersion;
    o.sysaxis_revision = kGitRevision;
    std::string cmd = fmt::format("sysaxis run {} --db {} --shard {}", args->spec, args->db, o.shard.text());
    if (!args->backends.empty()) cmd += fmt::format(" --backends {}", args->backends);
    if (seed->count() > 0) cmd += fmt::format(" --seed {}", args->seed);
    if (!args->bin_dir.empty()) cmd += fmt::format(" --bin-dir {}", args->bin_dir);
    if (!args->python.empty()) cmd += fmt::format(" --python {}", args->python);
    if (!args->timeout.empty()) cmd += fmt::format(" --timeout {}", args->timeout);
    if (args->retry_failed) cmd += " --retry-failed";
    o.command_line = cmd;
    return sweep::run_study(o);
  };
}

const CommandRegistration kRegistration{20, add_run_command};

}  // namespace
}  // namespace sysaxis::cli
