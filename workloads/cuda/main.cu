// sysaxis-wl-cuda: alloc and kernels on an NVIDIA GPU through the CUDA runtime (linked statically;
// it loads the driver, libcuda.so.1, itself). Without a GPU or driver it exits 4 with "no CUDA device".
#define SYSAXIS_WL_CUDA 1
#include "gpu/device_workload.h"

int main(int argc, char** argv) {
  using namespace sysaxis::wl;
  const BackendSpec spec{
      "cuda",
      {Exec::kernels, Exec::alloc},
      false,
      true,
      false,
      "alloc and kernels on an NVIDIA GPU through the CUDA runtime.",
      "cuda: init selects the device (--device index or name), creates the context (cudaFree(0)),\n"
      "and for kernels allocates the buffer and zeroes it (cudaMemcpy); alloc is cudaMalloc [+ cudaMemcpy\n"
      "host->device from pageable memory] + cudaFree. Built for sm_90 (SASS) plus compute_90 PTX;\n"
      "lazy module loading makes the first launch load the kernel, which --warmup keeps in init."};
  return run(argc, argv, spec, [](const Options& o, Context& ctx) { gpu::run(o, ctx, {"CUDA", "NVIDIA CUDA"}); });
}
