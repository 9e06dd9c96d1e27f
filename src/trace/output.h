// Renders a TraceResult: a strace -c-like table, the JSON contract (docs/trace-format.md), CSV.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "syscalls/taxonomy.h"
#include "trace/trace.h"

namespace sysaxis::trace {

enum class GroupField { syscall, category, phase, thread, device, api };

// Parses "syscall", "phase,category", ...; throws std::invalid_argument naming the bad field.
std::vector<GroupField> parse_group_by(const std::string& spec);

// The device of a row: the device part of an ioctl/mmap detail ("nvidiactl", "anon", "file"),
// empty for other syscalls.
std::string row_device(const Row& row);

// The category of a row: the taxonomy's, with driver traffic split by device
// ("driver" stays "driver"; see row_device for the split).
std::string row_category(const Row& row, const syscalls::Taxonomy& taxonomy);
// The driver category split (issue 7): "driver:<device>:<operation>" for driver rows with a
// detail ("driver:nvidiactl:RM_CONTROL:NV0000_CTRL_CMD_GPU_GET_ATTACHED_IDS"), else
// row_category. A separate key: the `category` column stays the taxonomy's ("driver").
std::string row_driver_category(const Row& row, const syscalls::Taxonomy& taxonomy);

// --by api (alone): per API function its calls, syscalls and faults per call, the top ioctl
// requests per call, and time in syscalls against time in the API; "" (none) last.
struct ApiSummary {
  std::string api;
  std::uint64_t calls = 0, nested = 0, unfinished = 0, api_time_ns = 0;
  std::uint64_t syscalls = 0, errors = 0, syscall_time_ns = 0, faults = 0;
  std::vector<std::pair<std::string, std::uint64_t>> ioctls;  // detail, calls; most first
};
std::vector<ApiSummary> summarize_apis(const TraceResult& r);

nlohmann::json to_json(const TraceResult& r, const syscalls::Taxonomy& taxonomy);
std::string render_json(const TraceResult& r, const syscalls::Taxonomy& taxonomy);
// Tidy CSV: one line per row of the JSON (no --by) or per group (with --by).
std::string render_csv(const TraceResult& r, const syscalls::Taxonomy& taxonomy, const std::vector<GroupField>& by);
std::string render_table(const TraceResult& r, const syscalls::Taxonomy& taxonomy, const std::vector<GroupField>& by);

inline constexpr std::string_view kTraceSchema = "sysaxis.trace/1";

}  // namespace sysaxis::trace
