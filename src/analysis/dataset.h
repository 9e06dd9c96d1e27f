// The study databases as the analysis sees them: read ONLY through the SQL views of
// CONTRACTS.md (runs, counts, faults, provenance), collapsed to categories per run and phase.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace sysaxis::analysis {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Scopes a count is analysed in. kScopeProcess is the whole process (the sum over every phase,
// what `strace -c` users compare against); the others are the workload's phases. Rows that the
// counts view files under the phase 'all' (processes that never marked) are kept apart as
// kPhaseUnmarked, so that 'all' always means the whole process here.
inline constexpr std::string_view kScopeProcess = "all";
inline constexpr std::string_view kScopeWork = "work";
inline constexpr std::string_view kPhaseUnmarked = "unmarked";

// Events that are not syscalls, analysed like categories (from the faults view).
inline constexpr std::string_view kFaultsMinor = "faults:minor";
inline constexpr std::string_view kFaultsMajor = "faults:major";
inline constexpr std::string_view kCsVoluntary = "cs:voluntary";
inline constexpr std::string_view kCsInvoluntary = "cs:involuntary";
bool is_event_category(std::string_view category);  // faults:* and cs:*
// Top-level syscall category (no ':'): the categories whose shares add up to 100%.
bool is_top_category(std::string_view category);

// The categories one counts row contributes to: its top-level category (the part of `category`
// before the first ':') and, for the driver category, also "driver:<device>". The device is the
// second field of a category already split as "driver:<device>[:<op>]", else the part of
// `detail` before the first ':' (ioctl rows: "nvidiactl:RM_ALLOC" -> "nvidiactl").
std::vector<std::string> category_keys(std::string_view category, std::string_view detail);

// Orders categories for output: syscall categories alphabetically (a driver device right after
// "driver"), then faults and context switches.
bool category_less(const std::string& a, const std::string& b);

struct Tally {
  double calls = 0;  // events for faults:* and cs:*
  double errors = 0;
  double time_ns = 0;
};
using CategoryTallies = std::map<std::string, Tally>;

struct Run {
  std::size_t db = 0;  // index of the input database
  std::int64_t run_id = 0;
  std::string backend, platform, device, exec, engine, alloc_op, sync, workload, study, status;
  std::int64_t bytes = 0, iters = 0, rep = 0, threads = 0, wall_ns = 0;
  std::set<std::string> count_scopes;  // scopes with rows in the counts view (kScopeProcess when any)
  std::set<std::string> fault_scopes;  // scopes with rows in the faults view (kScopeProcess when any)
  // scope (kScopeProcess, or a phase name) -> category -> tally. Every phase seen in counts or
  // faults is present (possibly empty), and kScopeProcess always is.
  std::map<std::string, CategoryTallies> scopes;

  // Whether the workload marked phases: some row (counts or faults) has a phase other than the
  // unmarked one. A marked run has every phase, even one without a syscall (it has no rows).
  bool marked() const;
  // Whether syscall counts exist in a scope: always for the whole process, for a phase when the
  // run marked phases.
  bool has_counts(std::string_view scope) const { return scope == kScopeProcess || marked(); }
  // Whether fault counts exist in a scope: the faults view has rows for the run, and, for a
  // phase, they are split by phase.
  bool has_faults(std::string_view scope) const;
  // The tally of a category in a scope (zero when the run has none).
  Tally tally(std::string_view scope, const std::string& category) const;
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
};

// Reads each database (read-only). Throws DatabaseError with a one-line reason when a file cannot
// be opened, is not SQLite, or lacks a view or column of the contract.
Dataset load_databases(const std::vector<std::string>& paths);
Input load_database(const std::string& path, std::size_t db_index, std::vector<Run>& runs);

}  // namespace sysaxis::analysis
