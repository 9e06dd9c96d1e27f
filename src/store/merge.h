// Merging study databases (shards of one spec) into one: `sysaxis merge OUT.db IN.db...`.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

namespace sysaxis::store {

struct MergeOptions {
  // A run identity (cell, repetition) stored by two inputs with different runs is an error
  // unless this is set; then the first one met (OUT's own, then the inputs in order) is kept.
  bool skip_duplicates = false;
  // Called with the temporary's path just before it is created, so that a signal handler can
  // remove it (and its "-journal") when the merge is killed (`sysaxis merge` does).
  std::function<void(const std::string& temporary)> on_temporary;
};

struct MergeReport {
  std::int64_t runs_added = 0;
  std::int64_t runs_already_there = 0;  // the same run (uuid) met twice, e.g. an input merged again
  std::int64_t duplicates_skipped = 0;
  std::int64_t runs_total = 0;
  std::vector<std::string> warnings;
};

// Merges `inputs` into `out` (created when absent; an existing OUT must hold the same spec).
// Every input must be a study of this schema version and of the same spec hash, else StoreError
// and OUT untouched. The result is written beside OUT and renamed over it at the end.
MergeReport merge_studies(const std::string& out, const std::vector<std::string>& inputs, const MergeOptions& options);

}  // namespace sysaxis::store
