#include "store/sqlite.h"

#include <fmt/format.h>

#include <utility>

namespace sysaxis::store {

namespace {

sqlite3* open_connection(const std::string& path, int flags) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, flags | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(rc);
    sqlite3_close(db);
    throw StoreError(fmt::format("{}: cannot open database: {}", path, msg));
  }
  sqlite3_extended_result_codes(db, 1);
  // Another sysaxis process (a second shard on the same file) may hold the write lock briefly.
  sqlite3_busy_timeout(db, 30000);
  return db;
}

// The result code of a first read of the schema (SQLITE_OK on an empty or valid database).
int probe(sqlite3* db) {
  return sqlite3_exec(db, "SELECT count(*) FROM sqlite_master", nullptr, nullptr, nullptr);
}

}  // namespace

Database::Database(const std::string& path, Mode mode) : path_(path) {
  int flags = 0;
  switch (mode) {
    case Mode::read_only: flags = SQLITE_OPEN_READONLY; break;
    case Mode::read_write: flags = SQLITE_OPEN_READWRITE; break;
    case Mode::create: flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE; break;
  }
  db_ = open_connection(path, flags);
  if (mode != Mode::read_only || probe(db_) != SQLITE_READONLY_ROLLBACK) return;
  // A writer killed inside a transaction (a sweep killed while storing a run) left a hot journal:
  // a read-only connection cannot roll it back, so it could read nothing. Rolling it back is what
  // the next writer would do first, and restores the last commit; done here with a short
  // read-write connection, then the database is opened read-only again.
  sqlite3_close_v2(db_);
  db_ = nullptr;
  sqlite3* rw = nullptr;
  try {
    rw = open_connection(path, SQLITE_OPEN_READWRITE);
  } catch (const StoreError&) {
    throw StoreError(
        fmt::format("{}: a writer was killed inside a transaction and left {}-journal, which must be "
                    "rolled back before the database can be read, and it is not writable here: run "
                    "sysaxis run on it again, or open it once with write access",
                    path, path));
  }
  const int rc = probe(rw);
  std::string msg = sqlite3_errmsg(rw);
  sqlite3_close_v2(rw);
  if (rc != SQLITE_OK) throw StoreError(fmt::format("{}: cannot roll back the unfinished transaction: {}", path, msg));
  db_ = open_connection(path, flags);
}

Database::~Database() {
  if (db_ != nullptr) sqlite3_close_v2(db_);
}

Database::Database(Database&& other) noexcept : db_(std::exchange(other.db_, nullptr)), path_(std::move(other.path_)) {}

Database& Database::operator=(Database&& other) noexcept {
  if (this != &other) {
    if (db_ != nullptr) sqlite3_close_v2(db_);
    db_ = std::exchange(other.db_, nullptr);
    path_ = std::move(other.path_);
  }
  return *this;
}

std::string Database::error_message() const {
  return fmt::format("{}: {}", path_, db_ != nullptr ? sqlite3_errmsg(db_) : "database is closed");
}

void Database::exec(std::string_view sql) {
  char* err = nullptr;
  std::string text(sql);
  if (sqlite3_exec(db_, text.c_str(), nullptr, nullptr, &err) != SQLITE_OK) {
    std::string msg = err != nullptr ? err : sqlite3_errmsg(db_);
    sqlite3_free(err);
    throw StoreError(fmt::format("{}: {}", path_, msg));
  }
}

Statement Database::prepare(std::string_view sql) {
  return Statement(*this, sql);
}

std::int64_t Database::last_insert_rowid() const {
  return sqlite3_last_insert_rowid(db_);
}

int Database::changes() const {
  return sqlite3_changes(db_);
}

Statement::Statement(Database& db, std::string_view sql) : db_(&db), sql_(sql) {
  if (sqlite3_prepare_v2(db.handle(), sql_.data(), static_cast<int>(sql_.size()), &stmt_, nullptr) != SQLITE_OK) {
    throw StoreError(fmt::format("{} (in: {})", db.error_message(), sql_));
  }
}

Statement::~Statement() {
  if (stmt_ != nullptr) sqlite3_finalize(stmt_);
}

Statement::Statement(Statement&& other) noexcept
    : db_(other.db_), stmt_(std::exchange(other.stmt_, nullptr)), sql_(std::move(other.sql_)) {}

namespace {
void check_bind(int rc, Database& db, const std::string& sql) {
  if (rc != SQLITE_OK) throw StoreError(fmt::format("{} (binding in: {})", db.error_message(), sql));
}
}  // namespace

Statement& Statement::bind(int index, std::int64_t value) {
  check_bind(sqlite3_bind_int64(stmt_, index, value), *db_, sql_);
  return *this;
}

Statement& Statement::bind(int index, std::uint64_t value) {
  // Counters fit in 63 bits; anything larger is clamped rather than wrapped negative.
  constexpr std::uint64_t kMax = static_cast<std::uint64_t>(INT64_MAX);
  return bind(index, static_cast<std::int64_t>(value > kMax ? kMax : value));
}

Statement& Statement::bind(int index, double value) {
  check_bind(sqlite3_bind_double(stmt_, index, value), *db_, sql_);
  return *this;
}

Statement& Statement::bind(int index, std::string_view value) {
  check_bind(sqlite3_bind_text(stmt_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT), *db_,
             sql_);
  return *this;
}

Statement& Statement::bind_null(int index) {
  check_bind(sqlite3_bind_null(stmt_, index), *db_, sql_);
  return *this;
}

bool Statement::step() {
  int rc = sqlite3_step(stmt_);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  std::string msg = db_->error_message();
  sqlite3_reset(stmt_);
  throw StoreError(fmt::format("{} (in: {})", msg, sql_));
}

void Statement::run() {
  while (step()) {
  }
  reset();
}

void Statement::reset() {
  sqlite3_reset(stmt_);
  sqlite3_clear_bindings(stmt_);
}

bool Statement::is_null(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_NULL;
}

bool Statement::is_integer(int column) const {
  return sqlite3_column_type(stmt_, column) == SQLITE_INTEGER;
}

std::int64_t Statement::column_int(int column) const {
  return sqlite3_column_int64(stmt_, column);
}

double Statement::column_double(int column) const {
  return sqlite3_column_double(stmt_, column);
}

std::string Statement::column_text(int column) const {
  const auto* p = sqlite3_column_text(stmt_, column);
  if (p == nullptr) return {};
  return std::string(reinterpret_cast<const char*>(p), static_cast<std::size_t>(sqlite3_column_bytes(stmt_, column)));
}

std::optional<std::int64_t> Statement::column_opt_int(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_int(column);
}

std::optional<std::string> Statement::column_opt_text(int column) const {
  if (is_null(column)) return std::nullopt;
  return column_text(column);
}

int Statement::column_count() const {
  return sqlite3_column_count(stmt_);
}

std::string Statement::column_name(int column) const {
  const char* n = sqlite3_column_name(stmt_, column);
  return n != nullptr ? n : "";
}

Transaction::Transaction(Database& db) : db_(db) {
  db_.exec("BEGIN IMMEDIATE");
}

Transaction::~Transaction() {
  if (!done_) {
    // Nothing to do if SQLite already rolled back (e.g. after SQLITE_FULL).
    if (sqlite3_get_autocommit(db_.handle()) == 0) sqlite3_exec(db_.handle(), "ROLLBACK", nullptr, nullptr, nullptr);
  }
}

void Transaction::commit() {
  db_.exec("COMMIT");
  done_ = true;
}

}  // namespace sysaxis::store
