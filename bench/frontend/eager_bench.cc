// One eager operator from C++: c = a + b on two 1-element f32 tensors, through the front end's dispatch (shape
// and dtype inference, output allocation from the caching allocator, the plugin call) on each host device.
// The anchor is libtorch's allocating torch::add on 1-element CPU tensors.
#include <benchmark/benchmark.h>

#include "keel/tensor.hpp"
#include "session.h"

namespace keel::bench {
namespace {

void BM_EagerAdd(benchmark::State& state, const char* device_name) {
  std::string why;
  const std::optional<Device> dev = find_device(device_name, why);
  if (!dev) {
    state.SkipWithError(why.c_str());
    return;
  }
  const Tensor a = full({1}, 1.5, {.device = dev}), b = full({1}, 2.0, {.device = dev});
  for (auto _ : state) {
    Tensor c = a + b;
    benchmark::DoNotOptimize(c.impl());
  }
  synchronize(*dev);
  if ((a + b).item<double>() != 3.5) state.SkipWithError("1.5 + 2.0 did not give 3.5");
}
BENCHMARK_CAPTURE(BM_EagerAdd, reference, "reference:0");
BENCHMARK_CAPTURE(BM_EagerAdd, onednn, "onednn:0");

}  // namespace
}  // namespace keel::bench
