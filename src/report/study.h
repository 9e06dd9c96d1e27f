// The study databases as the report reads them: ONLY through the SQL views of CONTRACTS.md
// (runs, counts, faults, provenance), collapsed to categories per run and phase.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace sysaxis::report {

class DatabaseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct RunRow {
  std::size_t db = 0;
  std::int64_t run_id = 0;
  std::string backend, platform, device, exec;
  std::int64_t bytes = 0, iters = 0, rep = 0;
  std::string status;
  std::optional<std::int64_t> wall_ns;
  std::string engine, alloc_op, sync;
  std::int64_t threads = 1;
  std::string workload, study;
};

// One row of counts.csv: the counts view summed per (run, phase, top-level category, device).
// `device` is the driver device ("nvidiactl") for the driver category, else empty.
struct CountRow {
  std::size_t db = 0;
  std::int64_t run_id = 0;
  std::string phase, category, device;
  std::int64_t calls = 0, errors = 0, time_ns = 0;
};

struct FaultRow {
  std::size_t db = 0;
  std::int64_t run_id = 0;
  std::string phase;
  std::int64_t minor = 0, major = 0, vol_cs = 0, invol_cs = 0;
};

struct StudyDb {
  std::string path;
  std::vector<std::pair<std::string, std::string>> provenance;  // sorted by key, then value
  std::vector<std::string> notes;                               // e.g. an optional view missing
};

// Event counts that are not syscalls, shown like categories (as the analysis does).
inline constexpr std::string_view kFaultsMinor = "faults:minor";
inline constexpr std::string_view kFaultsMajor = "faults:major";
inline constexpr std::string_view kCsVoluntary = "cs:voluntary";
inline constexpr std::string_view kCsInvoluntary = "cs:involuntary";
bool is_event_category(std::string_view category);
// Syscall categories first (in the order given by `category_rank`), then faults and switches.
bool category_less(const std::string& a, const std::string& b);

using RunKey = std::pair<std::size_t, std::int64_t>;  // (db, run_id)

struct Study {
  std::vector<StudyDb> dbs;
  std::vector<RunRow> runs;  // every run (any status), in (db, run_id) order
  std::vector<CountRow> counts;
  std::vector<FaultRow> faults;

  // run -> phase -> category -> calls (syscall categories: calls; events: their count). Driver
  // devices also appear as "driver:<device>" (a part of "driver", not to be added to it).
  // Built by index(); phases as stored (startup, init, work, teardown, all).
  std::map<RunKey, std::map<std::string, std::map<std::string, double>>> by_run;
  void index();
  // Events of a category in one run over the whole process (every phase), 0 when none.
  double whole_process(const RunKey& run, const std::string& category) const;
  // Events in one phase, 0 when none.
  double in_phase(const RunKey& run, const std::string& phase, const std::string& category) const;
  const RunRow* find_run(const RunKey& run) const;
};

// The top-level category and driver device of one counts row (category "driver", detail
// "nvidiactl:RM_ALLOC" -> ("driver", "nvidiactl"); a category already split as
// "driver:<device>[:op]" gives the same).
std::pair<std::string, std::string> split_category(std::string_view category, std::string_view detail);

// Reads every database read-only. Throws DatabaseError with one line naming the file and what
// is wrong: missing, not SQLite, a view or column of the contract missing.
Study load_study(const std::vector<std::string>& paths);

}  // namespace sysaxis::report
