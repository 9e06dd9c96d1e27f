// `sysaxis merge OUT.db IN.db...`
#include <fmt/format.h>

#include <cstdio>
#include <memory>

#include "cli/commands.h"
#include "store/merge.h"
#include "store/sqlite.h"

namespace sysaxis::cli {
namespace {

constexpr int kMergeOk = 0;
constexpr int kMergeUsage = 2;
constexpr int kMergeRefused = 4;

struct MergeArgs {
  std::string out;
  std::vector<std::string> inputs;
  bool skip_duplicates = false;
};

Runner add_merge_command(CLI::App& app) {
  auto args = std::make_shared<MergeArgs>();
  CLI::App* sub = app.add_subcommand("merge", "Merge study databases (the shards of one spec) into one.");
  sub->footer(
      "OUT is created, or extended when it already holds the same spec. Inputs must be studies of\n"
      "this schema version and of the same spec (same spec hash): shards of different specs are\n"
      "refused. A run met twice (the same input merged again) is kept once. The merged study is\n"
      "written beside OUT and renamed over it at the end, so OUT is never left half-written.\n"
      "\n"
      "Example:\n"
      "  sysaxis merge phase1.db shard-0.db shard-1.db shard-2.db shard-3.db\n"
      "\n"
      "Exit status: 0 merged; 2 usage error; 4 refused (other spec or schema version, overlapping\n"
      "runs, unreadable input, disk full).");
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
