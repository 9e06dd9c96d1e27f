#include "store/schema.h"

namespace sysaxis::store {

// Keep docs/store.md in step (tests/unit/store_schema_test.cpp checks every view column is
// documented there).
const std::string_view kTablesSql = R"sql(
CREATE TABLE meta (
  key   TEXT PRIMARY KEY,
  value TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE sessions (
  session_id       INTEGER PRIMARY KEY,
  uuid             TEXT NOT NULL UNIQUE,
  host             TEXT NOT NULL,
  cpu              TEXT NOT NULL,
  cpus             INTEGER NOT NULL,
  kernel           TEXT NOT NULL,
  os               TEXT NOT NULL,
  sysaxis_version  TEXT NOT NULL,
  sysaxis_revision TEXT NOT NULL,
  engine           TEXT NOT NULL,
  engine_reason    TEXT NOT NULL,
  seed             INTEGER NOT NULL,
  shard            TEXT NOT NULL,
  timeout_s        REAL NOT NULL,
  command          TEXT NOT NULL,
  env              TEXT NOT NULL,
  extra            TEXT NOT NULL,
  started_at       TEXT NOT NULL,
  ended_at         TEXT
);

CREATE TABLE cells (
  cell_id   INTEGER PRIMARY KEY,
  cell_key  TEXT NOT NULL UNIQUE,
  workload  TEXT NOT NULL,
  backend   TEXT NOT NULL,
  platform  TEXT NOT NULL,
  device    TEXT NOT NULL,
  exec      TEXT NOT NULL,
  bytes     INTEGER NOT NULL,
  iters     INTEGER NOT NULL,
  alloc_op  TEXT NOT NULL,
  sync      TEXT NOT NULL,
  threads   INTEGER NOT NULL
);

CREATE TABLE cell_sweeps (
  cell_id  INTEGER NOT NULL REFERENCES cells (cell_id),
  sweep    TEXT NOT NULL,
  question TEXT NOT NULL,
  PRIMARY KEY (cell_id, sweep)
) WITHOUT ROWID;

CREATE TABLE targets (
  session_id INTEGER NOT NULL REFERENCES sessions (session_id),
  workload   TEXT NOT NULL,
  backend    TEXT NOT NULL,
  platform   TEXT NOT NULL,
  device     TEXT NOT NULL,
  exec       TEXT NOT NULL,
  status     TEXT NOT NULL,
  reason     TEXT NOT NULL,
  PRIMARY KEY (session_id, workload, backend, platform, device, exec)
) WITHOUT ROWID;

CREATE TABLE run_records (
  run_id          INTEGER PRIMARY KEY,
  uuid            TEXT NOT NULL UNIQUE,
  cell_id         INTEGER NOT NULL REFERENCES cells (cell_id),
  rep             INTEGER NOT NULL,
  session_id      INTEGER NOT NULL REFERENCES sessions (session_id),
  seq             INTEGER NOT NULL,
  status          TEXT NOT NULL,
  reason          TEXT NOT NULL,
  exit_status     INTEGER,
  term_signal     INTEGER,
  wall_ns         INTEGER,
  started_at      TEXT NOT NULL,
  ended_at        TEXT NOT NULL,
  engine          TEXT NOT NULL,
  platform        TEXT NOT NULL,
  device          TEXT NOT NULL,
  runtime_version TEXT NOT NULL,
  driver_version  TEXT NOT NULL,
  verified        INTEGER,
  init_ns         INTEGER,
  work_ns         INTEGER,
  teardown_ns     INTEGER,
  result          TEXT NOT NULL,
  command         TEXT NOT NULL,
  output          TEXT NOT NULL,
  threads_seen    INTEGER NOT NULL,
  lost            INTEGER NOT NULL,
  notes           TEXT NOT NULL,
  cpu_user_ns     INTEGER,
  cpu_sys_ns      INTEGER,
  UNIQUE (cell_id, rep)
);

CREATE TABLE counters (
  run_id     INTEGER NOT NULL REFERENCES run_records (run_id) ON DELETE CASCADE,
  phase      TEXT NOT NULL,
  proc       INTEGER NOT NULL,
  role       TEXT NOT NULL,
  comm       TEXT NOT NULL,
  abi        TEXT NOT NULL,
  native     INTEGER NOT NULL,
  syscall    TEXT NOT NULL,
  detail     TEXT NOT NULL,
  threads    INTEGER NOT NULL,
  calls      INTEGER NOT NULL,
  errors     INTEGER NOT NULL,
  unfinished INTEGER NOT NULL,
  time_ns    INTEGER NOT NULL,
  max_ns     INTEGER NOT NULL,
  PRIMARY KEY (run_id, phase, proc, role, comm, abi, syscall, detail)
) WITHOUT ROWID;

CREATE TABLE fault_counters (
  run_id   INTEGER NOT NULL REFERENCES run_records (run_id) ON DELETE CASCADE,
  phase    TEXT NOT NULL,
  proc     INTEGER NOT NULL,
  comm     TEXT NOT NULL,
  minor    INTEGER NOT NULL,
  major    INTEGER NOT NULL,
  vol_cs   INTEGER NOT NULL,
  invol_cs INTEGER NOT NULL,
  PRIMARY KEY (run_id, phase, proc)
) WITHOUT ROWID;

CREATE TABLE processes (
  run_id      INTEGER NOT NULL REFERENCES run_records (run_id) ON DELETE CASCADE,
  proc        INTEGER NOT NULL,
  parent      INTEGER,
  comm        TEXT NOT NULL,
  phases      TEXT NOT NULL,
  exit_code   INTEGER,
  term_signal INTEGER,
  PRIMARY KEY (run_id, proc)
) WITHOUT ROWID;

CREATE TABLE taxonomy (
  syscall  TEXT PRIMARY KEY,
  category TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE categories (
  category    TEXT PRIMARY KEY,
  position    INTEGER NOT NULL,
  description TEXT NOT NULL
) WITHOUT ROWID;

)sql";

// The taxonomy's device classes (schema version 2).
const std::string_view kDeviceTablesSql = R"sql(
CREATE TABLE device_syscalls (
  syscall          TEXT PRIMARY KEY,
  default_category TEXT NOT NULL
) WITHOUT ROWID;

CREATE TABLE device_classes (
  position INTEGER PRIMARY KEY,
  class    TEXT NOT NULL,
  pattern  TEXT NOT NULL,
  category TEXT NOT NULL
);
)sql";

// Views are dropped and re-created on every migration, so they always match the code.
const std::string_view kViewsSql = R"sql(
CREATE VIEW runs AS
SELECT r.run_id,
       c.backend,
       CASE WHEN r.platform <> '' THEN r.platform ELSE c.platform END AS platform,
       CASE WHEN r.device <> '' THEN r.device ELSE c.device END AS device,
       c.exec, c.bytes, c.iters, r.rep, r.status, r.wall_ns, r.engine,
       c.alloc_op, c.sync, c.threads, c.workload,
       (SELECT value FROM meta WHERE key = 'study') AS study,
       r.reason, r.verified, r.init_ns, r.work_ns, r.teardown_ns,
       r.runtime_version, r.driver_version, r.exit_status, r.term_signal, r.lost,
       r.started_at, r.ended_at, r.seq, r.session_id, s.host, r.cpu_user_ns, r.cpu_sys_ns,
       c.platform AS spec_platform, c.device AS spec_device, c.cell_id, c.cell_key
FROM run_records r
JOIN cells c ON c.cell_id = r.cell_id
JOIN sessions s ON s.session_id = r.session_id;

CREATE VIEW counts AS
SELECT k.run_id,
       k.phase,
       CASE WHEN k.native THEN k.syscall ELSE k.abi || ':' || k.syscall END AS syscall,
       k.detail,
       COALESCE(CASE WHEN k.detail <> '' AND ds.syscall IS NOT NULL THEN
                  COALESCE((SELECT d.category FROM device_classes d
                            WHERE substr(k.detail, 1, instr(k.detail || ':', ':') - 1) GLOB d.pattern
                            ORDER BY d.position LIMIT 1),
                           ds.default_category) END,
                t.category, 'other') AS category,
       SUM(k.calls) AS calls,
       SUM(k.errors) AS errors,
       SUM(k.time_ns) AS time_ns,
       SUM(k.unfinished) AS unfinished,
       MAX(k.max_ns) AS max_ns,
       SUM(k.threads) AS threads
FROM counters k
LEFT JOIN taxonomy t ON t.syscall = k.syscall
LEFT JOIN device_syscalls ds ON ds.syscall = k.syscall
GROUP BY k.run_id, k.phase, CASE WHEN k.native THEN k.syscall ELSE k.abi || ':' || k.syscall END, k.detail;

CREATE VIEW faults AS
SELECT run_id, phase,
       SUM(minor) AS minor, SUM(major) AS major, SUM(vol_cs) AS vol_cs, SUM(invol_cs) AS invol_cs
FROM fault_counters
GROUP BY run_id, phase;

CREATE VIEW provenance AS
SELECT key, value FROM meta WHERE key IN ('study', 'spec_hash', 'schema_version', 'taxonomy_source', 'created_at')
UNION SELECT 'host', host FROM sessions
UNION SELECT 'cpu', cpu FROM sessions
UNION SELECT 'cpus', CAST(cpus AS TEXT) FROM sessions
UNION SELECT 'kernel', kernel FROM sessions
UNION SELECT 'os', os FROM sessions
UNION SELECT 'sysaxis_version', sysaxis_version FROM sessions
UNION SELECT 'sysaxis_revision', sysaxis_revision FROM sessions
UNION SELECT 'engine', engine FROM run_records
UNION SELECT 'seed', CAST(seed AS TEXT) FROM sessions
UNION SELECT 'runtime_version.' || c.backend, r.runtime_version
      FROM run_records r JOIN cells c ON c.cell_id = r.cell_id WHERE r.runtime_version <> ''
UNION SELECT 'driver_version.' || c.backend, r.driver_version
      FROM run_records r JOIN cells c ON c.cell_id = r.cell_id WHERE r.driver_version <> ''
UNION SELECT 'platform.' || c.backend, r.platform
      FROM run_records r JOIN cells c ON c.cell_id = r.cell_id WHERE r.platform <> ''
UNION SELECT 'device.' || c.backend, r.device
      FROM run_records r JOIN cells c ON c.cell_id = r.cell_id WHERE r.device <> '';

CREATE VIEW tidy_counts AS
SELECT k.run_id, r.study, r.workload, r.backend, r.platform, r.device, r.exec, r.bytes, r.iters,
       r.alloc_op, r.sync, r.threads, r.rep, r.status, r.engine,
       k.phase, k.syscall, k.detail, k.category, k.calls, k.errors, k.time_ns
FROM counts k JOIN runs r ON r.run_id = k.run_id;
)sql";

const std::string_view kRunCopyColumns =
    "uuid, rep, seq, status, reason, exit_status, term_signal, wall_ns, started_at, ended_at, engine, platform, "
    "device, runtime_version, driver_version, verified, init_ns, work_ns, teardown_ns, result, command, output, "
    "threads_seen, lost, notes, cpu_user_ns, cpu_sys_ns";

const std::vector<Migration>& migrations() {
  // Each step takes a database of schema version `to - 1` to `to`; views are re-created after the
  // last step (kViewsSql). Steps only add: a database of an older version keeps every row.
  static const std::vector<Migration> steps = {
      {2,
       {R"sql(
ALTER TABLE run_records ADD COLUMN cpu_user_ns INTEGER;
ALTER TABLE run_records ADD COLUMN cpu_sys_ns INTEGER;
)sql",
        kDeviceTablesSql}},
  };
  return steps;
}

std::vector<std::string> view_names() {
  std::vector<std::string> names;
  const std::string_view sql = kViewsSql;
  const std::string_view marker = "CREATE VIEW ";
  for (std::size_t at = sql.find(marker); at != std::string_view::npos; at = sql.find(marker, at + 1)) {
    const std::size_t start = at + marker.size();
    names.emplace_back(sql.substr(start, sql.find(' ', start) - start));
  }
  return names;
}

}  // namespace sysaxis::store
