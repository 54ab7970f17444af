// bench_onednn_probe: the child process of the load-time benchmark, and a clean loop for profilers.
// It links libkeel only (not libdnnl), so a fresh process pays for loading oneDNN exactly as an
// application that only uses Keel does.
//
//   bench_onednn_probe load          time one keel_runtime_create with only the oneDNN plugin; prints
//                                    "<wall ns> <loader ns>" (the loader's own dlopen + probe + init time)
//   bench_onednn_probe dispatch N    N cached 1-element adds (keel_op_run + keel_queue_synchronize), for
//                                    `valgrind --tool=callgrind` or `perf record`; prints ns per call
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "keel_session.h"

int main(int argc, char** argv) {
  using keel::bench::check;
  if (argc == 2 && std::strcmp(argv[1], "load") == 0) {
    int64_t loader_ns = 0;
    const int64_t wall_ns = keel::bench::time_runtime_create(&loader_ns);
    std::printf("%lld %lld\n", static_cast<long long>(wall_ns), static_cast<long long>(loader_ns));
    return 0;
  }
  if (argc == 3 && std::strcmp(argv[1], "dispatch") == 0) {
    const long iterations = std::atol(argv[2]);
    keel::bench::Session s;
    const keel::bench::Tensor a(s.device(), KEEL_DTYPE_F32, {1});
    const keel::bench::Tensor b(s.device(), KEEL_DTYPE_F32, {1});
    const keel::bench::Tensor c(s.device(), KEEL_DTYPE_F32, {1});
    const keel_op_t* add = s.op("add");
    const keel_tensor_t inputs[] = {a.view(), b.view()};
    const keel_tensor_t outputs[] = {c.view()};
    check(keel_op_run(s.queue(), add, nullptr, inputs, 2, outputs, 1), "keel_op_run");
    const auto start = std::chrono::steady_clock::now();
    for (long i = 0; i < iterations; ++i) {
      check(keel_op_run(s.queue(), add, nullptr, inputs, 2, outputs, 1), "keel_op_run");
      check(keel_queue_synchronize(s.queue()), "keel_queue_synchronize");
    }
    const auto end = std::chrono::steady_clock::now();
    std::printf("%.1f ns per call\n",
                std::chrono::duration<double, std::nano>(end - start).count() / static_cast<double>(iterations));
    return 0;
  }
  std::fprintf(stderr, "usage: bench_onednn_probe load | dispatch <iterations>\n");
  return 2;
}
