// sysaxis-wl-hip: alloc and kernels through HIP: on the CPU with HIP-CPU (header-only, its include
// path given at configure time; kernels run on TBB threads) or on an AMD GPU with ROCm's hipcc.
#define SYSAXIS_WL_HIP 1
#include "gpu/device_workload.h"

#if defined(__HIP_CPU_RT__)
#define SYSAXIS_HIP_PLATFORM "HIP-CPU"
#elif defined(__HIP_PLATFORM_NVIDIA__) || defined(__HIP_PLATFORM_NVCC__)
#define SYSAXIS_HIP_PLATFORM "HIP on NVIDIA CUDA"
#else
#define SYSAXIS_HIP_PLATFORM "AMD ROCm"
#endif

int main(int argc, char** argv) {
  using namespace sysaxis::wl;
  const BackendSpec spec{
      "hip",
      {Exec::kernels, Exec::alloc},
      false,
      true,
      false,
      "alloc and kernels through HIP (built for " SYSAXIS_HIP_PLATFORM ").",
      "hip: init selects the device (--device index or name), creates the context (hipFree(nullptr)),\n"
      "and for kernels allocates the buffer and zeroes it (hipMemcpy); alloc is hipMalloc [+ hipMemcpy\n"
      "host->device] + hipFree. With HIP-CPU the \"device\" is the host: hipMalloc is malloc and\n"
      "kernels run on TBB worker threads."};
  return run(argc, argv, spec, [](const Options& o, Context& ctx) { gpu::run(o, ctx, {"HIP", SYSAXIS_HIP_PLATFORM}); });
}
