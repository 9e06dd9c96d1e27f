#include "sweep/outcome.h"

#include <fmt/format.h>

#include <cstring>
#include <sstream>

namespace sysaxis::sweep {

const std::vector<ExitMeaning>& exit_meanings() {
  static const std::vector<ExitMeaning> t = {
      {2, "usage_error", "the workload rejected its arguments"},
      {3, "verify_failed", "verification failed"},
      {4, "unavailable", "runtime, platform or device not available"},
      {5, "out_of_memory", "out of (device) memory, or size too large"},
      {6, "runtime_error", "runtime error"},
      {125, "tracer_failed", "tracing failed"},
      {126, "not_executable", "the workload cannot be executed"},
      {127, "not_found", "the workload was not found"},
  };
  return t;
}

namespace {

std::string signal_name(int sig) {
  const char* abbrev = sigabbrev_np(sig);
  if (abbrev != nullptr) return fmt::format("SIG{}", abbrev);
  return fmt::format("signal {}", sig);
}

std::optional<std::string> string_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_string()) return std::nullopt;
  return it->get<std::string>();
}

std::optional<std::uint64_t> uint_field(const nlohmann::json& j, const char* key) {
  auto it = j.find(key);
  if (it == j.end() || !it->is_number_unsigned()) {
    if (it != j.end() && it->is_number_integer() && it->get<std::int64_t>() >= 0) {
      return static_cast<std::uint64_t>(it->get<std::int64_t>());
    }
    return std::nullopt;
  }
  return it->get<std::uint64_t>();
}

// The result must describe the run that was asked for.
std::optional<std::string> mismatch(const nlohmann::json& r, const store::Cell& c) {
  auto check_u = [&](const char* key, std::uint64_t want) -> std::optional<std::string> {
    auto v = uint_field(r, key);
    if (v && *v != want) return fmt::format("the result says {}={}, the run asked for {}", key, *v, want);
    return std::nullopt;
  };
  auto check_s = [&](const char* key, const std::string& want) -> std::optional<std::string> {
    auto v = string_field(r, key);
    if (v && *v != want) return fmt::format("the result says {}=\"{}\", the run asked for \"{}\"", key, *v, want);
    return std::nullopt;
  };
  if (c.workload == "resnet") return check_u("iters", c.iters);
  for (auto m :
       {check_s("backend", c.backend), check_s("exec", c.exec), check_u("bytes", c.bytes), check_u("iters", c.iters)}) {
    if (m) return m;
  }
  return std::nullopt;
}

}  // namespace

std::string failure_line(const std::string& output) {
  std::istringstream ss(output);
  std::string line;
  std::string last;
  std::string own;
  while (std::getline(ss, line)) {
    while (!line.empty() && (line.back() == '\r' || line.back() == ' ')) line.pop_back();
    if (line.empty()) continue;
    last = line;
    if (line.rfind("sysaxis-wl-", 0) == 0 || line.rfind("sysaxis:", 0) == 0 || line.rfind("resnet", 0) == 0) {
      own = line;
    }
  }
  std::string out = own.empty() ? last : own;
  if (out.size() > 300) out = out.substr(0, 297) + "...";
  return out;
}

Outcome classify(const RunFacts& f, const store::Cell& cell) {
  Outcome o;
  if (f.result_text && !f.result_text->empty()) {
    try {
      auto j = nlohmann::json::parse(*f.result_text);
      if (j.is_object()) o.result = std::move(j);
    } catch (const nlohmann::json::exception&) {  // NOLINT(bugprone-empty-catch): judged below
    }
  }
  const std::string why = failure_line(f.output);
  std::optional<std::string> json_error;
  if (o.result) json_error = string_field(*o.result, "error");
  auto reason_or = [&](const std::string& fallback) {
    if (json_error && !json_error->empty()) return *json_error;
    return why.empty() ? fallback : why;
  };

  if (f.timed_out) {
    o.status = "timeout";
    o.reason = fmt::format("still running after {:g} s: the process tree was killed", f.timeout_s);
    return o;
  }
  if (f.term_signal) {
    o.status = "crashed";
    o.reason = fmt::format("killed by {}", signal_name(*f.term_signal));
    if (!why.empty()) o.reason += fmt::format(" ({})", why);
    return o;
  }
  if (f.exit_status != 0) {
    for (const auto& m : exit_meanings()) {
      if (m.code == f.exit_status) {
        o.status = std::string(m.status);
        o.reason = reason_or(std::string(m.description));
        return o;
      }
    }
    o.status = "failed";
    o.reason = fmt::format("exit status {}", f.exit_status);
    if (!why.empty()) o.reason += fmt::format(": {}", why);
    return o;
  }
  // Exit 0: the result must be there, well-formed, about this run, ok and verified.
  if (!f.result_text || f.result_text->empty()) {
    o.status = "bad_result";
    o.reason = "exit status 0 but no result JSON was written";
    return o;
  }
  if (!o.result) {
    o.status = "bad_result";
    o.reason = "the result JSON does not parse";
    return o;
  }
  const nlohmann::json& r = *o.result;
  if (string_field(r, "schema").value_or("") != kWorkloadSchema) {
    o.status = "bad_result";
    o.reason = fmt::format("the result's schema is not \"{}\"", kWorkloadSchema);
    return o;
  }
  if (auto m = mismatch(r, cell)) {
    o.status = "bad_result";
    o.reason = *m;
    return o;
  }
  const std::string status = string_field(r, "status").value_or("");
  if (status == "verify_failed") {
    o.status = "verify_failed";
    o.reason = reason_or("verification failed");
    return o;
  }
  if (status != kStatusOk) {
    o.status = "runtime_error";
    o.reason = reason_or(fmt::format("the result's status is \"{}\"", status));
    return o;
  }
  auto v = r.find("verified");
  if (v == r.end() || !v->is_boolean() || !v->get<bool>()) {
    o.status = "unverified";
    o.reason = "the workload exited 0 without verifying its result (\"verified\" is not true)";
    return o;
  }
  o.status = std::string(kStatusOk);
  return o;
}

void fill_from_result(const nlohmann::json& r, store::RunRecord& rec) {
  rec.platform = string_field(r, "platform").value_or("");
  rec.device = string_field(r, "device").value_or("");
  rec.runtime_version = string_field(r, "runtime_version").value_or("");
  rec.driver_version = string_field(r, "driver_version").value_or("");
  if (auto v = r.find("verified"); v != r.end() && v->is_boolean()) rec.verified = v->get<bool>();
  if (auto p = r.find("phases_ns"); p != r.end() && p->is_object()) {
    rec.init_ns = uint_field(*p, "init");
    rec.work_ns = uint_field(*p, "work");
    rec.teardown_ns = uint_field(*p, "teardown");
  }
}

}  // namespace sysaxis::sweep
