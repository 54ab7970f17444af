// cuBLAS, resolved at run time like the driver: the plugin does not link libcublas, so it loads (and runs
// everything but the cuBLAS matmul kernel) on machines without it. When it is missing the matmul calls go to
// the plugin's own kernel, and the device attribute "cublas" says why.
#pragma once

#include <cublas_api.h>

#include <memory>
#include <string>

namespace keel::cuda {

#define KEEL_CUDA_CUBLAS_FUNCTIONS(X) \
  X(cublasCreate_v2)                  \
  X(cublasDestroy_v2)                 \
  X(cublasSetStream_v2)               \
  X(cublasSetMathMode)                \
  X(cublasGetProperty)                \
  X(cublasGetStatusName)              \
  X(cublasGetStatusString)

class Cublas {
 public:
  // The library name for the cuBLAS major version the plugin was built against.
  static std::string soname();

  // Opens libcublas (by soname, then in the toolkit directory the plugin was built with); nullptr with *why
  // set when it is not there or lacks an entry point.
  static std::unique_ptr<Cublas> open(std::string* why);
  ~Cublas() = default;  // the library stays loaded: unloading cuBLAS is not reliably safe
  Cublas(const Cublas&) = delete;
  Cublas& operator=(const Cublas&) = delete;

#define KEEL_CUDA_CUBLAS_MEMBER(name) decltype(&::name) name = nullptr;
  KEEL_CUDA_CUBLAS_FUNCTIONS(KEEL_CUDA_CUBLAS_MEMBER)
#undef KEEL_CUDA_CUBLAS_MEMBER
  // Declared apart: cublas_api.h overloads it in C++, so decltype cannot name it.
  using GemmStridedBatchedEx = cublasStatus_t (*)(cublasHandle_t, cublasOperation_t, cublasOperation_t, int, int,
                                                  int, const void*, const void*, cudaDataType, int, long long int,
                                                  const void*, cudaDataType, int, long long int, const void*,
                                                  void*, cudaDataType, int, long long int, int,
                                                  cublasComputeType_t, cublasGemmAlgo_t);
  GemmStridedBatchedEx cublasGemmStridedBatchedEx = nullptr;

  // "13.1.0 (libcublas.so.13)"
  const std::string& description() const { return description_; }
  // "CUBLAS_STATUS_ALLOC_FAILED (resource allocation failed)"
  std::string describe(cublasStatus_t status) const;

 private:
  Cublas() = default;
  std::string description_;
};

}  // namespace keel::cuda
