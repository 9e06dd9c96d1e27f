#include "trace/output.h"

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <stdexcept>

#include "syscalls/ioctl.h"

namespace sysaxis::trace {
namespace {

struct Totals {
  std::uint64_t calls = 0, errors = 0, unfinished = 0, time_ns = 0, max_ns = 0;
  void add(const Row& r) {
    calls += r.calls;
    errors += r.errors;
    unfinished += r.unfinished;
    time_ns += r.time_ns;
    max_ns = std::max(max_ns, r.max_ns);
  }
};

std::string_view field_name(GroupField f) {
  switch (f) {
    case GroupField::syscall: return "syscall";
    case GroupField::category: return "category";
    case GroupField::phase: return "phase";
    case GroupField::thread: return "thread";
    case GroupField::device: return "device";
    case GroupField::api: return "api";
  }
  return "?";
}

std::string syscall_label(const Row& r) {
  if (r.abi == syscalls::native_abi()) return r.syscall;
  return fmt::format("{}:{}", syscalls::abi_name(r.abi), r.syscall);
}

std::vector<std::string> group_key(const Row& r, const syscalls::Taxonomy& tax, const std::vector<GroupField>& by) {
  std::vector<std::string> key;
  for (GroupField f : by) {
    switch (f) {
      case GroupField::syscall: key.push_back(syscall_label(r)); break;
      case GroupField::category: key.push_back(row_category(r, tax)); break;
      case GroupField::phase: key.push_back(r.phase); break;
      case GroupField::thread: key.push_back(fmt::format("{}/{} {}", r.pid, r.tid, r.comm)); break;
      case GroupField::device: key.push_back(row_device(r)); break;
      case GroupField::api: key.push_back(r.api); break;
    }
  }
  return key;
}

// Groups in descending order of time, then calls (like strace -c).
std::vector<std::pair<std::vector<std::string>, Totals>> grouped(const TraceResult& r, const syscalls::Taxonomy& tax,
                                                                 const std::vector<GroupField>& by) {
  std::map<std::vector<std::string>, Totals> m;
  const bool device_only = std::find(by.begin(), by.end(), GroupField::device) != by.end();
  for (const auto& row : r.rows) {
    if (device_only && row_device(row).empty()) continue;
    m[group_key(row, tax, by)].add(row);
  }
  std::vector<std::pair<std::vector<std::string>, Totals>> v(m.begin(), m.end());
  std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) {
    if (a.second.time_ns != b.second.time_ns) return a.second.time_ns > b.second.time_ns;
    return a.second.calls > b.second.calls;
  });
  return v;
}

std::string csv_field(const std::string& s) {
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

}  // namespace

std::vector<GroupField> parse_group_by(const std::string& spec) {
  std::vector<GroupField> out;
  std::istringstream ss(spec);
  std::string item;
  while (std::getline(ss, item, ',')) {
    bool found = false;
    for (GroupField f : {GroupField::syscall, GroupField::category, GroupField::phase, GroupField::thread,
                         GroupField::device, GroupField::api}) {
      if (item == field_name(f)) {
        out.push_back(f);
        found = true;
      }
    }
    if (!found) {
      throw std::invalid_argument(
          fmt::format("--by: unknown field '{}' (expected syscall, category, phase, thread, device, api, "
                      "or several separated by commas)",
                      item));
    }
  }
  if (out.empty()) throw std::invalid_argument("--by: no field given");
  return out;
}

std::string row_device(const Row& r) {
  if (r.detail.empty()) return {};
  auto colon = r.detail.find(':');
  return colon == std::string::npos ? r.detail : r.detail.substr(0, colon);
}

std::string row_category(const Row& r, const syscalls::Taxonomy& taxonomy) {
  return std::string(taxonomy.category(r.syscall, r.detail));
}

std::string row_driver_category(const Row& r, const syscalls::Taxonomy& taxonomy) {
  return syscalls::driver_category(row_category(r, taxonomy), r.detail);
}

nlohmann::json to_json(const TraceResult& r, const syscalls::Taxonomy& taxonomy) {
  using nlohmann::json;
  json j;
  j["schema"] = kTraceSchema;
  j["engine"] = r.engine;
  j["hook"] = r.hook;
  j["command"] = r.command;
  j["exit_status"] = r.exit_status;
  j["term_signal"] = r.term_signal ? json(*r.term_signal) : json(nullptr);
  j["wall_ns"] = r.wall_ns;
  j["cpu_user_ns"] = r.cpu_user_ns ? json(*r.cpu_user_ns) : json(nullptr);
  j["cpu_sys_ns"] = r.cpu_sys_ns ? json(*r.cpu_sys_ns) : json(nullptr);
  j["arch"] = r.arch;
  j["taxonomy"] = taxonomy.source();
  j["threads_seen"] = r.threads_seen;
  j["lost"] = r.lost;
  j["notes"] = r.notes;
  json rows = json::array();
  for (const auto& row : r.rows) {
    rows.push_back({{"phase", row.phase},
                    {"pid", row.pid},
                    {"tid", row.tid},
                    {"comm", row.comm},
                    {"abi", syscalls::abi_name(row.abi)},
                    {"syscall", row.syscall},
                    {"detail", row.detail},
                    {"category", row_category(row, taxonomy)},
                    {"calls", row.calls},
                    {"errors", row.errors},
                    {"unfinished", row.unfinished},
                    {"time_ns", row.time_ns},
                    {"max_ns", row.max_ns},
                    {"api", row.api}});
  }
  j["rows"] = std::move(rows);
  json apis = json::array();
  for (const auto& a : r.apis) {
    apis.push_back({{"api", a.api},
                    {"calls", a.calls},
                    {"nested", a.nested},
                    {"time_ns", a.time_ns},
                    {"unfinished", a.unfinished}});
  }
  j["apis"] = std::move(apis);
  json faults = json::array();
  for (const auto& f : r.faults) {
    faults.push_back({{"phase", f.phase},
                      {"pid", f.pid},
                      {"minor", f.minor},
                      {"major", f.major},
                      {"vol_cs", f.vol_cs},
                      {"invol_cs", f.invol_cs},
                      {"api", f.api}});
  }
  j["faults"] = std::move(faults);
  json procs = json::array();
  for (const auto& p : r.processes) {
    procs.push_back({{"pid", p.pid},
                     {"parent", p.parent},
                     {"comm", p.comm},
                     {"phases", p.phases},
                     {"exit_code", p.exit_code ? json(*p.exit_code) : json(nullptr)},
                     {"term_signal", p.term_signal ? json(*p.term_signal) : json(nullptr)}});
  }
  j["processes"] = std::move(procs);
  return j;
}

std::string render_json(const TraceResult& r, const syscalls::Taxonomy& taxonomy) {
  return to_json(r, taxonomy).dump(1) + "\n";
}

std::string render_csv(const TraceResult& r, const syscalls::Taxonomy& taxonomy, const std::vector<GroupField>& by) {
  std::string out;
  if (by.empty()) {
    out = "phase,pid,tid,comm,abi,syscall,detail,category,calls,errors,unfinished,time_ns,max_ns,api\n";
    for (const auto& row : r.rows) {
      out += fmt::format("{},{},{},{},{},{},{},{},{},{},{},{},{},{}\n", csv_field(row.phase), row.pid, row.tid,
                         csv_field(row.comm), syscalls::abi_name(row.abi), row.syscall, csv_field(row.detail),
                         row_category(row, taxonomy), row.calls, row.errors, row.unfinished, row.time_ns, row.max_ns,
                         csv_field(row.api));
    }
    return out;
  }
  if (by == std::vector{GroupField::api}) {
    out = "api,calls,nested,unfinished,api_time_ns,syscalls,errors,syscall_time_ns,faults,top_ioctls\n";
    for (const ApiSummary& a : summarize_apis(r)) {
      std::string ioctls;
      for (const auto& [detail, n] : a.ioctls) ioctls += fmt::format("{}{}={}", ioctls.empty() ? "" : ";", detail, n);
      out += fmt::format("{},{},{},{},{},{},{},{},{},{}\n", csv_field(a.api), a.calls, a.nested, a.unfinished,
                         a.api_time_ns, a.syscalls, a.errors, a.syscall_time_ns, a.faults, csv_field(ioctls));
    }
    return out;
  }
  for (GroupField f : by) out += fmt::format("{},", field_name(f));
  out += "calls,errors,unfinished,time_ns,max_ns\n";
  for (const auto& [key, t] : grouped(r, taxonomy, by)) {
    for (const auto& k : key) out += csv_field(k) + ",";
    out += fmt::format("{},{},{},{},{}\n", t.calls, t.errors, t.unfinished, t.time_ns, t.max_ns);
  }
  return out;
}

std::vector<ApiSummary> summarize_apis(const TraceResult& r) {
  std::map<std::string, ApiSummary> m;
  std::map<std::string, std::map<std::string, std::uint64_t>> ioctls;
  for (const ApiCalls& a : r.apis) {
    ApiSummary& s = m[a.api];
    s.api = a.api;
    s.calls += a.calls;
    s.nested += a.nested;
    s.unfinished += a.unfinished;
    s.api_time_ns += a.time_ns;
  }
  for (const Row& row : r.rows) {
    ApiSummary& s = m[row.api];
    s.api = row.api;
    s.syscalls += row.calls;
    s.errors += row.errors;
    s.syscall_time_ns += row.time_ns;
    if (row.syscall == "ioctl") ioctls[row.api][row.detail] += row.calls;
  }
  for (const FaultRow& f : r.faults) {
    ApiSummary& s = m[f.api];
    s.api = f.api;
    s.faults += f.minor + f.major;
  }
  constexpr std::size_t kTopIoctls = 3;
  std::vector<ApiSummary> out;
  for (auto& [name, s] : m) {
    std::vector<std::pair<std::string, std::uint64_t>> v(ioctls[name].begin(), ioctls[name].end());
    std::stable_sort(v.begin(), v.end(), [](const auto& a, const auto& b) { return a.second > b.second; });
    if (v.size() > kTopIoctls) v.resize(kTopIoctls);
    s.ioctls = std::move(v);
    out.push_back(std::move(s));
  }
  std::stable_sort(out.begin(), out.end(), [](const ApiSummary& a, const ApiSummary& b) {
    if (a.api.empty() != b.api.empty()) return b.api.empty();
    if (a.api_time_ns != b.api_time_ns) return a.api_time_ns > b.api_time_ns;
    return a.api < b.api;
  });
  return out;
}

namespace {

std::string render_api_table(const TraceResult& r) {
  std::string out = fmt::format("{:>9} {:>11} {:>11} {:>9} {:>11} {:>11}  {:<32} {}\n", "calls", "api secs", "sys secs",
                                "% in sys", "syscalls/c", "faults/c", "api", "top ioctls per call");
  const std::string rule =
      "--------- ----------- ----------- --------- ----------- -----------  -------------------------------- ----\n";
  out += rule;
  auto per_call = [](std::uint64_t n, std::uint64_t calls) {
    return calls > 0 ? fmt::format("{:.2f}", static_cast<double>(n) / static_cast<double>(calls)) : std::string("-");
  };
  for (const ApiSummary& a : summarize_apis(r)) {
    const bool none = a.api.empty();
    std::string ioctls;
    for (const auto& [detail, n] : a.ioctls)
      ioctls +=
          fmt::format("{}{} x{}", ioctls.empty() ? "" : ", ", detail.empty() ? "-" : detail, per_call(n, a.calls));
    if (none) {
      ioctls.clear();
      for (const auto& [detail, n] : a.ioctls) ioctls += fmt::format("{}{} {}", ioctls.empty() ? "" : ", ", detail, n);
    }
    const std::string pct =
        !none && a.api_time_ns > 0
            ? fmt::format("{:.1f}", 100.0 * static_cast<double>(a.syscall_time_ns) / static_cast<double>(a.api_time_ns))
            : std::string("-");
    out += fmt::format("{:>9} {:>11} {:11.6f} {:>9} {:>11} {:>11}  {:<32} {}\n", none ? "-" : std::to_string(a.calls),
                       none ? std::string("-") : fmt::format("{:.6f}", static_cast<double>(a.api_time_ns) / 1e9),
                       static_cast<double>(a.syscall_time_ns) / 1e9, pct,
                       none ? std::to_string(a.syscalls) : per_call(a.syscalls, a.calls),
                       none ? std::to_string(a.faults) : per_call(a.faults, a.calls), none ? "(none)" : a.api, ioctls);
  }
  out += rule;
  out += "(none): outside any API call; its syscalls/c and faults/c columns are totals.\n";
  return out;
}

}  // namespace

std::string render_table(const TraceResult& r, const syscalls::Taxonomy& taxonomy, const std::vector<GroupField>& by) {
  if (by == std::vector{GroupField::api}) {
    std::string out = render_api_table(r);
    for (const auto& n : r.notes) out += fmt::format("note: {}\n", n);
    return out;
  }
  auto groups = grouped(r, taxonomy, by);
  Totals total;
  for (const auto& g : groups) {
    total.calls += g.second.calls;
    total.errors += g.second.errors;
    total.time_ns += g.second.time_ns;
  }
  std::string label;
  for (GroupField f : by) label += (label.empty() ? "" : "/") + std::string(field_name(f));
  std::string out =
      fmt::format("{:>6} {:>11} {:>11} {:>9} {:>9} {}\n", "% time", "seconds", "usecs/call", "calls", "errors", label);
  const std::string rule = "------ ----------- ----------- --------- --------- ----------------\n";
  out += rule;
  for (const auto& [key, t] : groups) {
    std::string name;
    for (const auto& k : key) name += (name.empty() ? "" : "  ") + (k.empty() ? std::string("-") : k);
    double pct = total.time_ns > 0 ? 100.0 * static_cast<double>(t.time_ns) / static_cast<double>(total.time_ns) : 0.0;
    std::uint64_t returned = t.calls - std::min(t.calls, t.unfinished);
    auto usecs = returned > 0 ? t.time_ns / returned / 1000 : 0;
    out += fmt::format("{:6.2f} {:11.6f} {:>11} {:>9} {:>9} {}\n", pct, static_cast<double>(t.time_ns) / 1e9, usecs,
                       t.calls, t.errors > 0 ? std::to_string(t.errors) : std::string(), name);
  }
  out += rule;
  std::uint64_t usecs = total.calls > 0 ? total.time_ns / total.calls / 1000 : 0;
  out += fmt::format("{:6.2f} {:11.6f} {:>11} {:>9} {:>9} total\n", 100.0, static_cast<double>(total.time_ns) / 1e9,
                     usecs, total.calls, total.errors > 0 ? std::to_string(total.errors) : std::string());
  std::uint64_t minor = 0, major = 0, vcs = 0, ics = 0;
  for (const auto& f : r.faults) {
    minor += f.minor;
    major += f.major;
    vcs += f.vol_cs;
    ics += f.invol_cs;
  }
  out += fmt::format(
      "engine {}: {} processes, {} threads; page faults {} minor, {} major; context switches {} voluntary, "
      "{} involuntary; exit status {}\n",
      r.engine, r.processes.size(), r.threads_seen, minor, major, vcs, ics, r.exit_status);
  for (const auto& n : r.notes) out += fmt::format("note: {}\n", n);
  return out;
}

}  // namespace sysaxis::trace
