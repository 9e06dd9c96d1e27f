#include "store/merge.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <random>
#include <sstream>

#include "store/schema.h"
#include "store/store.h"

namespace sysaxis::store {
namespace {

namespace fs = std::filesystem;

struct InputInfo {
  std::string path;
  std::string study;
  std::string spec_hash;
  std::string taxonomy_hash;
};

InputInfo inspect(const std::string& path) {
  if (!fs::exists(path)) throw StoreError(fmt::format("{}: no such file", path));
  Store s = Store::open_existing(path, true);
  const std::string version = s.meta("schema_version").value_or("?");
  if (version != std::to_string(kSchemaVersion)) {
    throw StoreError(
        fmt::format("{}: study database of schema version {}; merge joins studies of schema version {} "
                    "only (resume it once with this sysaxis's `run` to migrate it)",
                    path, version, kSchemaVersion));
  }
  return {path, s.meta("study").value_or(""), s.meta("spec_hash").value_or(""), s.meta("taxonomy_hash").value_or("")};
}

std::string prefixed(std::string_view columns, std::string_view prefix) {
  std::string out;
  std::istringstream ss{std::string(columns)};
  std::string col;
  while (std::getline(ss, col, ',')) {
    while (!col.empty() && col.front() == ' ') col.erase(col.begin());
    if (!out.empty()) out += ", ";
    out += fmt::format("{}{}", prefix, col);
  }
  return out;
}

std::int64_t scalar(Database& db, const std::string& sql) {
  auto st = db.prepare(sql);
  st.step();
  return st.column_int(0);
}

void fsync_path(const fs::path& p, int flags) {
  int fd = ::open(p.c_str(), flags | O_CLOEXEC);
  if (fd >= 0) {
    ::fsync(fd);
    ::close(fd);
  }
}

constexpr const char* kSessionColumns =
    "uuid, host, cpu, cpus, kernel, os, sysaxis_version, sysaxis_revision, engine, engine_reason, seed, shard, "
    "timeout_s, command, env, extra, started_at, ended_at";
constexpr const char* kCellColumns =
    "cell_key, workload, backend, platform, device, exec, bytes, iters, alloc_op, sync, threads";

// Merges one attached input ("src") into main, in one transaction.
void merge_one(Database& db, const std::string& path, const MergeOptions& options, MergeReport& report) {
  db.prepare("ATTACH DATABASE ? AS src").bind(1, path).run();
  try {
    Transaction tx(db);
    db.exec(
        fmt::format("INSERT INTO main.sessions ({0}) SELECT {0} FROM src.sessions "
                    "WHERE uuid NOT IN (SELECT uuid FROM main.sessions)",
                    kSessionColumns));
    db.exec(fmt::format("INSERT OR IGNORE INTO main.cells ({0}) SELECT {0} FROM src.cells", kCellColumns));
    db.exec(
        "INSERT OR IGNORE INTO main.cell_sweeps (cell_id, sweep, question) "
        "SELECT mc.cell_id, s.sweep, s.question FROM src.cell_sweeps s "
        "JOIN src.cells c ON c.cell_id = s.cell_id JOIN main.cells mc ON mc.cell_key = c.cell_key");
    db.exec(
        "INSERT OR IGNORE INTO main.targets (session_id, workload, backend, platform, device, exec, status, reason) "
        "SELECT ms.session_id, t.workload, t.backend, t.platform, t.device, t.exec, t.status, t.reason "
        "FROM src.targets t JOIN src.sessions s ON s.session_id = t.session_id "
        "JOIN main.sessions ms ON ms.uuid = s.uuid");

    report.runs_already_there +=
        scalar(db, "SELECT count(*) FROM src.run_records WHERE uuid IN (SELECT uuid FROM main.run_records)");
    // The same (cell, repetition) already stored from another run.
    const std::string conflicts =
        "FROM src.run_records r JOIN src.cells c ON c.cell_id = r.cell_id "
        "JOIN main.cells mc ON mc.cell_key = c.cell_key "
        "JOIN main.run_records mr ON mr.cell_id = mc.cell_id AND mr.rep = r.rep AND mr.uuid <> r.uuid";
    const std::int64_t n_conflicts = scalar(db, "SELECT count(*) " + conflicts);
    if (n_conflicts > 0 && !options.skip_duplicates) {
      auto ex = db.prepare("SELECT c.cell_key, r.rep " + conflicts + " LIMIT 1");
      ex.step();
      throw StoreError(fmt::format(
          "{}: {} run(s) repeat a (cell, repetition) already merged from another input, e.g. cell {} repetition {}; "
          "inputs overlap (the same shard run twice?). Pass --skip-duplicates to keep the first of each",
          path, n_conflicts, ex.column_text(0), ex.column_int(1)));
    }
    report.duplicates_skipped += n_conflicts;

    const std::int64_t max_before = scalar(db, "SELECT COALESCE(MAX(run_id), 0) FROM main.run_records");
    db.exec(fmt::format(
        "INSERT INTO main.run_records (cell_id, session_id, {0}) "
        "SELECT mc.cell_id, ms.session_id, {1} FROM src.run_records r "
        "JOIN src.cells c ON c.cell_id = r.cell_id JOIN main.cells mc ON mc.cell_key = c.cell_key "
        "JOIN src.sessions s ON s.session_id = r.session_id JOIN main.sessions ms ON ms.uuid = s.uuid "
        "WHERE r.uuid NOT IN (SELECT uuid FROM main.run_records) "
        "AND NOT EXISTS (SELECT 1 FROM main.run_records mr WHERE mr.cell_id = mc.cell_id AND mr.rep = r.rep) "
        "ORDER BY r.run_id",
        kRunCopyColumns, prefixed(kRunCopyColumns, "r.")));
    report.runs_added += db.changes();
    const std::string new_runs = fmt::format(
        "JOIN src.run_records r ON r.run_id = k.run_id JOIN main.run_records mr ON mr.uuid = r.uuid "
        "WHERE mr.run_id > {}",
        max_before);
    db.exec(
        "INSERT INTO main.counters (run_id, phase, proc, role, comm, abi, native, syscall, detail, threads, calls, "
        "errors, unfinished, time_ns, max_ns) SELECT mr.run_id, k.phase, k.proc, k.role, k.comm, k.abi, k.native, "
        "k.syscall, k.detail, k.threads, k.calls, k.errors, k.unfinished, k.time_ns, k.max_ns FROM src.counters k " +
        new_runs);
    db.exec(
        "INSERT INTO main.fault_counters (run_id, phase, proc, comm, minor, major, vol_cs, invol_cs) "
        "SELECT mr.run_id, k.phase, k.proc, k.comm, k.minor, k.major, k.vol_cs, k.invol_cs FROM src.fault_counters k " +
        new_runs);
    db.exec(
        "INSERT INTO main.processes (run_id, proc, parent, comm, phases, exit_code, term_signal) "
        "SELECT mr.run_id, k.proc, k.parent, k.comm, k.phases, k.exit_code, k.term_signal FROM src.processes k " +
        new_runs);
    tx.commit();
  } catch (...) {
    try {
      db.exec("DETACH DATABASE src");
    } catch (const StoreError&) {  // NOLINT(bugprone-empty-catch): the first error is the one to report
    }
    throw;
  }
  db.exec("DETACH DATABASE src");
}

}  // namespace

MergeReport merge_studies(const std::string& out, const std::vector<std::string>& inputs, const MergeOptions& options) {
  if (inputs.empty()) throw StoreError("nothing to merge: name at least one input database");
  std::vector<InputInfo> infos;
  for (const auto& in : inputs) {
    std::error_code ec;
    if (fs::exists(out) && fs::equivalent(in, out, ec)) {
      throw StoreError(fmt::format("{}: is also the output; name the output first and only once", in));
    }
    infos.push_back(inspect(in));
  }
  const InputInfo& first = infos.front();
  MergeReport report;
  for (const auto& i : infos) {
    if (i.spec_hash != first.spec_hash) {
      throw StoreError(fmt::format(
          "{}: study '{}' of spec {} differs from {} (study '{}', spec {}): only shards of one spec merge", i.path,
          i.study, i.spec_hash.substr(0, 12), first.path, first.study, first.spec_hash.substr(0, 12)));
    }
    if (i.taxonomy_hash != first.taxonomy_hash) {
      report.warnings.push_back(fmt::format("{}: stored another taxonomy than {}; the merged study keeps {}'s", i.path,
                                            first.path, first.path));
    }
  }
  const bool out_exists = fs::exists(out);
  if (out_exists && !fs::is_regular_file(out)) {
    // The merge renames its result over OUT: a device or FIFO there would be replaced.
    throw StoreError(fmt::format("{}: is not a regular file: the merged study needs a database file", out));
  }
  if (out_exists) {
    // Read-only: an OUT of another schema version is refused, never migrated in place (the merge
    // changes OUT only by the rename at the end).
    InputInfo o = inspect(out);
    if (o.spec_hash != first.spec_hash) {
      throw StoreError(fmt::format("{}: holds study '{}' of spec {}, the inputs spec {}: use a new output file", out,
                                   o.study, o.spec_hash.substr(0, 12), first.spec_hash.substr(0, 12)));
    }
  }

  const fs::path out_path(out);
  std::random_device rd;
  const fs::path tmp = out_path.parent_path() / fmt::format(".{}.merge-{:08x}.tmp", out_path.filename().string(), rd());
  struct Cleanup {
    fs::path p;
    bool armed = true;
    ~Cleanup() {
      if (armed) {
        std::error_code ec;
        fs::remove(p, ec);
        fs::remove(p.string() + "-journal", ec);
      }
    }
  } cleanup{tmp};
  if (options.on_temporary) options.on_temporary(tmp.string());

  {
    if (out_exists) {
      std::error_code ec;
      fs::copy_file(out, tmp, ec);
      if (ec) throw StoreError(fmt::format("{}: cannot copy to {}: {}", out, tmp.string(), ec.message()));
    }
    Database db(tmp.string(), Database::Mode::create);
    db.exec("PRAGMA foreign_keys = ON");
    // The temporary is fsynced once before the rename and thrown away on any failure, so it needs
    // no journal file (nor, with the attached input, a super-journal beside OUT) and no fsync per
    // input.
    db.exec("PRAGMA main.journal_mode = MEMORY");
    db.exec("PRAGMA main.synchronous = OFF");
    if (!out_exists) {
      // A new study with the first input's identity and taxonomy.
      db.prepare("ATTACH DATABASE ? AS src").bind(1, first.path).run();
      {
        Transaction tx(db);
        create_schema(db);
        db.exec("INSERT INTO main.meta SELECT * FROM src.meta");
        db.exec("INSERT INTO main.taxonomy SELECT * FROM src.taxonomy");
        db.exec("INSERT INTO main.categories SELECT * FROM src.categories");
        db.exec("INSERT INTO main.device_syscalls SELECT * FROM src.device_syscalls");
        db.exec("INSERT INTO main.device_classes SELECT * FROM src.device_classes");
        tx.commit();
      }
      db.exec("DETACH DATABASE src");
      db.exec(fmt::format("PRAGMA main.application_id = {}", kApplicationId));
    }
    for (const auto& i : infos) merge_one(db, i.path, options, report);
    report.runs_total = scalar(db, "SELECT count(*) FROM run_records");
  }
  fsync_path(tmp, O_RDONLY);
  std::error_code ec;
  fs::rename(tmp, out_path, ec);
  if (ec) throw StoreError(fmt::format("{}: cannot rename {} over it: {}", out, tmp.string(), ec.message()));
  cleanup.armed = false;
  fsync_path(out_path.parent_path().empty() ? fs::path(".") : out_path.parent_path(), O_RDONLY | O_DIRECTORY);
  return report;
}

}  // namespace sysaxis::store
