// --api's pure parts (trace/api.h): the spec, the loader's library search, the exported functions
// of an ELF file, and the per-API output (trace/output.h).
#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include "syscalls/taxonomy.h"
#include "trace/api.h"
#include "trace/output.h"

namespace sysaxis::trace {
namespace {

int usage_error(const std::function<void()>& f) {
  try {
    f();
  } catch (const TraceError& e) {
    return e.exit_code();
  }
  return -1;
}

TEST(ApiSpec, FamiliesAndLibraryGlobs) {
  auto t = api::parse_spec("opencl,cuda,libfoo.so.1:foo*,/opt/x/libbar.so:bar_?");
  ASSERT_EQ(t.size(), 4U);
  EXPECT_EQ(t[0].library, "libOpenCL.so.1");
  EXPECT_EQ(t[0].glob, "cl*");
  EXPECT_EQ(t[1].library, "libcuda.so.1");
  EXPECT_EQ(t[1].glob, "cu*");
  EXPECT_EQ(t[2].library, "libfoo.so.1");
  EXPECT_EQ(t[2].glob, "foo*");
  EXPECT_EQ(t[3].library, "/opt/x/libbar.so");
  EXPECT_EQ(api::parse_spec("hip")[0].glob, "hip*");
  EXPECT_EQ(usage_error([] { api::parse_spec("vulkan"); }), kExitUsage);
  EXPECT_EQ(usage_error([] { api::parse_spec("libfoo.so:"); }), kExitUsage);
  EXPECT_EQ(usage_error([] { api::parse_spec(""); }), kExitUsage);
}

TEST(ApiLibrary, FoundThroughTheLoadersCache) {
  auto cache = api::read_ld_cache("/etc/ld.so.cache");
  if (cache.empty()) GTEST_SKIP() << "no /etc/ld.so.cache here";
  bool libc = false;
  for (const auto& [name, path] : cache) libc = libc || name == "libc.so.6";
  EXPECT_TRUE(libc);
  auto p = api::find_library("libc.so.6", "");
  ASSERT_TRUE(p.has_value());
  EXPECT_EQ(*p, std::filesystem::canonical(*p).string());
  EXPECT_FALSE(api::find_library("libnosuch-sysaxis.so.9", "").has_value());
  EXPECT_TRUE(api::read_ld_cache("/nonexistent").empty());
}

TEST(ApiLibrary, LdLibraryPathComesFirst) {
  auto libc = api::find_library("libc.so.6", "");
  ASSERT_TRUE(libc.has_value());
  const auto dir = std::filesystem::temp_directory_path() / ("sysaxis-api-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(*libc, dir / "libc.so.6", std::filesystem::copy_options::overwrite_existing);
  auto p = api::find_library("libc.so.6", "/nonexistent:" + dir.string());
  EXPECT_EQ(p, std::filesystem::canonical(dir / "libc.so.6").string());
  EXPECT_EQ(api::find_library((dir / "libc.so.6").string(), ""), p);  // a path is taken as it is
  std::filesystem::remove_all(dir);
}

TEST(ApiElf, ExportedFunctionsWithFileOffsets) {
  auto libc = api::find_library("libc.so.6", "");
  ASSERT_TRUE(libc.has_value());
  auto symbols = api::exported_functions(*libc);
  const auto size = std::filesystem::file_size(*libc);
  bool malloc = false, environ = false;
  for (const auto& s : symbols) {
    if (s.name == "malloc") malloc = true;
    if (s.name == "environ") environ = true;  // an object, not a function
    EXPECT_LT(s.offset, size) << s.name;
  }
  EXPECT_TRUE(malloc);
  EXPECT_FALSE(environ);
  const auto text = std::filesystem::temp_directory_path() / ("sysaxis-api-text-" + std::to_string(::getpid()));
  std::ofstream(text) << "not an ELF file\n";
  EXPECT_EQ(usage_error([&] { api::exported_functions(text.string()); }), kExitUsage);
  std::filesystem::remove(text);
}

TEST(ApiResolve, OneProbePerFunctionAndClearErrors) {
  auto libc = api::find_library("libc.so.6", "");
  ASSERT_TRUE(libc.has_value());
  auto f = api::resolve(*libc + ":malloc", "");
  ASSERT_EQ(f.size(), 1U);
  EXPECT_EQ(f[0].name, "malloc");
  EXPECT_EQ(f[0].library, *libc);
  EXPECT_GT(f[0].offset, 0U);
  // The same file twice: still one probe per address.
  EXPECT_EQ(api::resolve(*libc + ":malloc," + *libc + ":mallo?", "").size(), 1U);
  EXPECT_EQ(usage_error([&] { api::resolve(*libc + ":zz_sysaxis_nothing*", ""); }), kExitUsage);
  EXPECT_EQ(usage_error([] { api::resolve("libnosuch-sysaxis.so.9:f*", ""); }), kExitUsage);
  EXPECT_EQ(usage_error([] { api::resolve("nosuchfamily", ""); }), kExitUsage);
}

Row row(const std::string& syscall, const std::string& detail, std::uint64_t calls, std::uint64_t time_ns,
        const std::string& api) {
  Row r;
  r.phase = "all";
  r.syscall = syscall;
  r.detail = detail;
  r.calls = calls;
  r.time_ns = time_ns;
  r.api = api;
  return r;
}

FaultRow fault(std::uint64_t minor, const std::string& api) {
  FaultRow f;
  f.phase = "all";
  f.minor = minor;
  f.api = api;
  return f;
}

TraceResult api_result() {
  TraceResult r;
  r.engine = "ebpf";
  r.rows = {row("futex", "", 6, 600, "clFinish"), row("ioctl", "kfd:AMDKFD_IOC_WAIT_EVENTS", 4, 40, "clFinish"),
            row("read", "", 3, 30, "")};
  r.faults = {fault(4, "clFinish"), fault(1, "")};
  ApiCalls finish;
  finish.api = "clFinish";
  finish.calls = 2;
  finish.nested = 1;
  finish.time_ns = 2000;
  r.apis = {finish};
  return r;
}

TEST(ApiOutput, JsonCarriesApiOnRowsAndTheApisArray) {
  const auto j = to_json(api_result(), syscalls::Taxonomy::builtin());
  EXPECT_EQ(j["rows"][0]["api"], "clFinish");
  EXPECT_EQ(j["rows"][2]["api"], "");
  EXPECT_EQ(j["faults"][0]["api"], "clFinish");
  ASSERT_EQ(j["apis"].size(), 1U);
  EXPECT_EQ(j["apis"][0]["api"], "clFinish");
  EXPECT_EQ(j["apis"][0]["calls"], 2);
  EXPECT_EQ(j["apis"][0]["time_ns"], 2000);
}

TEST(ApiOutput, ByApiSummarizesPerCall) {
  auto s = summarize_apis(api_result());
  ASSERT_EQ(s.size(), 2U);
  EXPECT_EQ(s[0].api, "clFinish");
  EXPECT_EQ(s[0].calls, 2U);
  EXPECT_EQ(s[0].syscalls, 10U);
  EXPECT_EQ(s[0].syscall_time_ns, 640U);
  EXPECT_EQ(s[0].api_time_ns, 2000U);
  EXPECT_EQ(s[0].faults, 4U);
  ASSERT_EQ(s[0].ioctls.size(), 1U);
  EXPECT_EQ(s[0].ioctls[0].first, "kfd:AMDKFD_IOC_WAIT_EVENTS");
  EXPECT_EQ(s[1].api, "");  // none, last
  EXPECT_EQ(s[1].syscalls, 3U);
  const auto& tax = syscalls::Taxonomy::builtin();
  const std::string table = render_table(api_result(), tax, {GroupField::api});
  EXPECT_NE(table.find("clFinish"), std::string::npos) << table;
  EXPECT_NE(table.find("kfd:AMDKFD_IOC_WAIT_EVENTS x2.00"), std::string::npos) << table;
  EXPECT_NE(table.find("(none)"), std::string::npos) << table;
  const std::string csv = render_csv(api_result(), tax, {GroupField::api});
  EXPECT_EQ(csv.substr(0, csv.find('\n')),
            "api,calls,nested,unfinished,api_time_ns,syscalls,errors,syscall_time_ns,faults,top_ioctls");
  EXPECT_NE(csv.find("clFinish,2,1,0,2000,10,0,640,4,kfd:AMDKFD_IOC_WAIT_EVENTS=4"), std::string::npos) << csv;
  EXPECT_EQ(parse_group_by("api,syscall"), (std::vector{GroupField::api, GroupField::syscall}));
  const std::string rows_csv = render_csv(api_result(), tax, {});
  EXPECT_NE(rows_csv.find(",max_ns,api\n"), std::string::npos);
}

}  // namespace
}  // namespace sysaxis::trace
