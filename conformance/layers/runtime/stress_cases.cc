#include "layers/runtime/stress_cases.h"

#include <atomic>
#include <cstring>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "layers/check.h"
#include "layers/ops/random.h"
#include "layers/runtime/device_memory.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

constexpr int kThreads = 4;

// Runs `body(thread_index)` on kThreads threads; the first failure (a CaseFailure or a keel::Error) any
// thread reports fails the case once all have finished.
template <class Body>
void on_threads(Body body) {
  std::mutex mutex;
  std::string first_failure;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      std::string failure;
      try {
        body(t);
      } catch (const CaseFailure& error) {
        failure = error.reason;
      } catch (const std::exception& error) {
        failure = error.what();
      }
      if (!failure.empty()) {
        std::lock_guard<std::mutex> lock(mutex);
        if (first_failure.empty()) first_failure = "thread " + std::to_string(t) + ": " + failure;
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  require(first_failure.empty(), first_failure);
}

int rounds(const WorkerContext& context, int full) { return context.options().quick ? full / 4 : full; }

CaseResult run_threads_queues(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const int round_count = rounds(context, 200);
  on_threads([&](int thread) {
    Queue queue = Queue::create(device);
    const OwnedBuffer first = allocate_or_fail(device, 4096, 0, 0);
    const OwnedBuffer second = allocate_or_fail(device, 4096, 0, 0);
    keel_event_t* raw_event = nullptr;
    require_ok(keel_event_create(device.get(), 0, &raw_event), "event_create");
    std::unique_ptr<keel_event_t, void (*)(keel_event_t*)> event(raw_event, keel_event_release);
    Random random(seed_of("stress.threads_queues", static_cast<uint64_t>(thread)));
    std::vector<uint8_t> data(4096), back(4096);
    for (int round = 1; round <= round_count; ++round) {
      for (uint8_t& byte : data) byte = static_cast<uint8_t>(random.next());
      const uint32_t pattern = static_cast<uint32_t>(random.next());
      require_ok(keel_queue_write(queue.get(), first.get(), 0, data.data(), data.size()), "queue_write");
      require_ok(keel_queue_copy(queue.get(), first.get(), 0, second.get(), 0, data.size()), "queue_copy");
      require_ok(keel_queue_fill(queue.get(), second.get(), 1024, 64, &pattern, 4), "queue_fill");
      require_ok(keel_queue_read(queue.get(), second.get(), 0, back.data(), back.size()), "queue_read");
      require_ok(keel_queue_signal(queue.get(), event.get(), static_cast<uint64_t>(round)), "queue_signal");
      require_ok(keel_queue_synchronize(queue.get()), "queue_synchronize");
      for (int i = 0; i < 64; i += 4) std::memcpy(data.data() + 1024 + i, &pattern, 4);
      require(back == data, "round " + std::to_string(round) + ": the data read back differs");
      uint8_t reached = 0;
      require_ok(keel_event_host_wait(event.get(), static_cast<uint64_t>(round), 3'000'000'000ull, &reached),
                 "event_host_wait");
      require(reached == 1, "round " + std::to_string(round) + ": the queue's signal did not arrive");
    }
  });
  return passed();
}

CaseResult run_alloc_churn(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const keel_memory_stats_t before = device.memory_stats(0);
  const int round_count = rounds(context, 400);
  on_threads([&](int thread) {
    Random random(seed_of("stress.alloc_churn", static_cast<uint64_t>(thread)));
    std::vector<OwnedBuffer> live;
    for (int round = 0; round < round_count; ++round) {
      const uint64_t size = static_cast<uint64_t>(random.integer(0, 1 << 16));
      live.push_back(allocate_or_fail(device, size, 0, 0));
      if (size > 0) {
        const uint8_t byte = static_cast<uint8_t>(round);
        require_ok(keel_buffer_write(live.back().get(), size - 1, &byte, 1), "buffer_write");
      }
      if (live.size() > 8) live.erase(live.begin() + static_cast<ptrdiff_t>(random.integer(0, 8)));
    }
  });
  const keel_memory_stats_t after = device.memory_stats(0);
  require(after.bytes_in_use == before.bytes_in_use && after.allocation_count == before.allocation_count,
          "after the churn bytes_in_use went " + std::to_string(before.bytes_in_use) + " -> " +
              std::to_string(after.bytes_in_use) + " and allocation_count " + std::to_string(before.allocation_count) +
              " -> " + std::to_string(after.allocation_count));
  return passed();
}

// matmul [32,48] x [48,16] in f32 on kThreads queues at once must give the bits of one queue alone.
CaseResult run_ops_concurrent(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const Op op = Op::find("matmul");
  Random random(seed_of("stress.ops_concurrent"));
  std::vector<float> a(32 * 48), b(48 * 16);
  for (float& v : a) v = static_cast<float>(random.uniform(-2, 2));
  for (float& v : b) v = static_cast<float>(random.uniform(-2, 2));
  const auto multiply = [&](Queue& queue) {
    Buffer in_a = Buffer::allocate(device, a.size() * 4);
    Buffer in_b = Buffer::allocate(device, b.size() * 4);
    Buffer out = Buffer::allocate(device, 32 * 16 * 4);
    in_a.write(a.data(), a.size() * 4);
    in_b.write(b.data(), b.size() * 4);
    const keel_tensor_t inputs[] = {make_tensor(in_a.get(), KEEL_DTYPE_F32, {32, 48}),
                                    make_tensor(in_b.get(), KEEL_DTYPE_F32, {48, 16})};
    const keel_tensor_t outputs[] = {make_tensor(out.get(), KEEL_DTYPE_F32, {32, 16})};
    queue.run(op, nullptr, inputs, outputs);
    queue.synchronize();
    return out.read_all<float>();
  };
  std::vector<float> alone;
  {
    Queue queue = Queue::create(device);
    try {
      alone = multiply(queue);
    } catch (const Error& error) {
      if (error.code() == KEEL_STATUS_UNIMPLEMENTED || error.code() == KEEL_STATUS_UNAVAILABLE) {
        return unsupported(error.what());
      }
      throw;
    }
  }
  on_threads([&](int) {
    Queue queue = Queue::create(device);
    for (int round = 0; round < rounds(context, 40); ++round) {
      const std::vector<float> result = multiply(queue);
      require(std::memcmp(result.data(), alone.data(), alone.size() * 4) == 0,
              "concurrent matmul results differ from a single queue's");
    }
  });
  return passed();
}

CaseSpec stress_case(const char* id, Profile profile, CaseRunner run, const char* description) {
  CaseSpec spec;
  spec.id = id;
  spec.layer = Layer::kStress;
  spec.profile = profile;
  spec.quick = true;
  spec.timeout_scale = 4;
  spec.run = run;
  spec.description = description;
  return spec;
}

}  // namespace

void add_stress_cases(std::vector<CaseSpec>& cases) {
  cases.push_back(stress_case("stress.threads_queues", Profile::kBase, run_threads_queues,
                              "4 threads, one queue each: copies, fills, signals, all checked"));
  cases.push_back(stress_case("stress.alloc_churn", Profile::kBase, run_alloc_churn,
                              "4 threads allocating and releasing; statistics return to where they were"));
  if (spec::find_op("matmul") != nullptr) {
    cases.push_back(stress_case("stress.ops_concurrent", Profile::kCoreInference, run_ops_concurrent,
                                "matmul on 4 queues at once gives the bits of one queue"));
  }
}

}  // namespace keel::conform
