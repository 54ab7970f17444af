// The reference plugin's device, memory, queue and event slots, called directly through its table (the
// contract of keel_plugin.h, independent of how libkeel wraps it).
#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <thread>
#include <vector>

#include "harness/backend.h"
#include "harness/direct_plugin.h"

namespace keel::reference_test {
namespace {

class RuntimeSurface : public testing::Test {
 protected:
  void SetUp() override {
    plugin_.initialize();
    ASSERT_EQ(expect_ok(api().device_get(plugin_.args.plugin_ctx, 0, &device_)), "");
  }

  const keel_plugin_api_t& api() { return plugin_.api(); }

  // "" for OK; otherwise "<code>: <message>" (the status is released).
  static std::string expect_ok(keel_status_t status) {
    if (status == nullptr) return "";
    const std::string text = std::to_string(TestHost::code_of(status)) + ": " + TestHost::message_of(status);
    TestHost::release(status);
    return text;
  }

  // The code of a status, released.
  static keel_status_code_t code(keel_status_t status, std::string* message = nullptr) {
    const keel_status_code_t result = TestHost::code_of(status);
    if (message != nullptr) *message = TestHost::message_of(status);
    TestHost::release(status);
    return result;
  }

  keel_plugin_buffer_t* allocate(uint64_t size, uint64_t alignment = 0, uint32_t flags = 0, void** host = nullptr) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    args.alignment = alignment;
    args.flags = flags;
    keel_plugin_buffer_t* buffer = nullptr;
    void* pointer = nullptr;
    EXPECT_EQ(expect_ok(api().buffer_allocate(device_, &args, &buffer, &pointer)), "");
    if (host != nullptr) *host = pointer;
    return buffer;
  }

  keel_memory_stats_t stats() {
    keel_memory_stats_t result{};
    result.struct_size = sizeof result;
    EXPECT_EQ(expect_ok(api().memory_stats(device_, 0, &result)), "");
    return result;
  }

  DirectPlugin plugin_{reference_plugin_path()};
  keel_plugin_device_t* device_ = nullptr;
};

// ---- Device -------------------------------------------------------------------------------------------------

TEST_F(RuntimeSurface, OneCpuDevice) {
  size_t count = 0;
  ASSERT_EQ(expect_ok(api().device_count(plugin_.args.plugin_ctx, &count)), "");
  EXPECT_EQ(count, 1u);
  keel_plugin_device_t* other = nullptr;
  EXPECT_EQ(code(api().device_get(plugin_.args.plugin_ctx, 1, &other)), KEEL_STATUS_OUT_OF_RANGE);

  keel_device_properties_t properties{};
  properties.struct_size = sizeof properties;
  ASSERT_EQ(expect_ok(api().device_properties(device_, &properties)), "");
  EXPECT_STREQ(properties.name, "Keel reference CPU");
  EXPECT_STREQ(properties.vendor, "Keel");
  EXPECT_EQ(properties.type, KEEL_DEVICE_TYPE_CPU);
  EXPECT_EQ(properties.uuid_is_set, 1);
  EXPECT_EQ(properties.pci_bus_id_is_set, 0);
  EXPECT_GT(properties.memory_bytes, 0u);
  EXPECT_EQ(properties.capabilities & KEEL_CAP_ASYNC, 0u) << "every queue call is synchronous";
  EXPECT_NE(properties.capabilities & KEEL_CAP_F64, 0u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_UNIFIED, 0u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_IMPORT_HOST_PTR, 0u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_F16, 0u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_BF16, 0u);
  EXPECT_NE(properties.capabilities & KEEL_CAP_INT8, 0u);
  EXPECT_EQ(properties.memory_space_count, 1u);
}

TEST_F(RuntimeSurface, UuidIsStableAcrossInits) {
  DirectPlugin other(reference_plugin_path());
  other.initialize();
  keel_plugin_device_t* other_device = nullptr;
  ASSERT_EQ(expect_ok(other.api().device_get(other.args.plugin_ctx, 0, &other_device)), "");
  keel_device_properties_t a{};
  keel_device_properties_t b{};
  a.struct_size = b.struct_size = sizeof a;
  ASSERT_EQ(expect_ok(api().device_properties(device_, &a)), "");
  ASSERT_EQ(expect_ok(other.api().device_properties(other_device, &b)), "");
  EXPECT_EQ(std::memcmp(a.uuid, b.uuid, sizeof a.uuid), 0);
  const uint8_t zeros[16] = {};
  EXPECT_NE(std::memcmp(a.uuid, zeros, sizeof zeros), 0);
}

TEST_F(RuntimeSurface, OlderPropertiesStructIsFilledOnlyAsFarAsItReaches) {
  keel_device_properties_t properties;
  std::memset(&properties, 0xee, sizeof properties);
  properties.struct_size = KEEL_STRUCT_SIZE_UNTIL(keel_device_properties_t, vendor);
  ASSERT_EQ(expect_ok(api().device_properties(device_, &properties)), "");
  EXPECT_STREQ(properties.vendor, "Keel");
  uint32_t untouched = 0;
  std::memset(&untouched, 0xee, sizeof untouched);
  EXPECT_EQ(properties.type, untouched);
}

TEST_F(RuntimeSurface, AttributesQueryThenFill) {
  size_t count = 0;
  ASSERT_EQ(expect_ok(api().device_attributes(device_, nullptr, &count)), "");
  ASSERT_GE(count, 2u);
  std::vector<keel_attribute_t> attributes(count + 3);
  size_t filled = attributes.size();
  ASSERT_EQ(expect_ok(api().device_attributes(device_, attributes.data(), &filled)), "");
  EXPECT_EQ(filled, count);
  bool synchronous = false;
  for (size_t i = 0; i < filled; ++i) {
    synchronous = synchronous ||
                  (std::string(attributes[i].key) == "execution" && std::string(attributes[i].value) == "synchronous");
  }
  EXPECT_TRUE(synchronous);
  size_t one = 1;
  ASSERT_EQ(expect_ok(api().device_attributes(device_, attributes.data(), &one)), "");
  EXPECT_EQ(one, 1u);
}

// ---- Memory -------------------------------------------------------------------------------------------------

TEST_F(RuntimeSurface, MemorySpaceIsUnifiedHostMemory) {
  keel_memory_space_properties_t properties{};
  properties.struct_size = sizeof properties;
  ASSERT_EQ(expect_ok(api().memory_space_properties(device_, 0, &properties)), "");
  EXPECT_STREQ(properties.name, "host");
  EXPECT_EQ(properties.kind, KEEL_MEMORY_KIND_UNIFIED);
  EXPECT_EQ(properties.host_accessible, 1);
  EXPECT_EQ(properties.min_alignment, 64u);
  EXPECT_GT(properties.capacity_bytes, 0u);
  EXPECT_EQ(code(api().memory_space_properties(device_, 1, &properties)), KEEL_STATUS_OUT_OF_RANGE);
  keel_memory_stats_t s{};
  s.struct_size = sizeof s;
  EXPECT_EQ(code(api().memory_stats(device_, 1, &s)), KEEL_STATUS_OUT_OF_RANGE);
}

TEST_F(RuntimeSurface, AlignmentDefaultsTo64AndHonoursLarger) {
  void* host = nullptr;
  keel_plugin_buffer_t* a = allocate(10, 0, 0, &host);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(host) % 64, 0u);
  keel_plugin_buffer_t* b = allocate(10, 4096, 0, &host);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(host) % 4096, 0u);
  keel_plugin_buffer_t* c = allocate(10, 8, 0, &host);  // smaller requests still get the minimum
  EXPECT_EQ(reinterpret_cast<uintptr_t>(host) % 64, 0u);
  for (keel_plugin_buffer_t* buffer : {a, b, c}) api().buffer_release(buffer);

  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = 16;
  args.alignment = 48;
  keel_plugin_buffer_t* bad = nullptr;
  std::string message;
  EXPECT_EQ(code(api().buffer_allocate(device_, &args, &bad, nullptr), &message), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("48"), std::string::npos) << message;
  EXPECT_EQ(bad, nullptr);
}

TEST_F(RuntimeSurface, ImpossibleSizesAreResourceExhausted) {
  for (const uint64_t size : {uint64_t{1} << 62, ~uint64_t{0}, stats().bytes_limit + 1}) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof args;
    args.size = size;
    keel_plugin_buffer_t* buffer = nullptr;
    std::string message;
    EXPECT_EQ(code(api().buffer_allocate(device_, &args, &buffer, nullptr), &message), KEEL_STATUS_RESOURCE_EXHAUSTED);
    EXPECT_NE(message.find(std::to_string(size)), std::string::npos) << message;
  }
  EXPECT_EQ(stats().bytes_in_use, 0u);
  EXPECT_EQ(stats().allocation_count, 0u);
}

TEST_F(RuntimeSurface, ZeroByteBuffersAreDistinct) {
  void* first_host = nullptr;
  void* second_host = nullptr;
  keel_plugin_buffer_t* first = allocate(0, 0, 0, &first_host);
  keel_plugin_buffer_t* second = allocate(0, 0, 0, &second_host);
  EXPECT_NE(first, second);
  EXPECT_NE(first_host, second_host);
  EXPECT_EQ(stats().allocation_count, 2u);
  EXPECT_EQ(stats().bytes_in_use, 0u);
  EXPECT_EQ(expect_ok(api().buffer_write(first, 0, nullptr, 0)), "");
  api().buffer_release(first);
  api().buffer_release(second);
}

TEST_F(RuntimeSurface, ZeroInitAndStats) {
  void* host = nullptr;
  keel_plugin_buffer_t* buffer = allocate(1000, 0, KEEL_ALLOCATE_ZERO_INIT, &host);
  const std::vector<uint8_t> zeros(1000, 0);
  EXPECT_EQ(std::memcmp(host, zeros.data(), zeros.size()), 0);
  keel_plugin_buffer_t* other = allocate(24);
  keel_memory_stats_t s = stats();
  EXPECT_EQ(s.bytes_in_use, 1024u);
  EXPECT_EQ(s.peak_bytes_in_use, 1024u);
  EXPECT_EQ(s.allocation_count, 2u);
  EXPECT_GT(s.bytes_limit, 0u);
  api().buffer_release(buffer);
  s = stats();
  EXPECT_EQ(s.bytes_in_use, 24u);
  EXPECT_EQ(s.peak_bytes_in_use, 1024u);
  ASSERT_EQ(expect_ok(api().memory_reset_peak(device_, 0)), "");
  EXPECT_EQ(stats().peak_bytes_in_use, 24u);
  api().buffer_release(other);
  EXPECT_EQ(stats().allocation_count, 0u);

  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.flags = 0x80;
  keel_plugin_buffer_t* unknown = nullptr;
  EXPECT_EQ(code(api().buffer_allocate(device_, &args, &unknown, nullptr)), KEEL_STATUS_INVALID_ARGUMENT);
}

TEST_F(RuntimeSurface, CopiesAreBoundsChecked) {
  keel_plugin_buffer_t* buffer = allocate(16);
  const char text[] = "0123456789abcdef";
  ASSERT_EQ(expect_ok(api().buffer_write(buffer, 0, text, 16)), "");
  EXPECT_EQ(code(api().buffer_write(buffer, 10, text, 7)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(code(api().buffer_write(buffer, 17, text, 0)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(code(api().buffer_write(buffer, 8, text, ~uint64_t{0})), KEEL_STATUS_OUT_OF_RANGE);
  char out[16] = {};
  EXPECT_EQ(code(api().buffer_read(buffer, 1, out, 16)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(code(api().buffer_read(buffer, 0, nullptr, 4)), KEEL_STATUS_INVALID_ARGUMENT);
  // Overlapping copy within one buffer moves like memmove.
  ASSERT_EQ(expect_ok(api().buffer_copy(buffer, 0, buffer, 4, 12)), "");
  ASSERT_EQ(expect_ok(api().buffer_read(buffer, 0, out, 16)), "");
  EXPECT_EQ(std::string(out, 16), "01230123456789ab");
  EXPECT_EQ(code(api().buffer_copy(buffer, 8, buffer, 0, 9)), KEEL_STATUS_OUT_OF_RANGE);
  api().buffer_release(buffer);
}

TEST_F(RuntimeSurface, ImportedMemoryIsSharedAndNotCounted) {
  std::vector<uint8_t> memory(32, 7);
  keel_plugin_buffer_t* buffer = nullptr;
  ASSERT_EQ(expect_ok(api().buffer_import_host(device_, memory.data(), memory.size(), &buffer)), "");
  EXPECT_EQ(stats().allocation_count, 0u);
  const uint8_t nine = 9;
  ASSERT_EQ(expect_ok(api().buffer_write(buffer, 3, &nine, 1)), "");
  EXPECT_EQ(memory[3], 9);
  api().buffer_release(buffer);
  EXPECT_EQ(memory[0], 7);  // still ours
}

TEST_F(RuntimeSurface, ConcurrentAllocationsKeepStatsConsistent) {
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&] {
      for (int i = 0; i < 200; ++i) {
        keel_plugin_buffer_t* buffer = allocate(100 + static_cast<uint64_t>(i));
        api().buffer_release(buffer);
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(stats().bytes_in_use, 0u);
  EXPECT_EQ(stats().allocation_count, 0u);
}

// ---- Queues -------------------------------------------------------------------------------------------------

class Queues : public RuntimeSurface {
 protected:
  void SetUp() override {
    RuntimeSurface::SetUp();
    ASSERT_EQ(expect_ok(api().queue_create(device_, nullptr, &queue_)), "");
    ASSERT_EQ(expect_ok(api().event_create(device_, 0, &event_)), "");
  }
  void TearDown() override {
    api().event_release(event_);
    api().queue_release(queue_);
    EXPECT_EQ(TestHost::live_statuses(), 0) << "a status was leaked";
  }

  keel_plugin_queue_t* queue_ = nullptr;
  keel_plugin_event_t* event_ = nullptr;
};

TEST_F(Queues, FillPatterns) {
  void* host = nullptr;
  keel_plugin_buffer_t* buffer = allocate(32, 0, 0, &host);
  const uint64_t pattern = 0x0102030405060708ull;
  for (const uint32_t size : {1u, 2u, 4u, 8u}) {
    ASSERT_EQ(expect_ok(api().queue_fill(queue_, buffer, 8, 16, &pattern, size)), "");
    const auto* bytes = static_cast<const uint8_t*>(host);
    for (uint32_t i = 0; i < 16; ++i) EXPECT_EQ(bytes[8 + i], reinterpret_cast<const uint8_t*>(&pattern)[i % size]);
  }
  EXPECT_EQ(code(api().queue_fill(queue_, buffer, 0, 12, &pattern, 3)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(code(api().queue_fill(queue_, buffer, 0, 12, &pattern, 8)), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(code(api().queue_fill(queue_, buffer, 24, 16, &pattern, 4)), KEEL_STATUS_OUT_OF_RANGE);
  api().buffer_release(buffer);
}

TEST_F(Queues, QueueCopiesAndCallbacksRunInOrder) {
  keel_plugin_buffer_t* a = allocate(8);
  keel_plugin_buffer_t* b = allocate(8);
  const uint64_t value = 42;
  uint64_t out = 0;
  int calls = 0;
  ASSERT_EQ(expect_ok(api().queue_write(queue_, a, 0, &value, 8)), "");
  ASSERT_EQ(expect_ok(api().queue_copy(queue_, a, 0, b, 0, 8)), "");
  ASSERT_EQ(expect_ok(api().queue_read(queue_, b, 0, &out, 8)), "");
  ASSERT_EQ(expect_ok(api().queue_host_callback(
                queue_, [](void* data) { ++*static_cast<int*>(data); }, &calls)),
            "");
  EXPECT_EQ(out, 42u);
  EXPECT_EQ(calls, 1) << "the callback ran before queue_host_callback returned";
  EXPECT_EQ(code(api().queue_read(queue_, b, 4, &out, 8)), KEEL_STATUS_OUT_OF_RANGE);
  EXPECT_EQ(expect_ok(api().queue_synchronize(queue_)), "");
  api().buffer_release(a);
  api().buffer_release(b);
}

TEST_F(Queues, SignalAndWait) {
  ASSERT_EQ(expect_ok(api().queue_signal(queue_, event_, 3)), "");
  uint64_t value = 0;
  ASSERT_EQ(expect_ok(api().event_query(event_, &value)), "");
  EXPECT_EQ(value, 3u);
  EXPECT_EQ(expect_ok(api().queue_wait(queue_, event_, 2)), "");  // already reached: returns at once
  std::thread signaller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(expect_ok(api().event_signal(event_, 5)), "");
  });
  EXPECT_EQ(expect_ok(api().queue_wait(queue_, event_, 5)), "");  // blocks until the other thread signals
  signaller.join();
  EXPECT_EQ(expect_ok(api().queue_synchronize(queue_)), "");
}

TEST_F(Queues, WaitingOnAFailedEventPoisonsTheQueue) {
  keel_plugin_event_t* later = nullptr;
  ASSERT_EQ(expect_ok(api().event_create(device_, 0, &later)), "");
  keel_plugin_buffer_t* buffer = allocate(8);
  const uint64_t zero = 0;
  const uint64_t one = 1;
  ASSERT_EQ(expect_ok(api().buffer_write(buffer, 0, &zero, 8)), "");

  ASSERT_EQ(expect_ok(api().event_fail(event_, KEEL_STATUS_DEVICE_LOST, "upstream died")), "");
  EXPECT_EQ(expect_ok(api().queue_wait(queue_, event_, 1)), "");            // reported at synchronize, not here
  EXPECT_EQ(expect_ok(api().queue_write(queue_, buffer, 0, &one, 8)), "");  // skipped: depends on the wait
  int calls = 0;
  EXPECT_EQ(expect_ok(api().queue_host_callback(
                queue_, [](void* data) { ++*static_cast<int*>(data); }, &calls)),
            "");
  EXPECT_EQ(calls, 1) << "host callbacks still run so nobody waits on them forever";
  EXPECT_EQ(code(api().queue_fill(queue_, buffer, 0, 8, &one, 3)), KEEL_STATUS_INVALID_ARGUMENT)
      << "argument errors are still immediate";
  EXPECT_EQ(expect_ok(api().queue_signal(queue_, later, 1)), "");

  uint64_t value = 0;
  std::string message;
  EXPECT_EQ(code(api().event_query(later, &value), &message), KEEL_STATUS_DEVICE_LOST);
  EXPECT_EQ(message, "upstream died");
  uint64_t stored = 9;
  ASSERT_EQ(expect_ok(api().buffer_read(buffer, 0, &stored, 8)), "");
  EXPECT_EQ(stored, 0u);

  EXPECT_EQ(code(api().queue_synchronize(queue_), &message), KEEL_STATUS_DEVICE_LOST);
  EXPECT_EQ(message, "upstream died");
  EXPECT_EQ(expect_ok(api().queue_synchronize(queue_)), "") << "the error is returned once";
  EXPECT_EQ(expect_ok(api().queue_write(queue_, buffer, 0, &one, 8)), "");
  ASSERT_EQ(expect_ok(api().buffer_read(buffer, 0, &stored, 8)), "");
  EXPECT_EQ(stored, 1u);
  api().buffer_release(buffer);
  api().event_release(later);
}

TEST_F(Queues, KernelsOnAPoisonedQueueAreSkipped) {
  void* host = nullptr;
  keel_plugin_buffer_t* buffer = allocate(4, 0, KEEL_ALLOCATE_ZERO_INIT, &host);
  ASSERT_EQ(expect_ok(api().event_fail(event_, KEEL_STATUS_INTERNAL, "boom")), "");
  ASSERT_EQ(expect_ok(api().queue_wait(queue_, event_, 1)), "");
  keel_tensor_desc_t y{};
  y.dtype = KEEL_DTYPE_F32;
  y.buffer = buffer;
  y.data = host;
  keel_kernel_call_t call{};  // full with its default attributes: a 0-D f32 zero
  call.struct_size = sizeof call;
  call.device = device_;
  call.op_name = "full";
  call.op_version = 1;
  call.outputs = &y;
  call.output_count = 1;
  const RegisteredKernel& full = plugin_.kernel("full");
  const float sentinel = 5.0f;
  std::memcpy(host, &sentinel, sizeof sentinel);
  EXPECT_EQ(expect_ok(full.registration.api->compute(full.registration.kernel_ctx, nullptr, queue_, &call)), "");
  EXPECT_EQ(std::memcmp(host, &sentinel, sizeof sentinel), 0) << "the kernel was skipped";
  EXPECT_EQ(code(api().queue_synchronize(queue_)), KEEL_STATUS_INTERNAL);
  api().buffer_release(buffer);
}

// ---- Events -------------------------------------------------------------------------------------------------

TEST_F(Queues, EventsNeverGoBack) {
  ASSERT_EQ(expect_ok(api().event_signal(event_, 10)), "");
  ASSERT_EQ(expect_ok(api().event_signal(event_, 10)), "");
  std::string message;
  EXPECT_EQ(code(api().event_signal(event_, 9), &message), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("10"), std::string::npos) << message;
  EXPECT_EQ(code(api().queue_signal(queue_, event_, 2)), KEEL_STATUS_INVALID_ARGUMENT);
  uint64_t value = 0;
  ASSERT_EQ(expect_ok(api().event_query(event_, &value)), "");
  EXPECT_EQ(value, 10u);
}

TEST_F(Queues, HostWaitTimesOutOrIsWoken) {
  uint8_t reached = 9;
  const auto start = std::chrono::steady_clock::now();
  ASSERT_EQ(expect_ok(api().event_host_wait(event_, 1, 2'000'000, &reached)), "");
  EXPECT_EQ(reached, 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_EQ(expect_ok(api().event_host_wait(event_, 0, 0, &reached)), "");
  EXPECT_EQ(reached, 1);
  std::thread signaller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    EXPECT_EQ(expect_ok(api().event_signal(event_, 7)), "");
  });
  ASSERT_EQ(expect_ok(api().event_host_wait(event_, 7, KEEL_WAIT_INFINITE, &reached)), "");
  EXPECT_EQ(reached, 1);
  signaller.join();
  EXPECT_EQ(code(api().event_host_wait(event_, 7, 0, nullptr)), KEEL_STATUS_INVALID_ARGUMENT);
}

TEST_F(Queues, FailedEventsReportTheirErrorEveryTime) {
  std::thread waiter([&] {
    uint8_t reached = 9;
    std::string message;
    EXPECT_EQ(code(api().event_host_wait(event_, 100, KEEL_WAIT_INFINITE, &reached), &message), KEEL_STATUS_DATA_LOSS);
    EXPECT_EQ(reached, 0);
    EXPECT_EQ(message, "lost it");
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(20));
  ASSERT_EQ(expect_ok(api().event_fail(event_, KEEL_STATUS_DATA_LOSS, "lost it")), "");
  waiter.join();
  for (int i = 0; i < 2; ++i) {
    uint64_t value = 0;
    std::string message;
    EXPECT_EQ(code(api().event_query(event_, &value), &message), KEEL_STATUS_DATA_LOSS);
    EXPECT_EQ(message, "lost it");
  }
  // The first failure wins; signalling a failed event reports it.
  ASSERT_EQ(expect_ok(api().event_fail(event_, KEEL_STATUS_CANCELLED, "later")), "");
  std::string message;
  EXPECT_EQ(code(api().event_signal(event_, 1), &message), KEEL_STATUS_DATA_LOSS);
  EXPECT_EQ(message, "lost it");
}

TEST_F(Queues, FailNeedsAnErrorCode) {
  EXPECT_EQ(code(api().event_fail(event_, KEEL_STATUS_OK, "fine")), KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_EQ(code(api().event_fail(event_, 999, "what")), KEEL_STATUS_INVALID_ARGUMENT);
  uint64_t value = 1;
  EXPECT_EQ(expect_ok(api().event_query(event_, &value)), "");
  EXPECT_EQ(value, 0u);
}

}  // namespace
}  // namespace keel::reference_test
