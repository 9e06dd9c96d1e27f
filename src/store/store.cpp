#include "store/store.h"

#include <fmt/format.h>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <tuple>

#include "store/schema.h"
#include "store/sha256.h"
#include "syscalls/syscall_table.h"

namespace sysaxis::store {
namespace {

void configure(Database& db) {
  db.exec("PRAGMA foreign_keys = ON");
}

std::string short_hash(const std::string& h) {
  return h.substr(0, 12);
}

bool has_tables(Database& db) {
  auto st = db.prepare("SELECT count(*) FROM sqlite_master");
  st.step();
  return st.column_int(0) > 0;
}

// Runs a first query and turns "file is not a database" into a sentence about sysaxis.
bool has_tables_checked(Database& db) {
  try {
    return has_tables(db);
  } catch (const StoreError&) {
    throw StoreError(fmt::format("{}: not a sysaxis study database ({})", db.path(), sqlite3_errmsg(db.handle())));
  }
}

}  // namespace

std::string taxonomy_hash(const syscalls::Taxonomy& taxonomy) {
  std::set<std::string> names;
  for (auto abi : {syscalls::Abi::x86_64, syscalls::Abi::i386, syscalls::Abi::x32}) {
    for (const auto& e : syscalls::table(abi)) names.emplace(e.name);
  }
  std::string text;
  for (const auto& c : taxonomy.categories()) text += fmt::format("category:{}\n", c);
  for (const auto& n : names) text += fmt::format("{}={}\n", n, taxonomy.category(n));
  // Device classes change what ioctl rows count as; a taxonomy without them hashes as before.
  for (const auto& s : taxonomy.device_syscalls())
    text += fmt::format("device-syscall:{}={}\n", s, taxonomy.device_default());
  for (const auto& c : taxonomy.device_classes()) {
    for (const auto& p : c.patterns) text += fmt::format("device:{}:{}={}\n", c.name, p, c.category);
  }
  return sha256_hex(text);
}

namespace {

void write_device_classes(Database& db, const syscalls::Taxonomy& taxonomy) {
  db.exec("DELETE FROM device_syscalls; DELETE FROM device_classes;");
  auto sys = db.prepare("INSERT INTO device_syscalls (syscall, default_category) VALUES (?, ?)");
  for (const auto& s : taxonomy.device_syscalls()) sys.run_with(s, taxonomy.device_default());
  auto cls = db.prepare("INSERT INTO device_classes (position, class, pattern, category) VALUES (?, ?, ?, ?)");
  std::int64_t pos = 0;
  for (const auto& c : taxonomy.device_classes()) {
    for (const auto& p : c.patterns) cls.run_with(pos++, c.name, p, c.category);
  }
}

int schema_version_of(Database& db) {
  auto st = db.prepare("SELECT value FROM meta WHERE key = 'schema_version'");
  if (!st.step()) return 0;
  try {
    return std::stoi(st.column_text(0));
  } catch (const std::exception&) {
    return 0;
  }
}

}  // namespace

void create_schema(Database& db) {
  db.exec(kTablesSql);
  db.exec(kDeviceTablesSql);
  db.exec(kViewsSql);
}

void migrate_schema(Database& db, const syscalls::Taxonomy& taxonomy) {
  const int from = schema_version_of(db);
  if (from >= kSchemaVersion) return;
  Transaction tx(db);
  for (const auto& m : migrations()) {
    if (m.to <= from) continue;
    for (const auto& sql : m.sql) db.exec(sql);
  }
  for (const auto& v : view_names()) db.exec(fmt::format("DROP VIEW IF EXISTS {}", v));
  db.exec(kViewsSql);
  if (from < 2) write_device_classes(db, taxonomy);
  db.prepare("UPDATE meta SET value = ? WHERE key = 'schema_version'").run_with(std::to_string(kSchemaVersion));
  tx.commit();
}

void initialise_study(Database& db, const StudyIdentity& id, const std::string& now_iso) {
  create_schema(db);
  db.exec(fmt::format("PRAGMA application_id = {}", kApplicationId));
  auto put = db.prepare("INSERT INTO meta (key, value) VALUES (?, ?)");
  const std::pair<const char*, std::string> rows[] = {
      {"schema_version", std::to_string(kSchemaVersion)},
      {"study", id.study},
      {"spec_hash", id.spec_hash},
      {"spec_text", id.spec_text},
      {"spec_canonical", id.spec_canonical},
      {"created_at", now_iso},
  };
  for (const auto& [k, v] : rows) put.bind(1, k).bind(2, v).run();
}

void write_taxonomy(Database& db, const syscalls::Taxonomy& taxonomy) {
  db.exec("DELETE FROM taxonomy; DELETE FROM categories;");
  auto cat = db.prepare("INSERT INTO categories (category, position, description) VALUES (?, ?, ?)");
  int pos = 0;
  for (const auto& c : taxonomy.categories()) cat.bind(1, c).bind(2, pos++).bind(3, taxonomy.description(c)).run();
  std::set<std::string> names;
  for (auto abi : {syscalls::Abi::x86_64, syscalls::Abi::i386, syscalls::Abi::x32}) {
    for (const auto& e : syscalls::table(abi)) names.emplace(e.name);
  }
  auto ins = db.prepare("INSERT INTO taxonomy (syscall, category) VALUES (?, ?)");
  for (const auto& n : names) ins.bind(1, n).bind(2, taxonomy.category(n)).run();
  write_device_classes(db, taxonomy);
  auto put = db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)");
  put.bind(1, "taxonomy_source").bind(2, taxonomy.source()).run();
  put.bind(1, "taxonomy_hash").bind(2, taxonomy_hash(taxonomy)).run();
}

void Store::check_study(bool read_only, const syscalls::Taxonomy& taxonomy) {
  if (!has_tables_checked(db_)) throw StoreError(fmt::format("{}: empty database, not a sysaxis study", db_.path()));
  auto app = db_.prepare("PRAGMA application_id");
  app.step();
  const auto app_id = app.column_int(0);
  auto has_meta = db_.prepare("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'meta'");
  has_meta.step();
  if (app_id != kApplicationId || has_meta.column_int(0) == 0) {
    throw StoreError(fmt::format("{}: not a sysaxis study database (SQLite application id {:#x}, expected {:#x})",
                                 db_.path(), app_id, kApplicationId));
  }
  auto v = meta("schema_version");
  if (!v) throw StoreError(fmt::format("{}: study database without a schema version", db_.path()));
  int version = 0;
  try {
    version = std::stoi(*v);
  } catch (const std::exception&) {
    version = 0;
  }
  if (version < 1 || version > kSchemaVersion) {
    throw StoreError(fmt::format(
        "{}: study database of schema version {}; this sysaxis reads schema versions 1 to {} only (docs/store.md). "
        "Use the sysaxis release that wrote it, or re-run the study into a new database.",
        db_.path(), *v, kSchemaVersion));
  }
  if (version < kSchemaVersion && !read_only) migrate_schema(db_, taxonomy);
}

Store Store::open_existing(const std::string& path, bool read_only) {
  Store s(Database(path, read_only ? Database::Mode::read_only : Database::Mode::read_write));
  configure(s.db_);
  s.check_study(read_only, syscalls::Taxonomy::builtin());
  return s;
}

Store Store::create(const std::string& path, const StudyIdentity& id, const std::string& now_iso) {
  Store s(Database(path, Database::Mode::create));
  configure(s.db_);
  if (has_tables_checked(s.db_)) throw StoreError(fmt::format("{}: already exists and is not empty", path));
  Transaction tx(s.db_);
  initialise_study(s.db_, id, now_iso);
  tx.commit();
  return s;
}

Store Store::open_for_run(const std::string& path, const StudyIdentity& id, const syscalls::Taxonomy& taxonomy,
                          const std::string& now_iso) {
  Store s(Database(path, Database::Mode::create));
  configure(s.db_);
  if (!has_tables_checked(s.db_)) {
    Transaction tx(s.db_);
    initialise_study(s.db_, id, now_iso);
    write_taxonomy(s.db_, taxonomy);
    tx.commit();
    return s;
  }
  s.check_study(false, taxonomy);
  auto hash = s.meta("spec_hash").value_or("");
  if (hash != id.spec_hash) {
    throw StoreError(fmt::format(
        "{}: holds study '{}' of another spec (spec hash {}, this spec {}); a study database holds one spec: "
        "use another --db",
        path, s.meta("study").value_or("?"), short_hash(hash), short_hash(id.spec_hash)));
  }
  return s;
}

std::optional<std::string> Store::meta(const std::string& key) {
  auto st = db_.prepare("SELECT value FROM meta WHERE key = ?");
  st.bind(1, key);
  if (!st.step()) return std::nullopt;
  return st.column_text(0);
}

void Store::set_meta(const std::string& key, const std::string& value) {
  db_.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)").bind(1, key).bind(2, value).run();
}

void Store::set_taxonomy(const syscalls::Taxonomy& taxonomy) {
  Transaction tx(db_);
  write_taxonomy(db_, taxonomy);
  tx.commit();
}

std::map<std::string, std::int64_t> Store::ensure_cells(const std::vector<CellRecord>& cells) {
  std::map<std::string, std::int64_t> ids;
  Transaction tx(db_);
  auto ins = db_.prepare(
      "INSERT OR IGNORE INTO cells (cell_key, workload, backend, platform, device, exec, bytes, iters, alloc_op, "
      "sync, threads) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  auto get = db_.prepare("SELECT cell_id FROM cells WHERE cell_key = ?");
  auto tag = db_.prepare("INSERT OR IGNORE INTO cell_sweeps (cell_id, sweep, question) VALUES (?, ?, ?)");
  for (const auto& rec : cells) {
    const Cell& c = rec.cell;
    const std::string key = c.key();
    ins.run_with(key, c.workload, c.backend, c.platform, c.device, c.exec, c.bytes, c.iters, c.alloc_op, c.sync,
                 c.threads);
    get.bind(1, key);
    if (!get.step()) throw StoreError(fmt::format("{}: cell {} vanished", db_.path(), key));
    const std::int64_t id = get.column_int(0);
    get.reset();
    ids[key] = id;
    for (const auto& t : rec.sweeps) tag.bind(1, id).bind(2, t.sweep).bind(3, t.question).run();
  }
  tx.commit();
  return ids;
}

std::int64_t Store::add_session(const Session& s) {
  Transaction tx(db_);
  db_.prepare(
         "INSERT INTO sessions (uuid, host, cpu, cpus, kernel, os, sysaxis_version, sysaxis_revision, engine, "
         "engine_reason, seed, shard, timeout_s, command, env, extra, started_at) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, s.uuid)
      .bind(2, s.host)
      .bind(3, s.cpu)
      .bind(4, s.cpus)
      .bind(5, s.kernel)
      .bind(6, s.os)
      .bind(7, s.sysaxis_version)
      .bind(8, s.sysaxis_revision)
      .bind(9, s.engine)
      .bind(10, s.engine_reason)
      .bind(11, s.seed)
      .bind(12, s.shard)
      .bind(13, s.timeout_s)
      .bind(14, s.command)
      .bind(15, s.env)
      .bind(16, s.extra)
      .bind(17, s.started_at)
      .run();
  const std::int64_t id = db_.last_insert_rowid();
  tx.commit();
  return id;
}

void Store::end_session(std::int64_t session_id, const std::string& ended_at) {
  db_.prepare("UPDATE sessions SET ended_at = ? WHERE session_id = ?").bind(1, ended_at).bind(2, session_id).run();
}

void Store::record_target(std::int64_t session_id, const TargetCheck& t) {
  db_.prepare(
         "INSERT OR REPLACE INTO targets (session_id, workload, backend, platform, device, exec, status, reason) "
         "VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
      .bind(1, session_id)
      .bind(2, t.workload)
      .bind(3, t.backend)
      .bind(4, t.platform)
      .bind(5, t.device)
      .bind(6, t.exec)
      .bind(7, t.status)
      .bind(8, t.reason)
      .run();
}

std::map<RunKey, std::string> Store::stored_runs() {
  std::map<RunKey, std::string> out;
  auto st = db_.prepare("SELECT c.cell_key, r.rep, r.status FROM run_records r JOIN cells c ON c.cell_id = r.cell_id");
  while (st.step()) out[{st.column_text(0), st.column_int(1)}] = st.column_text(2);
  return out;
}

int Store::delete_failed_runs(const std::set<std::string>& cell_keys) {
  Transaction tx(db_);
  auto del = db_.prepare(
      "DELETE FROM run_records WHERE status <> 'ok' AND cell_id = (SELECT cell_id FROM cells WHERE cell_key = ?)");
  int n = 0;
  for (const auto& k : cell_keys) {
    del.bind(1, k);
    while (del.step()) {
    }
    n += db_.changes();
    del.reset();
  }
  tx.commit();
  return n;
}

void Store::record_run(const RunRecord& r, const RunCounters& counters) {
  Transaction tx(db_);
  auto cell = db_.prepare("SELECT cell_id FROM cells WHERE cell_key = ?");
  cell.bind(1, r.cell_key);
  if (!cell.step()) throw StoreError(fmt::format("{}: run of unknown cell {}", db_.path(), r.cell_key));
  const std::int64_t cell_id = cell.column_int(0);
  auto ins = db_.prepare(
      "INSERT INTO run_records (uuid, cell_id, rep, session_id, seq, status, reason, exit_status, term_signal, "
      "wall_ns, started_at, ended_at, engine, platform, device, runtime_version, driver_version, verified, init_ns, "
      "work_ns, teardown_ns, result, command, output, threads_seen, lost, notes, cpu_user_ns, cpu_sys_ns) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  std::optional<std::int64_t> verified;
  if (r.verified) verified = *r.verified ? 1 : 0;
  ins.run_with(r.uuid, cell_id, r.rep, r.session_id, r.seq, r.status, r.reason, r.exit_status, r.term_signal, r.wall_ns,
               r.started_at, r.ended_at, r.engine, r.platform, r.device, r.runtime_version, r.driver_version, verified,
               r.init_ns, r.work_ns, r.teardown_ns, r.result, r.command, r.output, r.threads_seen, r.lost, r.notes,
               r.cpu_user_ns, r.cpu_sys_ns);
  const std::int64_t run_id = db_.last_insert_rowid();
  auto cnt = db_.prepare(
      "INSERT INTO counters (run_id, phase, proc, role, comm, abi, native, syscall, detail, threads, calls, errors, "
      "unfinished, time_ns, max_ns) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& c : counters.counters) {
    cnt.run_with(run_id, c.phase, c.proc, c.role, c.comm, c.abi, c.native ? 1 : 0, c.syscall, c.detail, c.threads,
                 c.calls, c.errors, c.unfinished, c.time_ns, c.max_ns);
  }
  auto flt = db_.prepare(
      "INSERT INTO fault_counters (run_id, phase, proc, comm, minor, major, vol_cs, invol_cs) "
      "VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (const auto& f : counters.faults) {
    flt.run_with(run_id, f.phase, f.proc, f.comm, f.minor, f.major, f.vol_cs, f.invol_cs);
  }
  auto prc = db_.prepare(
      "INSERT INTO processes (run_id, proc, parent, comm, phases, exit_code, term_signal) VALUES (?, ?, ?, ?, ?, ?, "
      "?)");
  for (const auto& p : counters.processes) {
    prc.run_with(run_id, p.proc, p.parent, p.comm, p.phases, p.exit_code, p.term_signal);
  }
  tx.commit();
}

RunCounters counters_from_trace(const trace::TraceResult& t) {
  RunCounters out;
  // Process numbering: the command itself is 0, its descendants follow in pid order.
  std::vector<trace::ProcessInfo> procs = t.processes;
  std::sort(procs.begin(), procs.end(), [](const auto& a, const auto& b) { return a.pid < b.pid; });
  std::map<pid_t, std::int64_t> index;
  for (const auto& p : procs) {
    if (p.parent == 0) {
      index[p.pid] = 0;
      break;
    }
  }
  std::int64_t next = 1;
  auto idx = [&](pid_t pid) {
    auto [it, inserted] = index.emplace(pid, next);
    if (inserted) ++next;
    return it->second;
  };
  for (const auto& p : procs) (void)idx(p.pid);
  std::map<pid_t, std::string> comm_of;
  for (const auto& p : procs) comm_of[p.pid] = p.comm;

  using Key = std::tuple<std::string, std::int64_t, std::string, std::string, std::string, std::string, std::string>;
  std::map<Key, std::pair<CounterRow, std::set<pid_t>>> agg;
  for (const auto& r : t.rows) {
    const std::int64_t proc = idx(r.pid);
    const std::string role = r.tid == r.pid ? "main" : "thread";
    const std::string abi(syscalls::abi_name(r.abi));
    Key k{r.phase, proc, role, r.comm, abi, r.syscall, r.detail};
    auto& [row, tids] = agg[k];
    if (tids.empty()) {
      row.phase = r.phase;
      row.proc = proc;
      row.role = role;
      row.comm = r.comm;
      row.abi = abi;
      row.native = r.abi == syscalls::native_abi();
      row.syscall = r.syscall;
      row.detail = r.detail;
    }
    tids.insert(r.tid);
    row.calls += r.calls;
    row.errors += r.errors;
    row.unfinished += r.unfinished;
    row.time_ns += r.time_ns;
    row.max_ns = std::max(row.max_ns, r.max_ns);
  }
  for (auto& [k, v] : agg) {
    v.first.threads = v.second.size();
    out.counters.push_back(std::move(v.first));
  }
  std::map<std::pair<std::string, std::int64_t>, FaultCounterRow> faults;
  for (const auto& f : t.faults) {
    const std::int64_t proc = idx(f.pid);
    auto& row = faults[{f.phase, proc}];
    row.phase = f.phase;
    row.proc = proc;
    row.comm = comm_of[f.pid];
    row.minor += f.minor;
    row.major += f.major;
    row.vol_cs += f.vol_cs;
    row.invol_cs += f.invol_cs;
  }
  for (auto& [k, v] : faults) out.faults.push_back(std::move(v));
  for (const auto& p : procs) {
    ProcessRow row;
    row.proc = idx(p.pid);
    if (p.parent != 0) row.parent = idx(p.parent);
    row.comm = p.comm;
    row.phases = nlohmann::json(p.phases).dump();
    if (p.exit_code) row.exit_code = *p.exit_code;
    if (p.term_signal) row.term_signal = *p.term_signal;
    out.processes.push_back(std::move(row));
  }
  std::sort(out.processes.begin(), out.processes.end(), [](const auto& a, const auto& b) { return a.proc < b.proc; });
  return out;
}

std::string Cell::key() const {
  return nlohmann::json::array({workload, backend, platform, device, exec, bytes, iters, alloc_op, sync, threads})
      .dump();
}

}  // namespace sysaxis::store
