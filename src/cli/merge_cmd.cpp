// `sysaxis merge OUT.db IN.db...`
#include <fmt/format.h>

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "common/exit_codes.h"
#include "store/merge.h"
#include "store/sqlite.h"

namespace sysaxis::cli {
namespace {

constexpr int kMergeOk = kExitOk;
constexpr int kMergeUsage = kExitUsage;
constexpr int kMergeRefused = kExitDatabase;  // other spec or schema version, overlapping runs, unreadable, disk full

// The temporary being written, for the signal handler: a merge killed by Ctrl-C or by a Slurm
// time limit (SIGTERM) leaves no temporary beside OUT (OUT itself is only ever renamed over).
char g_temporary[4096];
char g_journal[4096 + 8];

void remove_temporary_and_die(int sig) {
  if (g_temporary[0] != '\0') {
    ::unlink(g_temporary);
    ::unlink(g_journal);
  }
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void remember_temporary(const std::string& path) {
  if (path.size() >= sizeof g_temporary) return;  // not removed on a signal; OUT is safe all the same
  std::snprintf(g_journal, sizeof g_journal, "%s-journal", path.c_str());
  std::snprintf(g_temporary, sizeof g_temporary, "%s", path.c_str());
  struct sigaction sa {};
  sa.sa_handler = remove_temporary_and_die;
  sigemptyset(&sa.sa_mask);
  for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
}

struct MergeArgs {
  std::string out;
  std::vector<std::string> inputs;
  bool skip_duplicates = false;
};

Runner add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* sub = app.add_subcommand("merge", "Merge study databases (the shards of one spec) into one.");
  sub->footer(
      "OUT is created, or extended when it already holds the same spec. Inputs (and an existing OUT)\n"
      "must be studies of this schema version and of the same spec (same spec hash): shards of\n"
      "different specs or schema versions are refused, nothing written. A run met twice (the same\n"
      "input merged again) is kept once. The merged study is written to a temporary file beside OUT\n"
      "and renamed over it at the end, so OUT is never left half-written: a refused or interrupted\n"
      "merge leaves it as it was.\n"
      "\n"
      "On Slurm: sbatch --dependency=afterok:JOBID scripts/slurm/merge.sbatch (docs/scale-out.md).\n"
      "\n"
      "Example:\n"
      "  sysaxis merge phase1.db shard-0.db shard-1.db shard-2.db shard-3.db\n"
      "\n"
      "\n" +
      exit_codes_text("merge"));
  sub->add_option("out", args->out, "the merged study database")->required();
  sub->add_option("inputs", args->inputs, "study databases to merge")->required();
  sub->add_flag("--skip-duplicates", args->skip_duplicates,
                "when inputs hold different runs of the same cell and repetition, keep the first");
  return [args]() -> int {
    if (args->inputs.empty()) {
      std::fprintf(stderr, "sysaxis merge: name at least one input database\n");
      return kMergeUsage;
    }
    try {
      store::MergeOptions o;
      o.skip_duplicates = args->skip_duplicates;
      o.on_temporary = remember_temporary;
      auto r = store::merge_studies(args->out, args->inputs, o);
      for (const auto& w : r.warnings) fmt::print(stderr, "sysaxis merge: warning: {}\n", w);
      fmt::print(stderr, "sysaxis merge: {} runs added, {} already there, {} duplicates skipped; {} holds {} runs\n",
                 r.runs_added, r.runs_already_there, r.duplicates_skipped, args->out, r.runs_total);
      return kMergeOk;
    } catch (const store::StoreError& e) {
      fmt::print(stderr, "sysaxis merge: {}\n", e.what());
      return kMergeRefused;
    }
  };
}

const CommandRegistration kRegistration{30, add_merge_command};

}  // namespace
}  // namespace sysaxis::cli
