// Matmul (f32, row-major, M = N = K) through Keel's CUDA plugin against cuBLAS called directly on the same
// GPU. Both sides synchronize after every product, so each iteration is one complete matmul as a framework
// would see it. The target: Keel within 0.9x of cuBLAS at 4096^3.
//
//   keel_bench_cuda [--benchmark_filter=...]   prints Google Benchmark's table, then the Keel/cuBLAS ratios.
//
// Without a CUDA device (or without the plugin accepting one) it prints why and exits 0.
#include <benchmark/benchmark.h>
#include <cublas_v2.h>
#include <cuda_runtime.h>

#include <cstdio>
#include <map>
#include <random>
#include <string>
#include <vector>

#include "keel/keel_runtime.h"

namespace {

constexpr int64_t kSizes[] = {1024, 4096};

struct KeelSide {
  keel_runtime_t* runtime = nullptr;
  keel_device_t* device = nullptr;
  std::string problem;
};

KeelSide& keel_side() {
  static KeelSide side = [] {
    KeelSide s;
    const std::string plugin = std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_cuda.so";
    const char* paths[] = {plugin.c_str()};
    keel_runtime_options_t options{};
    options.struct_size = sizeof options;
    options.plugin_paths = paths;
    options.plugin_path_count = 1;
    options.skip_env_path = 1;
    options.skip_manifests = 1;
    if (keel_status_t status = keel_runtime_create(&options, &s.runtime)) {
      s.problem = keel_status_message(status);
      keel_status_release(status);
      return s;
    }
    if (keel_status_t status = keel_runtime_find_device(s.runtime, "cuda", &s.device)) {
      keel_status_release(status);
      s.device = nullptr;
      keel_loader_entry_t entry{};
      entry.struct_size = sizeof entry;
      for (size_t i = 0; i < keel_runtime_loader_entry_count(s.runtime); ++i) {
        if (keel_status_t failed = keel_runtime_loader_entry(s.runtime, i, &entry)) {
          keel_status_release(failed);
          continue;
        }
        s.problem = entry.reason;
      }
    }
    return s;
  }();
  return side;
}

std::vector<float> random_matrix(int64_t n, uint32_t seed) {
  std::mt19937 engine(seed);
  std::uniform_real_distribution<float> value(-1.0f, 1.0f);
  std::vector<float> data(static_cast<size_t>(n * n));
  for (float& x : data) x = value(engine);
  return data;
}

void set_counters(benchmark::State& state, int64_t n) {
  state.counters["GFLOP/s"] = benchmark::Counter(2.0 * static_cast<double>(n) * n * n * 1e-9,
                                                 benchmark::Counter::kIsIterationInvariantRate);
}

bool ok(keel_status_t status, benchmark::State& state) {
  if (status == nullptr) return true;
  state.SkipWithError(keel_status_message(status));
  keel_status_release(status);
  return false;
}

void BM_MatmulKeel(benchmark::State& state) {
  const int64_t n = state.range(0);
  KeelSide& side = keel_side();
  keel_buffer_t* buffers[3] = {};
  const uint64_t bytes = static_cast<uint64_t>(n * n) * sizeof(float);
  for (keel_buffer_t*& buffer : buffers) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = bytes;
    if (!ok(keel_buffer_allocate(side.device, &args, &buffer), state)) return;
  }
  const std::vector<float> a = random_matrix(n, 1), b = random_matrix(n, 2);
  if (!ok(keel_buffer_write(buffers[0], 0, a.data(), bytes), state)) return;
  if (!ok(keel_buffer_write(buffers[1], 0, b.data(), bytes), state)) return;
  keel_tensor_t tensors[3] = {};
  for (int i = 0; i < 3; ++i) {
    tensors[i] = {buffers[i], KEEL_DTYPE_F32, 2, {n, n}, {n, 1}, 0};
  }
  const keel_op_t* matmul = nullptr;
  keel_queue_t* queue = nullptr;
  if (!ok(keel_op_find("matmul", &matmul), state) || !ok(keel_queue_create(side.device, nullptr, &queue), state)) {
    return;
  }
  // Warm up: kernel choice, cuBLAS handle, first-launch costs.
  bool running = ok(keel_op_run(queue, matmul, nullptr, tensors, 2, &tensors[2], 1), state) &&
                 ok(keel_queue_synchronize(queue), state);
  for (auto _ : state) {
    if (!running) break;
    running = ok(keel_op_run(queue, matmul, nullptr, tensors, 2, &tensors[2], 1), state) &&
              ok(keel_queue_synchronize(queue), state);
  }
  set_counters(state, n);
  keel_queue_release(queue);
  for (keel_buffer_t* buffer : buffers) keel_buffer_release(buffer);
}

bool cuda_ok(cudaError_t error, benchmark::State& state) {
  if (error == cudaSuccess) return true;
  state.SkipWithError(cudaGetErrorString(error));
  return false;
}

void BM_MatmulCublas(benchmark::State& state) {
  const int64_t n = state.range(0);
  const size_t bytes = static_cast<size_t>(n * n) * sizeof(float);
  float *a = nullptr, *b = nullptr, *c = nullptr;
  if (!cuda_ok(cudaMalloc(&a, bytes), state) || !cuda_ok(cudaMalloc(&b, bytes), state) ||
      !cuda_ok(cudaMalloc(&c, bytes), state)) {
    return;
  }
  const std::vector<float> host_a = random_matrix(n, 1), host_b = random_matrix(n, 2);
  cudaMemcpy(a, host_a.data(), bytes, cudaMemcpyHostToDevice);
  cudaMemcpy(b, host_b.data(), bytes, cudaMemcpyHostToDevice);
  cudaStream_t stream = nullptr;
  cublasHandle_t handle = nullptr;
  cudaStreamCreateWithFlags(&stream, cudaStreamNonBlocking);
  cublasCreate(&handle);
  cublasSetStream(handle, stream);
  const float one = 1.0f, zero = 0.0f;
  const int size = static_cast<int>(n);
  // Row-major C = A·B is column-major Cᵀ = Bᵀ·Aᵀ.
  const auto product = [&] {
    return cublasSgemm(handle, CUBLAS_OP_N, CUBLAS_OP_N, size, size, size, &one, b, size, a, size, &zero, c, size);
  };
  product();
  cudaStreamSynchronize(stream);
  for (auto _ : state) {
    if (product() != CUBLAS_STATUS_SUCCESS) {
      state.SkipWithError("cublasSgemm failed");
      break;
    }
    cudaStreamSynchronize(stream);
  }
  set_counters(state, n);
  cublasDestroy(handle);
  cudaStreamDestroy(stream);
  cudaFree(a);
  cudaFree(b);
  cudaFree(c);
}

BENCHMARK(BM_MatmulKeel)->ArgsProduct({{kSizes[0], kSizes[1]}})->UseRealTime()->Unit(benchmark::kMillisecond);
BENCHMARK(BM_MatmulCublas)->ArgsProduct({{kSizes[0], kSizes[1]}})->UseRealTime()->Unit(benchmark::kMillisecond);

// The console table, plus the time of every run for the ratios printed at the end.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    for (const Run& run : runs) {
      if (!run.error_occurred && run.iterations > 0) seconds_[run.benchmark_name()] = run.GetAdjustedRealTime();
    }
    ConsoleReporter::ReportRuns(runs);
  }

  void PrintRatios() const {
    for (const int64_t n : kSizes) {
      const auto keel = seconds_.find("BM_MatmulKeel/" + std::to_string(n) + "/real_time");
      const auto cublas = seconds_.find("BM_MatmulCublas/" + std::to_string(n) + "/real_time");
      if (keel == seconds_.end() || cublas == seconds_.end()) continue;
      std::printf("matmul f32 %lld^3: Keel runs at %.3fx cuBLAS (%.3f ms vs %.3f ms)\n", static_cast<long long>(n),
                  cublas->second / keel->second, keel->second, cublas->second);
    }
  }

 private:
  std::map<std::string, double> seconds_;
};

}  // namespace

int main(int argc, char** argv) {
  benchmark::Initialize(&argc, argv);
  int devices = 0;
  if (const cudaError_t error = cudaGetDeviceCount(&devices); error != cudaSuccess || devices == 0) {
    std::printf("no GPU (cudaGetDeviceCount: %s); nothing to measure\n",
                error != cudaSuccess ? cudaGetErrorString(error) : "no device");
    if (keel_side().device == nullptr) std::printf("the Keel CUDA plugin says: %s\n", keel_side().problem.c_str());
    return 0;
  }
  if (keel_side().device == nullptr) {
    std::printf("no GPU for Keel: the CUDA plugin is not usable here: %s\n", keel_side().problem.c_str());
    return 0;
  }
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.PrintRatios();
  benchmark::Shutdown();
  keel_runtime_release(keel_side().runtime);
  return 0;
}
