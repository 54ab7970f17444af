#include "driver/cublas.h"

#include <dlfcn.h>

#include "runtime/host.h"

namespace keel::cuda {

std::string Cublas::soname() { return concat("libcublas.so.", CUBLAS_VER_MAJOR); }

std::unique_ptr<Cublas> Cublas::open(std::string* why) {
  const std::string name = soname();
  std::string path = name;
  void* handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (handle == nullptr) {
    const char* first_error = dlerror();
    *why = first_error != nullptr ? first_error : name + " not found";
    path = std::string(KEEL_CUDA_TOOLKIT_LIBRARY_DIR) + "/" + name;
    handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (handle == nullptr) return nullptr;
  }
  std::unique_ptr<Cublas> cublas(new Cublas());
  bool complete = true;
#define KEEL_CUDA_CUBLAS_RESOLVE(name)                                              \
  cublas->name = reinterpret_cast<decltype(cublas->name)>(dlsym(handle, #name));    \
  if (cublas->name == nullptr && complete) {                                        \
    complete = false;                                                               \
    *why = concat(path, " lacks ", #name);                                          \
  }
  KEEL_CUDA_CUBLAS_FUNCTIONS(KEEL_CUDA_CUBLAS_RESOLVE)
  KEEL_CUDA_CUBLAS_RESOLVE(cublasGemmStridedBatchedEx)
#undef KEEL_CUDA_CUBLAS_RESOLVE
  if (!complete) return nullptr;

  int major = 0, minor = 0, patch = 0;
  if (cublas->cublasGetProperty(MAJOR_VERSION, &major) != CUBLAS_STATUS_SUCCESS ||
      cublas->cublasGetProperty(MINOR_VERSION, &minor) != CUBLAS_STATUS_SUCCESS ||
      cublas->cublasGetProperty(PATCH_LEVEL, &patch) != CUBLAS_STATUS_SUCCESS) {
    *why = concat(path, ": cublasGetProperty failed");
    return nullptr;
  }
  cublas->description_ = concat(major, ".", minor, ".", patch, " (", path, ")");
  why->clear();
  return cublas;
}

std::string Cublas::describe(cublasStatus_t status) const {
  const char* name = cublasGetStatusName(status);
  const char* text = cublasGetStatusString(status);
  return concat(name != nullptr ? name : "cublasStatus", " (", text != nullptr ? text : "no description", ")");
}

}  // namespace keel::cuda
