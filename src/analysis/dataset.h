// The study databases as the analysis sees them: read only through the SQL views that DESIGN.md
// ("Storage") makes a contract (runs, counts, faults, provenance), collapsed per run and scope
// into categories. Categories are resolved here, at analysis time, from the taxonomy the analysis
// is given (syscall and ioctl device class), so that a new taxonomy re-analyses old data.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/vocabulary.h"
#include "syscalls/taxonomy.h"

namespace sysaxis::analysis {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Scopes a count is analysed in. kScopeProcess is the whole process tree (the sum over every
// phase, what `strace -c` users compare against); the others are the workload's phases. Rows that
// the counts view files under the phase 'all' (processes that never marked) are kept apart as
// kPhaseUnmarked, so that 'all' always means the whole process here.
inline constexpr std::string_view kScopeProcess = "all";
inline constexpr std::string_view kScopeWork = "work";
inline constexpr std::string_view kPhaseUnmarked = "unmarked";

// Categories that are not one taxonomy category:
inline constexpr std::string_view kSyscalls = "syscalls";  // every syscall (the sum of the top-level categories)
inline constexpr std::string_view kFaultsMinor = "faults:minor";
inline constexpr std::string_view kFaultsMajor = "faults:major";
inline constexpr std::string_view kCsVoluntary = "cs:voluntary";
inline constexpr std::string_view kCsInvoluntary = "cs:involuntary";
inline constexpr std::string_view kCpu = "cpu";  // CPU time of the process tree, user + system
inline constexpr std::string_view kCpuUser = "cpu:user";
inline constexpr std::string_view kCpuSystem = "cpu:system";

enum class CategoryKind {
  syscall,  // a taxonomy category (memory, driver, ...): calls and time
  part,     // a part of one ("driver:nvidiactl"): calls and time, never added to the total
  total,    // kSyscalls: calls and time
  event,    // page faults and context switches: events (analysed as calls)
  cpu,      // CPU time: time only, whole process only
};
CategoryKind category_kind(std::string_view category);
bool is_event_category(std::string_view category);  // faults:* and cs:*
// Top-level syscall category: the categories whose shares add up to 100%.
bool is_top_category(std::string_view category);

// The metrics a category is analysed for: "calls" (events for faults and switches) and/or "time_ns".
inline constexpr std::string_view kCalls = "calls";
inline constexpr std::string_view kTime = "time_ns";
std::vector<std::string_view> metrics_of(std::string_view category);

struct Tally {
  double calls = 0;  // events for faults:* and cs:*
  double errors = 0;
  double time_ns = 0;
  double metric(std::string_view m) const { return m == kTime ? time_ns : calls; }
};
using CategoryTallies = std::map<std::string, Tally>;

// Options of a run beyond the axes, as "name=value" pairs in a fixed order: the exec model's own
// option (alloc_op, sync, threads) and the variants a runs view may carry (alloc_api, host_mem,
// copy, sync_mode, streams; docs/workloads.md).
using RunOptions = std::vector<std::pair<std::string, std::string>>;

struct Run {
  std::size_t db = 0;  // index of the input database
  std::int64_t run_id = 0;
  std::string backend, platform, device, exec, engine, workload, study, status;
  std::int64_t bytes = 0, iters = 0, rep = 0, wall_ns = 0;
  RunOptions options;  // only those that mean something for the exec model (see series_of)
  std::optional<double> cpu_user_ns, cpu_sys_ns;
  std::set<std::string> count_scopes;  // scopes with rows in the counts view (kScopeProcess when any)
  std::set<std::string> fault_scopes;  // scopes with rows in the faults view (kScopeProcess when any)
  // scope (kScopeProcess, or a phase name) -> category -> tally. Every phase seen in counts or
  // faults is present (possibly empty), and kScopeProcess always is.
  std::map<std::string, CategoryTallies> scopes;

  // Whether the workload marked phases: some row (counts or faults) has a phase other than the
  // unmarked one. A marked run has every phase, even one without a syscall (it has no rows).
  bool marked() const;
  // Whether a category was measured in a scope: syscalls always in the whole process, in a phase
  // when the run marked phases; events when the faults view has rows for the run (split by phase
  // for a phase scope); CPU time in the whole process when the database records it.
  bool measured(std::string_view scope, std::string_view category) const;
  // The tally of a category in a scope (zero when the run has none).
  Tally tally(std::string_view scope, const std::string& category) const;
  // Every category of a scope (empty when the run has none there).
  const CategoryTallies& tally_scope(std::string_view scope) const;
  std::string option(std::string_view name) const;  // "" when absent
};

struct Input {
  std::string path;
  std::string label;  // provenance host, else the study name, else the file name
  std::map<std::string, std::string> provenance;
  std::size_t runs_total = 0;
  std::size_t runs_ok = 0;
  std::map<std::string, std::size_t> runs_by_status;
  std::vector<std::string> notes;  // e.g. a missing optional view
};

struct Dataset {
  std::vector<Input> inputs;
  std::vector<Run> runs;  // status 'ok' only, in (db, run_id) order
  Vocabulary words;       // the taxonomy's words and order, and the analysis's own
  std::string taxonomy_source;
};

// Reads each database (read-only), categorising every counts row with `taxonomy`. Throws
// DatabaseError with a one-line reason when a file cannot be opened, is not SQLite, or lacks a
// view or column of the contract.
Dataset load_databases(const std::vector<std::string>& paths,
                       const syscalls::Taxonomy& taxonomy = syscalls::Taxonomy::builtin());

}  // namespace sysaxis::analysis
