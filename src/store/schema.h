// The study database schema (docs/store.md). Bump kSchemaVersion on any incompatible change.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace sysaxis::store {

inline constexpr int kSchemaVersion = 2;
// PRAGMA application_id of a sysaxis study ("SYSX").
inline constexpr int kApplicationId = 0x53595358;

// Tables and indexes of schema version kSchemaVersion: kTablesSql, then kDeviceTablesSql.
extern const std::string_view kTablesSql;
extern const std::string_view kDeviceTablesSql;
// The views (the readers' contract), re-created whenever the schema is migrated.
extern const std::string_view kViewsSql;
// Names of the views of kViewsSql, in order.
std::vector<std::string> view_names();

// One additive step of the schema: SQL that takes version `to - 1` to `to` (tables only).
struct Migration {
  int to = 0;
  std::vector<std::string_view> sql;
};
const std::vector<Migration>& migrations();

// Columns of run_records copied verbatim by merge (everything but run_id, cell_id, session_id).
extern const std::string_view kRunCopyColumns;

}  // namespace sysaxis::store
