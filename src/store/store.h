// The study store: one SQLite file per study (docs/store.md). Runs are committed one by one, each
// in its own transaction, so an interrupted sweep loses nothing that was committed.
#pragma once

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "store/records.h"
#include "store/sqlite.h"
#include "syscalls/taxonomy.h"
#include "trace/trace.h"

namespace sysaxis::store {

// What makes two databases the same study.
struct StudyIdentity {
  std::string study;           // the spec's name
  std::string spec_hash;       // sha256 of the canonical spec (sweep/plan.h)
  std::string spec_text;       // the spec file as written
  std::string spec_canonical;  // the canonical JSON that was hashed
};

// (cell_key, rep): the identity of a run.
using RunKey = std::pair<std::string, std::int64_t>;

class Store {
 public:
  // Opens the study at `path` for a sweep, creating it (schema, meta, taxonomy) when the file is
  // absent or empty. An existing file must be a study of schema kSchemaVersion with the same
  // spec hash; otherwise StoreError says which and why.
  static Store open_for_run(const std::string& path, const StudyIdentity& id, const syscalls::Taxonomy& taxonomy,
                            const std::string& now_iso);
  // Opens an existing study (checks application id and schema version).
  static Store open_existing(const std::string& path, bool read_only);
  // Creates a new, empty study file (schema and meta only); the file must not exist.
  static Store create(const std::string& path, const StudyIdentity& id, const std::string& now_iso);

  std::optional<std::string> meta(const std::string& key);
  void set_meta(const std::string& key, const std::string& value);

  // Replaces the syscall -> category table (the counts view re-categorises every run).
  void set_taxonomy(const syscalls::Taxonomy& taxonomy);

  // Inserts the cells (and their sweep tags) that are not stored yet; returns cell_key -> cell_id.
  std::map<std::string, std::int64_t> ensure_cells(const std::vector<CellRecord>& cells);

  std::int64_t add_session(const Session& s);
  void end_session(std::int64_t session_id, const std::string& ended_at);
  void record_target(std::int64_t session_id, const TargetCheck& t);

  // Every stored run, by identity, with its status.
  std::map<RunKey, std::string> stored_runs();
  // Deletes failed runs (status <> 'ok') of the given cells; returns how many.
  int delete_failed_runs(const std::set<std::string>& cell_keys);

  // Stores one run and its counters in one transaction.
  void record_run(const RunRecord& run, const RunCounters& counters);

  Database& db() { return db_; }

 private:
  explicit Store(Database db) : db_(std::move(db)) {}
  // Checks that this is a study of a schema version this sysaxis reads; a writable study of an
  // older version is migrated (additive steps; device classes from `taxonomy`).
  void check_study(bool read_only, const syscalls::Taxonomy& taxonomy);
  Database db_;
};

// Splits a trace into the rows the store keeps: counters per (phase, process, thread role, comm,
// abi, syscall, detail) summed over threads, faults per (phase, process), the process tree.
RunCounters counters_from_trace(const trace::TraceResult& trace);

// Creates the tables and views of kSchemaVersion in an empty database.
void create_schema(Database& db);
// Takes a study of an older schema version to kSchemaVersion (tables, then views re-created).
void migrate_schema(Database& db, const syscalls::Taxonomy& taxonomy);
// Creates the schema and meta rows of a new study in an empty database.
void initialise_study(Database& db, const StudyIdentity& id, const std::string& now_iso);
// Fills meta with the taxonomy's source and hash and replaces the taxonomy tables.
void write_taxonomy(Database& db, const syscalls::Taxonomy& taxonomy);
// sha256 over the sorted "syscall=category" lines of every name of the kernel tables.
std::string taxonomy_hash(const syscalls::Taxonomy& taxonomy);

}  // namespace sysaxis::store
