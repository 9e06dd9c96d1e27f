// The study database schema (docs/store.md). Bump kSchemaVersion on any incompatible change.
#pragma once

#include <string_view>

namespace sysaxis::store {

inline constexpr int kSchemaVersion = 1;
// PRAGMA application_id of a sysaxis study ("SYSX").
inline constexpr int kApplicationId = 0x53595358;

// Tables, indexes and views of schema version kSchemaVersion.
extern const std::string_view kSchemaSql;

// Columns of run_records copied verbatim by merge (everything but run_id, cell_id, session_id).
extern const std::string_view kRunCopyColumns;

}  // namespace sysaxis::store
