// sysaxis-wl-opencl: the alloc and kernels models of DESIGN.md through the OpenCL ICD loader; one
// source for every platform the loader lists (PoCL here, NVIDIA's OpenCL on GPU hosts), chosen with
// --platform by name or index. The kernel program is built once in init; the kernel cache of the
// platform (PoCL's, NVIDIA's ComputeCache) is recorded with whether the build hit it.
#define CL_TARGET_OPENCL_VERSION 120
#include <CL/cl.h>
#include <CL/cl_ext.h>

#include <algorithm>
#include <array>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "common/workload.h"

namespace sysaxis::wl {
namespace {

constexpr const char* kProgramSource = R"CL(
// Every work item increments a[i] for i = its id, id + global size, ... (grid-stride loop).
__kernel void sysaxis_increment(__global uint* a, ulong n) {
  for (ulong i = get_global_id(0); i < n; i += get_global_size(0)) a[i] += 1u;
}
)CL";
constexpr std::size_t kLocalSize = 256;    // work-group size (lowered to the device's maximum)
constexpr std::size_t kMaxGroups = 65535;  // grid-stride beyond this, as the CUDA and HIP backends do

struct StatusName {
  cl_int code;
  const char* name;
};
constexpr std::array kStatusNames{
#define SYSAXIS_CL_STATUS(name) StatusName{name, #name},
#include "opencl/cl_status.def"
#undef SYSAXIS_CL_STATUS
};

std::string status_name(cl_int status) {
  for (const auto& s : kStatusNames)
    if (s.code == status) return s.name;
  return "OpenCL status " + std::to_string(status);
}

// Which exit code an OpenCL status maps to. `allocating`: the call allocates memory, so
// CL_OUT_OF_RESOURCES means the device is out of memory (elsewhere it is a generic failure).
int exit_code_for(cl_int status, bool allocating) {
  switch (status) {
    case CL_MEM_OBJECT_ALLOCATION_FAILURE:
    case CL_OUT_OF_HOST_MEMORY:
    case CL_INVALID_BUFFER_SIZE: return kExitNoMemory;
    case CL_OUT_OF_RESOURCES: return allocating ? kExitNoMemory : kExitRuntime;
    case CL_DEVICE_NOT_FOUND:
    case CL_DEVICE_NOT_AVAILABLE:
    case CL_PLATFORM_NOT_FOUND_KHR: return kExitUnavailable;
    default: return kExitRuntime;
  }
}

void check(cl_int status, const char* call, bool allocating = false) {
  if (status != CL_SUCCESS)
    throw Failure(exit_code_for(status, allocating), std::string(call) + ": " + status_name(status));
}

// Owns one OpenCL object; releases it with its clRelease* function.
template <typename T, cl_int (*Release)(T)>
class Handle {
 public:
  Handle() = default;
  explicit Handle(T h) : h_(h) {}
  Handle(const Handle&) = delete;
  Handle& operator=(const Handle&) = delete;
  ~Handle() { reset(); }
  T get() const { return h_; }
  void reset(T h = nullptr) {
    if (h_ != nullptr) Release(h_);
    h_ = h;
  }
  // Releases now and reports the status (teardown checks it).
  cl_int release() {
    cl_int status = h_ != nullptr ? Release(h_) : CL_SUCCESS;
    h_ = nullptr;
    return status;
  }

 private:
  T h_ = nullptr;
};
using ClContext = Handle<cl_context, clReleaseContext>;
using Queue = Handle<cl_command_queue, clReleaseCommandQueue>;
using Buffer = Handle<cl_mem, clReleaseMemObject>;
using Program = Handle<cl_program, clReleaseProgram>;
using Kernel = Handle<cl_kernel, clReleaseKernel>;

template <typename Info, typename Object, typename Param>
std::string info_string(Info info, Object object, Param param, const char* call) {
  std::size_t size = 0;
  check(info(object, param, 0, nullptr, &size), call);
  std::string s(size, '\0');
  if (size > 0) check(info(object, param, size, s.data(), nullptr), call);
  while (!s.empty() && (s.back() == '\0' || s.back() == ' ')) s.pop_back();
  return s;
}

template <typename T>
T device_value(cl_device_id d, cl_device_info param) {
  T value{};
  check(clGetDeviceInfo(d, param, sizeof(value), &value, nullptr), "clGetDeviceInfo");
  return value;
}

template <typename T>
T pick(const std::vector<T>& items, const std::vector<std::string>& names, const std::string& selector,
       const char* what) {
  auto list = [&] {
    std::string s;
    for (std::size_t i = 0; i < names.size(); ++i) s += (i ? ", " : "") + std::to_string(i) + " '" + names[i] + "'";
    return s;
  };
  if (selector.empty()) return items.front();
  if (auto index = selector_index(selector)) {
    if (*index < items.size()) return items[*index];
    throw Failure(kExitUnavailable,
                  std::string("no OpenCL ") + what + " with index " + selector + " (" + what + "s: " + list() + ")");
  }
  for (std::size_t i = 0; i < items.size(); ++i)
    if (contains_nocase(names[i], selector)) return items[i];
  throw Failure(kExitUnavailable,
                std::string("no OpenCL ") + what + " matches '" + selector + "' (" + what + "s: " + list() + ")");
}

// ---- the platform's kernel cache ----------------------------------------------------------------

struct KernelCache {
  std::string kind;  // "pocl", "nvidia", or "unknown"
  std::string dir;   // effective directory ("" when unknown)
  bool enabled = false;
  std::string scratch_prefix;  // files that are not cache entries (PoCL's leftover "tempfile_*")
};

std::string env(const char* name) {
  const char* v = std::getenv(name);
  return v != nullptr ? v : "";
}

bool env_false(const char* name) {
  std::string v = env(name);
  std::transform(v.begin(), v.end(), v.begin(), [](unsigned char c) { return std::tolower(c); });
  return v == "0" || v == "no" || v == "false" || v == "off";
}

// Where the platform caches compiled kernels, by the rules of the runtime itself (PoCL:
// POCL_CACHE_DIR, else $XDG_CACHE_HOME/pocl/kcache, else $HOME/.cache/pocl/kcache, disabled by
// POCL_KERNEL_CACHE=0; NVIDIA: CUDA_CACHE_PATH, else $HOME/.nv/ComputeCache, disabled by
// CUDA_CACHE_DISABLE=1).
KernelCache kernel_cache_of(const std::string& platform_name) {
  KernelCache c;
  if (contains_nocase(platform_name, "Portable Computing Language") || contains_nocase(platform_name, "pocl")) {
    c.kind = "pocl";
    c.scratch_prefix = "tempfile";
    c.enabled = !env_false("POCL_KERNEL_CACHE");
    const std::string sub = c.enabled ? "pocl/kcache" : "pocl/uncached";
    if (!env("POCL_CACHE_DIR").empty()) {
      c.dir = env("POCL_CACHE_DIR");
    } else if (!env("XDG_CACHE_HOME").empty()) {
      c.dir = env("XDG_CACHE_HOME") + "/" + sub;
    } else if (!env("HOME").empty()) {
      c.dir = env("HOME") + "/.cache/" + sub;
    } else {
      c.dir = "/tmp/" + sub;
    }
  } else if (contains_nocase(platform_name, "NVIDIA")) {
    c.kind = "nvidia";
    c.enabled = env("CUDA_CACHE_DISABLE") != "1";
    c.dir = !env("CUDA_CACHE_PATH").empty() ? env("CUDA_CACHE_PATH") : env("HOME") + "/.nv/ComputeCache";
  } else {
    c.kind = "unknown";
  }
  return c;
}

// Cache entries (regular files) under the cache directory, 0 when it does not exist. A build that
// adds entries missed the cache.
std::uint64_t cache_files(const KernelCache& cache) {
  std::uint64_t files = 0;
  std::error_code ec;
  if (cache.dir.empty() || !std::filesystem::is_directory(cache.dir, ec)) return 0;
  for (auto it = std::filesystem::recursive_directory_iterator(
           cache.dir, std::filesystem::directory_options::skip_permission_denied, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
    if (!it->is_regular_file(ec)) continue;
    if (!cache.scratch_prefix.empty() && it->path().filename().string().starts_with(cache.scratch_prefix)) continue;
    ++files;
  }
  return files;
}

// ---- the run ----------------------------------------------------------------------------------------

void run_opencl(const Options& o, Context& ctx) {
  const std::size_t n = o.elements();
  ctx.enter(Phase::init);

  // Platform and device, chosen by name or index.
  cl_uint platform_count = 0;
  cl_int status = clGetPlatformIDs(0, nullptr, &platform_count);
  if (status == CL_PLATFORM_NOT_FOUND_KHR || (status == CL_SUCCESS && platform_count == 0))
    throw Failure(kExitUnavailable, "no OpenCL platform (the ICD loader found none; see /etc/OpenCL/vendors)");
  check(status, "clGetPlatformIDs");
  std::vector<cl_platform_id> platforms(platform_count);
  check(clGetPlatformIDs(platform_count, platforms.data(), nullptr), "clGetPlatformIDs");
  std::vector<std::string> platform_names;
  platform_names.reserve(platforms.size());
  for (cl_platform_id p : platforms)
    platform_names.push_back(info_string(clGetPlatformInfo, p, CL_PLATFORM_NAME, "clGetPlatformInfo"));
  cl_platform_id platform = pick(platforms, platform_names, o.platform, "platform");
  ctx.platform = info_string(clGetPlatformInfo, platform, CL_PLATFORM_NAME, "clGetPlatformInfo");
  ctx.runtime_version = info_string(clGetPlatformInfo, platform, CL_PLATFORM_VERSION, "clGetPlatformInfo");

  cl_uint device_count = 0;
  status = clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, 0, nullptr, &device_count);
  if (status == CL_DEVICE_NOT_FOUND || (status == CL_SUCCESS && device_count == 0))
    throw Failure(kExitUnavailable, "the OpenCL platform '" + ctx.platform + "' has no device");
  check(status, "clGetDeviceIDs");
  std::vector<cl_device_id> devices(device_count);
  check(clGetDeviceIDs(platform, CL_DEVICE_TYPE_ALL, device_count, devices.data(), nullptr), "clGetDeviceIDs");
  std::vector<std::string> device_names;
  device_names.reserve(devices.size());
  for (cl_device_id d : devices)
    device_names.push_back(info_string(clGetDeviceInfo, d, CL_DEVICE_NAME, "clGetDeviceInfo"));
  cl_device_id device = pick(devices, device_names, o.device, "device");
  ctx.device = info_string(clGetDeviceInfo, device, CL_DEVICE_NAME, "clGetDeviceInfo");
  ctx.driver_version = info_string(clGetDeviceInfo, device, CL_DRIVER_VERSION, "clGetDeviceInfo");
  ctx.set("device_version", info_string(clGetDeviceInfo, device, CL_DEVICE_VERSION, "clGetDeviceInfo"));
  const auto global_mem = device_value<cl_ulong>(device, CL_DEVICE_GLOBAL_MEM_SIZE);
  const auto max_alloc = device_value<cl_ulong>(device, CL_DEVICE_MAX_MEM_ALLOC_SIZE);
  ctx.set("device_memory_bytes", std::uint64_t{global_mem});
  ctx.set("device_max_alloc_bytes", std::uint64_t{max_alloc});
  if (o.bytes > max_alloc)
    throw Failure(kExitNoMemory, "--bytes " + std::to_string(o.bytes) + " exceeds the largest allocation of '" +
                                     ctx.device + "' (" + std::to_string(max_alloc) + " bytes of " +
                                     std::to_string(global_mem) + ")");

  ClContext context(clCreateContext(nullptr, 1, &device, nullptr, nullptr, &status));
  check(status, "clCreateContext", true);
  Queue queue(clCreateCommandQueue(context.get(), device, 0, &status));
  check(status, "clCreateCommandQueue", true);

  const KernelCache cache = kernel_cache_of(ctx.platform);
  ctx.set("kernel_cache", cache.kind);
  ctx.set("kernel_cache_dir", cache.dir.empty() ? Field{nullptr} : Field{cache.dir});
  ctx.set("kernel_cache_enabled", cache.enabled);
  ctx.set("kernel_cache_state", std::string("not_used"));  // alloc builds no program

  if (o.exec == Exec::alloc) {
    std::vector<std::uint32_t> host;
    if (o.alloc_op == AllocOp::copy) host.assign(n, 1u);
    // One unit of work: create a buffer, optionally copy host->device (blocking), release it.
    auto cycle = [&]() {
      cl_int s = CL_SUCCESS;
      Buffer buffer(clCreateBuffer(context.get(), CL_MEM_READ_WRITE, o.bytes, nullptr, &s));
      check(s, "clCreateBuffer", true);
      if (o.alloc_op == AllocOp::copy)
        check(clEnqueueWriteBuffer(queue.get(), buffer.get(), CL_TRUE, 0, o.bytes, host.data(), 0, nullptr, nullptr),
              "clEnqueueWriteBuffer", true);
      check(buffer.release(), "clReleaseMemObject");
    };
    for (unsigned w = 0; w < o.warmup; ++w) cycle();
    check(clFinish(queue.get()), "clFinish");

    ctx.enter(Phase::work);
    std::uint64_t done = 0;
    for (std::uint64_t i = 0; i < o.iters; ++i, ++done) cycle();

    ctx.enter(Phase::teardown);
    check(clFinish(queue.get()), "clFinish");
    check(queue.release(), "clReleaseCommandQueue");
    check(context.release(), "clReleaseContext");
    ctx.check_calls(done, o.iters);
    return;
  }

  // kernels: the program is built here, once; the cache is scanned around the build and at the end.
  const std::uint64_t cache_before = cache.enabled ? cache_files(cache) : 0;
  const char* source = kProgramSource;
  Program program(clCreateProgramWithSource(context.get(), 1, &source, nullptr, &status));
  check(status, "clCreateProgramWithSource");
  const auto build_start = std::chrono::steady_clock::now();
  status = clBuildProgram(program.get(), 1, &device, "", nullptr, nullptr);
  if (status != CL_SUCCESS) {
    std::size_t size = 0;
    std::string log;
    if (clGetProgramBuildInfo(program.get(), device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size) == CL_SUCCESS) {
      log.resize(size);
      if (clGetProgramBuildInfo(program.get(), device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr) != CL_SUCCESS)
        log.clear();
    }
    std::replace(log.begin(), log.end(), '\n', ' ');
    throw Failure(kExitRuntime, "clBuildProgram: " + status_name(status) + ": " + log.substr(0, 300));
  }
  ctx.set("kernel_build_ns", static_cast<std::int64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                                           std::chrono::steady_clock::now() - build_start)
                                                           .count()));
  Kernel kernel(clCreateKernel(program.get(), "sysaxis_increment", &status));
  check(status, "clCreateKernel");

  std::vector<std::uint32_t> host(n, 0u);
  Buffer buffer(clCreateBuffer(context.get(), CL_MEM_READ_WRITE, o.bytes, nullptr, &status));
  check(status, "clCreateBuffer", true);
  const cl_mem mem = buffer.get();
  const cl_ulong count = n;
  check(clSetKernelArg(kernel.get(), 0, sizeof(cl_mem), &mem), "clSetKernelArg");
  check(clSetKernelArg(kernel.get(), 1, sizeof(count), &count), "clSetKernelArg");
  const std::size_t local = std::min(kLocalSize, device_value<std::size_t>(device, CL_DEVICE_MAX_WORK_GROUP_SIZE));
  const std::size_t groups = std::min((n + local - 1) / local, kMaxGroups);
  const std::size_t global = groups * local;
  ctx.set("work_group_size", std::uint64_t{local});
  ctx.set("work_groups", std::uint64_t{groups});
  auto zero = [&] {
    check(clEnqueueWriteBuffer(queue.get(), mem, CL_TRUE, 0, o.bytes, host.data(), 0, nullptr, nullptr),
          "clEnqueueWriteBuffer", true);
  };
  auto launch = [&] {
    check(clEnqueueNDRangeKernel(queue.get(), kernel.get(), 1, nullptr, &global, &local, 0, nullptr, nullptr),
          "clEnqueueNDRangeKernel");
  };
  zero();
  if (o.warmup > 0) {
    for (unsigned w = 0; w < o.warmup; ++w) launch();
    check(clFinish(queue.get()), "clFinish");
    zero();
  }
  check(clFinish(queue.get()), "clFinish");

  ctx.enter(Phase::work);
  for (std::uint64_t i = 0; i < o.iters; ++i) {
    launch();
    if (o.sync == Sync::each) check(clFinish(queue.get()), "clFinish");
  }
  if (o.sync == Sync::end) check(clFinish(queue.get()), "clFinish");

  ctx.enter(Phase::teardown);
  check(clEnqueueReadBuffer(queue.get(), mem, CL_TRUE, 0, o.bytes, host.data(), 0, nullptr, nullptr),
        "clEnqueueReadBuffer");
  ctx.check_counts(host.data(), n, o.iters);
  check(kernel.release(), "clReleaseKernel");
  check(program.release(), "clReleaseProgram");
  check(buffer.release(), "clReleaseMemObject");
  check(queue.release(), "clReleaseCommandQueue");
  check(context.release(), "clReleaseContext");
  if (cache.enabled && !cache.dir.empty()) {
    const std::uint64_t cache_after = cache_files(cache);
    ctx.set("kernel_cache_files_before", cache_before);
    ctx.set("kernel_cache_files_after", cache_after);
    ctx.set("kernel_cache_state", std::string(cache_after > cache_before ? "miss" : "hit"));
  } else {
    ctx.set("kernel_cache_state", std::string(cache.enabled ? "unknown" : "disabled"));
  }
}

}  // namespace
}  // namespace sysaxis::wl

int main(int argc, char** argv) {
  using namespace sysaxis::wl;
  const BackendSpec spec{
      "opencl",
      {Exec::kernels, Exec::alloc},
      true,
      true,
      false,
      "alloc and kernels through the OpenCL ICD loader, on the platform chosen by --platform.",
      "opencl: init enumerates platforms and devices, creates the context and queue and, for kernels,\n"
      "builds the program (`a[i] += 1`, grid-stride), allocates the buffer and zeroes it. alloc creates a\n"
      "buffer (and with --alloc-op copy writes it, blocking) and releases it; OpenCL may defer the\n"
      "device allocation until first use, so `free` alone can stay on the host. The platform's kernel\n"
      "cache is recorded: kernel_cache (pocl|nvidia|unknown), kernel_cache_dir (PoCL: POCL_CACHE_DIR,\n"
      "else $XDG_CACHE_HOME/pocl/kcache or ~/.cache/pocl/kcache; NVIDIA: CUDA_CACHE_PATH, else\n"
      "~/.nv/ComputeCache) and kernel_cache_state (hit: the run added no file to it; miss; disabled).\n"
      "Set POCL_CACHE_DIR per study to make the cache explicit; scanning it costs a few syscalls in init\n"
      "and at the end of teardown."};
  return run(argc, argv, spec, run_opencl);
}
