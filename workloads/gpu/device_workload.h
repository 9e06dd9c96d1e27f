// The alloc and kernels models of DESIGN.md for the CUDA-style runtimes: one body, compiled by nvcc
// for CUDA (cuda/main.cu defines SYSAXIS_WL_CUDA) and by hipcc or a C++ compiler with HIP-CPU for HIP
// (hip/main.cpp defines SYSAXIS_WL_HIP). The two APIs differ only in their prefix, which WL_API adds.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string>
#include <vector>

#include "common/workload.h"

#if defined(SYSAXIS_WL_CUDA)
#include <cuda_runtime.h>
#define WL_API(name) cuda##name
#define WL_API_NAME(name) "cuda" #name
#define WL_LAUNCH(kernel, grid, block, ...) kernel<<<(grid), (block)>>>(__VA_ARGS__)
#define WL_DEVICE_PROP cudaDeviceProp
#elif defined(SYSAXIS_WL_HIP)
#include <hip/hip_runtime.h>
#define WL_API(name) hip##name
#define WL_API_NAME(name) "hip" #name
#define WL_LAUNCH(kernel, grid, block, ...) hipLaunchKernelGGL(kernel, dim3(grid), dim3(block), 0, 0, __VA_ARGS__)
#define WL_DEVICE_PROP hipDeviceProp_t
#else
#error "define SYSAXIS_WL_CUDA or SYSAXIS_WL_HIP"
#endif

namespace sysaxis::wl::gpu {

using Error = WL_API(Error_t);

constexpr unsigned kBlockSize = 256;
constexpr std::uint64_t kMaxBlocks = 65535;  // grid-stride beyond this, as the OpenCL backend does

// Every thread increments a[i] for i = its index, index + grid size, ...
__global__ void increment(std::uint32_t* a, std::size_t n) {
  const std::size_t stride = static_cast<std::size_t>(blockDim.x) * gridDim.x;
  for (std::size_t i = static_cast<std::size_t>(blockIdx.x) * blockDim.x + threadIdx.x; i < n; i += stride) a[i] += 1u;
}

// What the backend calls itself in messages and results.
struct Names {
  const char* runtime;   // "CUDA", "HIP"
  const char* platform;  // "NVIDIA CUDA", "HIP-CPU", "AMD ROCm"
};

inline std::string describe(Error e) {
  return std::string(WL_API(GetErrorName)(e)) + ": " + WL_API(GetErrorString)(e);
}

inline bool unavailable(Error e) {
  return e == WL_API(ErrorNoDevice) || e == WL_API(ErrorInsufficientDriver) || e == WL_API(ErrorInvalidDevice)
#if defined(SYSAXIS_WL_CUDA)
         || e == cudaErrorDevicesUnavailable || e == cudaErrorNoKernelImageForDevice ||
         e == cudaErrorSystemDriverMismatch || e == cudaErrorCompatNotSupportedOnDevice
#endif
      ;
}

inline void check(Error e, const char* call, bool allocating = false) {
  if (e == WL_API(Success)) return;
  int code = kExitRuntime;
  if (unavailable(e)) code = kExitUnavailable;
  if (allocating && e == WL_API(ErrorMemoryAllocation)) code = kExitNoMemory;
  throw Failure(code, std::string(call) + ": " + describe(e));
}

// 12040 -> "12.4" (CUDA); HIP's major*10000000 + minor*100000 + patch -> "6.0.32830".
inline std::string version_string(int v) {
#if defined(SYSAXIS_WL_CUDA)
  return std::to_string(v / 1000) + "." + std::to_string((v % 1000) / 10);
#else
  return std::to_string(v / 10000000) + "." + std::to_string((v / 100000) % 100) + "." + std::to_string(v % 100000);
#endif
}

inline void run(const Options& o, Context& ctx, const Names& names) {
  const std::size_t n = o.elements();
  const std::string none = std::string("no ") + names.runtime + " device";
  ctx.platform = names.platform;
  ctx.enter(Phase::init);

  int version = 0;
  if (WL_API(RuntimeGetVersion)(&version) == WL_API(Success)) ctx.runtime_version = version_string(version);
  int driver = 0;
  if (WL_API(DriverGetVersion)(&driver) == WL_API(Success) && driver > 0) ctx.driver_version = version_string(driver);
  int count = 0;
  Error e = WL_API(GetDeviceCount)(&count);
  if (e != WL_API(Success))
    throw Failure(unavailable(e) ? kExitUnavailable : kExitRuntime,
                  none + " (" WL_API_NAME(GetDeviceCount) ": " + describe(e) + ")");
  if (count <= 0) throw Failure(kExitUnavailable, none + " (" WL_API_NAME(GetDeviceCount) " found 0)");

  std::vector<WL_DEVICE_PROP> props(static_cast<std::size_t>(count));
  std::string list;
  for (int d = 0; d < count; ++d) {
    check(WL_API(GetDeviceProperties)(&props[static_cast<std::size_t>(d)], d), WL_API_NAME(GetDeviceProperties));
    list += (d ? ", " : "") + std::to_string(d) + " '" + props[static_cast<std::size_t>(d)].name + "'";
  }
  int device = 0;
  if (!o.device.empty()) {
    device = -1;
    if (auto index = selector_index(o.device)) {
      if (*index < static_cast<std::size_t>(count)) device = static_cast<int>(*index);
    } else {
      for (int d = 0; d < count && device < 0; ++d)
        if (contains_nocase(props[static_cast<std::size_t>(d)].name, o.device)) device = d;
    }
    if (device < 0)
      throw Failure(kExitUnavailable, none + (selector_index(o.device) ? " with index " : " matches '") + o.device +
                                          (selector_index(o.device) ? "" : "'") + " (devices: " + list + ")");
  }
  const auto& prop = props[static_cast<std::size_t>(device)];
  ctx.device = prop.name;
  ctx.set("device_index", std::int64_t{device});
  ctx.set("compute_capability", std::to_string(prop.major) + "." + std::to_string(prop.minor));
  check(WL_API(SetDevice)(device), WL_API_NAME(SetDevice));
  check(WL_API(Free)(nullptr), WL_API_NAME(Free));  // creates the context now, inside init
  std::size_t free_mem = 0;
  std::size_t total_mem = 0;
  check(WL_API(MemGetInfo)(&free_mem, &total_mem), WL_API_NAME(MemGetInfo));
  ctx.set("device_memory_bytes", std::uint64_t{total_mem});
  ctx.set("device_free_bytes", std::uint64_t{free_mem});
  if (o.bytes > total_mem)
    throw Failure(kExitNoMemory, "--bytes " + std::to_string(o.bytes) + " exceeds the " + std::to_string(total_mem) +
                                     " bytes of '" + ctx.device + "'");

  // Allocates `bytes` on the device; a null pointer with success (HIP-CPU's malloc) is out of memory.
  auto allocate = [&]() {
    void* p = nullptr;
    check(WL_API(Malloc)(&p, o.bytes), WL_API_NAME(Malloc), true);
    if (p == nullptr) throw Failure(kExitNoMemory, std::string(WL_API_NAME(Malloc)) + " returned no memory");
    return static_cast<std::uint32_t*>(p);
  };

  if (o.exec == Exec::alloc) {
    std::vector<std::uint32_t> host;
    if (o.alloc_op == AllocOp::copy) host.assign(n, 1u);
    // One unit of work: allocate, optionally copy host->device, free.
    auto cycle = [&]() {
      std::uint32_t* p = allocate();
      if (o.alloc_op == AllocOp::copy) {
        Error c = WL_API(Memcpy)(p, host.data(), o.bytes, WL_API(MemcpyHostToDevice));
        if (c != WL_API(Success)) {
          (void)WL_API(Free)(p);
          check(c, WL_API_NAME(Memcpy), true);
        }
      }
      check(WL_API(Free)(p), WL_API_NAME(Free));
    };
    for (unsigned w = 0; w < o.warmup; ++w) cycle();
    check(WL_API(DeviceSynchronize)(), WL_API_NAME(DeviceSynchronize));

    ctx.enter(Phase::work);
    std::uint64_t done = 0;
    for (std::uint64_t i = 0; i < o.iters; ++i, ++done) cycle();

    ctx.enter(Phase::teardown);
    check(WL_API(DeviceSynchronize)(), WL_API_NAME(DeviceSynchronize));
    ctx.check_calls(done, o.iters);
    return;
  }

  std::vector<std::uint32_t> host(n, 0u);
  std::uint32_t* a = allocate();
  struct FreeOnExit {
    std::uint32_t*& p;
    ~FreeOnExit() {
      if (p != nullptr) (void)WL_API(Free)(p);
    }
  } guard{a};
  const std::uint64_t blocks = std::min<std::uint64_t>((n + kBlockSize - 1) / kBlockSize, kMaxBlocks);
  const auto grid = static_cast<unsigned>(blocks);
  ctx.set("block_size", std::uint64_t{kBlockSize});
  ctx.set("blocks", blocks);
  auto zero = [&] {
    check(WL_API(Memcpy)(a, host.data(), o.bytes, WL_API(MemcpyHostToDevice)), WL_API_NAME(Memcpy), true);
  };
  auto launch = [&] {
    WL_LAUNCH(increment, grid, kBlockSize, a, n);
    check(WL_API(GetLastError)(), "kernel launch");
  };
  zero();
  if (o.warmup > 0) {
    for (unsigned w = 0; w < o.warmup; ++w) launch();
    check(WL_API(DeviceSynchronize)(), WL_API_NAME(DeviceSynchronize));
    zero();
  }
  check(WL_API(DeviceSynchronize)(), WL_API_NAME(DeviceSynchronize));

  ctx.enter(Phase::work);
  for (std::uint64_t i = 0; i < o.iters; ++i) {
    launch();
    if (o.sync == Sync::each) check(WL_API(DeviceSynchronize)(), WL_API_NAME(DeviceSynchronize));
  }
  if (o.sync == Sync::end) check(WL_API(DeviceSynchronize)(), WL_API_NAME(DeviceSynchronize));

  ctx.enter(Phase::teardown);
  check(WL_API(Memcpy)(host.data(), a, o.bytes, WL_API(MemcpyDeviceToHost)), WL_API_NAME(Memcpy));
  ctx.check_counts(host.data(), n, o.iters);
  std::uint32_t* p = a;
  a = nullptr;
  check(WL_API(Free)(p), WL_API_NAME(Free));
}

}  // namespace sysaxis::wl::gpu
