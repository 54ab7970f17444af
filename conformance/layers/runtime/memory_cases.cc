#include "layers/runtime/memory_cases.h"

#include <cstring>
#include <vector>

#include "layers/check.h"
#include "layers/runtime/byte_patterns.h"
#include "layers/runtime/device_memory.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

CaseResult run_spaces(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const keel_device_properties_t props = device.properties();
  for (uint32_t space = 0; space < props.memory_space_count; ++space) {
    const keel_memory_space_properties_t info = device.memory_space(space);
    const OwnedBuffer buffer = allocate_or_fail(device, 256, space, 0);
    const void* host = keel_buffer_host_pointer(buffer.get());
    require(info.host_accessible == (host != nullptr ? 1 : 0),
            "memory space " + std::to_string(space) + " says host_accessible=" + std::to_string(info.host_accessible) +
                " but its buffers " + (host ? "have" : "lack") + " a host pointer");
    if (host != nullptr && info.min_alignment > 0) {
      require(reinterpret_cast<uintptr_t>(host) % info.min_alignment == 0,
              "a buffer of memory space " + std::to_string(space) + " is not aligned to its min_alignment");
    }
  }
  return passed();
}

CaseResult run_alloc_zero(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const OwnedBuffer first = allocate_or_fail(device, 0, 0, 0);
  const OwnedBuffer second = allocate_or_fail(device, 0, 0, 0);
  require(first.get() != second.get(), "two 0-byte buffers are the same handle");
  require(keel_buffer_size(first.get()) == 0, "a 0-byte buffer reports a non-zero size");
  char byte = 0;
  require_ok(keel_buffer_write(first.get(), 0, &byte, 0), "a 0-byte write to a 0-byte buffer");
  require_ok(keel_buffer_read(first.get(), 0, &byte, 0), "a 0-byte read from a 0-byte buffer");
  require_ok(keel_buffer_copy(first.get(), 0, second.get(), 0, 0), "a 0-byte copy between 0-byte buffers");
  require_code(keel_buffer_write(first.get(), 0, &byte, 1), KEEL_STATUS_OUT_OF_RANGE, "a 1-byte write to a 0-byte buffer");
  return passed();
}

CaseResult run_alloc_impossible(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const keel_memory_stats_t before = device.memory_stats(0);
  std::vector<uint64_t> sizes = {UINT64_MAX, uint64_t{1} << 63, uint64_t{1} << 62};
  if (before.bytes_limit > 0 && before.bytes_limit < (uint64_t{1} << 62)) sizes.push_back(before.bytes_limit + 1);
  for (uint64_t size : sizes) {
    keel_buffer_allocate_args_t args{};
    args.struct_size = sizeof(args);
    args.size = size;
    keel_buffer_t* buffer = nullptr;
    StatusHolder status(keel_buffer_allocate(device.get(), &args, &buffer));
    if (status.ok()) keel_buffer_release(buffer);
    require(status.code() == KEEL_STATUS_RESOURCE_EXHAUSTED,
            "allocating " + std::to_string(size) + " bytes returned " + status.text() + ", expected RESOURCE_EXHAUSTED");
  }
  const keel_memory_stats_t after = device.memory_stats(0);
  require(after.bytes_in_use == before.bytes_in_use && after.allocation_count == before.allocation_count,
          "failed allocations changed bytes_in_use or allocation_count");
  return passed();
}

CaseResult run_alloc_alignment(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  for (uint64_t alignment : {uint64_t{64}, uint64_t{256}, uint64_t{4096}}) {
    const OwnedBuffer buffer = allocate_or_fail(device, 100, 0, 0, alignment);
    if (const void* host = keel_buffer_host_pointer(buffer.get())) {
      require(reinterpret_cast<uintptr_t>(host) % alignment == 0,
              "a buffer allocated with alignment " + std::to_string(alignment) + " is not aligned");
    }
  }
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof(args);
  args.size = 64;
  args.alignment = 48;
  keel_buffer_t* buffer = nullptr;
  StatusHolder status(keel_buffer_allocate(device.get(), &args, &buffer));
  if (status.ok()) keel_buffer_release(buffer);
  require(!status.ok(), "an alignment of 48 (not a power of two) was accepted");
  return passed();
}

CaseResult run_zero_init(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  for (int round = 0; round < 4; ++round) {
    // Dirty memory first so a recycled block would show.
    {
      const OwnedBuffer dirty = allocate_or_fail(device, 4099, 0, 0);
      const std::vector<uint8_t> junk(4099, 0xEE);
      require_ok(keel_buffer_write(dirty.get(), 0, junk.data(), junk.size()), "buffer_write");
    }
    const OwnedBuffer buffer = allocate_or_fail(device, 4099, 0, KEEL_ALLOCATE_ZERO_INIT);
    const std::vector<uint8_t> bytes = read_all(buffer);
    for (size_t i = 0; i < bytes.size(); ++i) {
      require(bytes[i] == 0, "a ZERO_INIT buffer has byte " + std::to_string(i) + " = " + std::to_string(bytes[i]));
    }
  }
  return passed();
}

CaseResult run_write_read(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const std::vector<uint8_t> data = tricky_bytes(4096 + 13, 1);
  const OwnedBuffer buffer = allocate_or_fail(device, data.size(), 0, 0);
  require_ok(keel_buffer_write(buffer.get(), 0, data.data(), data.size()), "buffer_write");
  require_same_bytes(read_all(buffer), data, "a whole-buffer write then read");
  // Partial writes at odd offsets and sizes leave the rest alone.
  std::vector<uint8_t> expected = data;
  const std::vector<uint8_t> patch = tricky_bytes(333, 2);
  for (uint64_t offset : {uint64_t{1}, uint64_t{7}, uint64_t{2049}}) {
    require_ok(keel_buffer_write(buffer.get(), offset, patch.data(), patch.size()), "a partial buffer_write");
    std::memcpy(expected.data() + offset, patch.data(), patch.size());
  }
  require_same_bytes(read_all(buffer), expected, "partial writes at offsets 1, 7 and 2049");
  std::vector<uint8_t> middle(501);
  require_ok(keel_buffer_read(buffer.get(), 3, middle.data(), middle.size()), "a partial buffer_read");
  require_same_bytes(middle, std::vector<uint8_t>(expected.begin() + 3, expected.begin() + 504), "a read at offset 3");
  return passed();
}

CaseResult run_buffer_copy(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const std::vector<uint8_t> data = tricky_bytes(3001, 3);
  const OwnedBuffer source = allocate_or_fail(device, data.size(), 0, 0);
  const OwnedBuffer target = allocate_or_fail(device, data.size() + 17, 0, 0);
  require_ok(keel_buffer_write(source.get(), 0, data.data(), data.size()), "buffer_write");
  std::vector<uint8_t> expected(data.size() + 17, 0x5A);
  require_ok(keel_buffer_write(target.get(), 0, expected.data(), expected.size()), "buffer_write");
  require_ok(keel_buffer_copy(source.get(), 0, target.get(), 17, data.size()), "buffer_copy to offset 17");
  std::memcpy(expected.data() + 17, data.data(), data.size());
  require_same_bytes(read_all(target), expected, "buffer_copy");
  require_ok(keel_buffer_copy(source.get(), 5, target.get(), 0, 11), "buffer_copy of 11 bytes from offset 5");
  std::memcpy(expected.data(), data.data() + 5, 11);
  require_same_bytes(read_all(target), expected, "a short buffer_copy");
  return passed();
}

CaseResult run_queue_copies(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const std::vector<uint8_t> data = tricky_bytes(8192 + 5, 4);
  const OwnedBuffer first = allocate_or_fail(device, data.size(), 0, 0);
  const OwnedBuffer second = allocate_or_fail(device, data.size(), 0, 0);
  Queue queue = Queue::create(device);
  std::vector<uint8_t> back(data.size(), 0);
  require_ok(keel_queue_write(queue.get(), first.get(), 0, data.data(), data.size()), "queue_write");
  require_ok(keel_queue_copy(queue.get(), first.get(), 0, second.get(), 0, data.size()), "queue_copy");
  require_ok(keel_queue_read(queue.get(), second.get(), 0, back.data(), back.size()), "queue_read");
  require_ok(keel_queue_synchronize(queue.get()), "queue_synchronize");
  require_same_bytes(back, data, "queue_write, queue_copy, queue_read");
  return passed();
}

CaseResult run_fill(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const OwnedBuffer buffer = allocate_or_fail(device, 1024, 0, 0);
  std::vector<uint8_t> expected(1024, 0x11);
  require_ok(keel_buffer_write(buffer.get(), 0, expected.data(), expected.size()), "buffer_write");
  Queue queue = Queue::create(device);
  const uint8_t pattern[8] = {0x00, 0x00, 0xc0, 0x7f, 0x01, 0x00, 0x00, 0x80};  // f32 NaN, then -tiny
  uint64_t offset = 3;
  for (uint32_t size : {1u, 2u, 4u, 8u}) {
    require_ok(keel_queue_fill(queue.get(), buffer.get(), offset, 8u * size, pattern, size),
               "queue_fill with a " + std::to_string(size) + "-byte pattern");
    for (uint32_t i = 0; i < 8u * size; ++i) expected[offset + i] = pattern[i % size];
    offset += 8u * size + 5;
  }
  require_ok(keel_queue_synchronize(queue.get()), "queue_synchronize");
  require_same_bytes(read_all(buffer), expected, "fills with 1, 2, 4 and 8-byte patterns at odd offsets");
  require_code(keel_queue_fill(queue.get(), buffer.get(), 0, 9, pattern, 3), KEEL_STATUS_INVALID_ARGUMENT,
               "queue_fill with a 3-byte pattern");
  require_code(keel_queue_fill(queue.get(), buffer.get(), 0, 6, pattern, 4), KEEL_STATUS_INVALID_ARGUMENT,
               "queue_fill of 6 bytes with a 4-byte pattern");
  return passed();
}

CaseResult run_out_of_range(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const OwnedBuffer buffer = allocate_or_fail(device, 100, 0, 0);
  const OwnedBuffer other = allocate_or_fail(device, 100, 0, 0);
  std::vector<uint8_t> bytes(101);
  require_code(keel_buffer_write(buffer.get(), 0, bytes.data(), 101), KEEL_STATUS_OUT_OF_RANGE, "a write past the end");
  require_code(keel_buffer_read(buffer.get(), 99, bytes.data(), 2), KEEL_STATUS_OUT_OF_RANGE, "a read past the end");
  require_code(keel_buffer_write(buffer.get(), UINT64_MAX, bytes.data(), 2), KEEL_STATUS_OUT_OF_RANGE,
               "a write at an offset that overflows");
  require_code(keel_buffer_copy(buffer.get(), 50, other.get(), 0, 51), KEEL_STATUS_OUT_OF_RANGE, "a copy past the end");
  Queue queue = Queue::create(device);
  require_code(keel_queue_read(queue.get(), buffer.get(), 100, bytes.data(), 1), KEEL_STATUS_OUT_OF_RANGE,
               "a queue_read past the end");
  require_ok(keel_queue_synchronize(queue.get()), "queue_synchronize after rejected calls");
  return passed();
}

CaseResult run_stats(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const keel_memory_stats_t before = device.memory_stats(0);
  require(before.peak_bytes_in_use >= before.bytes_in_use, "peak_bytes_in_use is below bytes_in_use");
  const uint64_t sizes[] = {1000, 4096, 1 << 20};
  std::vector<OwnedBuffer> buffers;
  for (uint64_t size : sizes) buffers.push_back(allocate_or_fail(device, size, 0, 0));
  const keel_memory_stats_t during = device.memory_stats(0);
  const uint64_t added = 1000 + 4096 + (1 << 20);
  require(during.bytes_in_use == before.bytes_in_use + added,
          "bytes_in_use grew by " + std::to_string(during.bytes_in_use - before.bytes_in_use) + " for " +
              std::to_string(added) + " requested bytes");
  require(during.allocation_count == before.allocation_count + 3,
          "allocation_count grew by " + std::to_string(during.allocation_count - before.allocation_count) + " for 3 buffers");
  require(during.peak_bytes_in_use >= during.bytes_in_use, "peak_bytes_in_use is below bytes_in_use");
  require(during.bytes_limit == 0 || during.bytes_limit >= during.bytes_in_use, "bytes_in_use exceeds bytes_limit");
  buffers.pop_back();
  require_ok(keel_device_memory_reset_peak(device.get(), 0), "memory_reset_peak");
  const keel_memory_stats_t reset = device.memory_stats(0);
  require(reset.peak_bytes_in_use == reset.bytes_in_use,
          "after reset_peak, peak_bytes_in_use (" + std::to_string(reset.peak_bytes_in_use) + ") != bytes_in_use (" +
              std::to_string(reset.bytes_in_use) + ")");
  return passed();
}

CaseResult run_leak(WorkerContext& context, const CaseSpec&) {
  const Device device = context.dut();
  const keel_memory_stats_t before = device.memory_stats(0);
  for (int round = 0; round < 64; ++round) {
    const OwnedBuffer buffer = allocate_or_fail(device, static_cast<uint64_t>(round) * 129 + 1, 0, 0);
  }
  const keel_memory_stats_t after = device.memory_stats(0);
  require(after.bytes_in_use == before.bytes_in_use && after.allocation_count == before.allocation_count,
          "after 64 allocate/release rounds bytes_in_use went " + std::to_string(before.bytes_in_use) + " -> " +
              std::to_string(after.bytes_in_use) + " and allocation_count " + std::to_string(before.allocation_count) +
              " -> " + std::to_string(after.allocation_count) + " (a leak)");
  return passed();
}

void add(std::vector<CaseSpec>& cases, const char* id, CaseRunner run, const char* description) {
  CaseSpec spec;
  spec.id = id;
  spec.layer = Layer::kMemory;
  spec.profile = Profile::kBase;
  spec.quick = true;
  spec.run = run;
  spec.description = description;
  cases.push_back(std::move(spec));
}

}  // namespace

void add_memory_cases(std::vector<CaseSpec>& cases) {
  add(cases, "memory.spaces", run_spaces, "memory spaces: host pointers and alignment match their properties");
  add(cases, "memory.alloc_zero", run_alloc_zero, "0-byte buffers are distinct and usable");
  add(cases, "memory.alloc_impossible", run_alloc_impossible, "impossible sizes return RESOURCE_EXHAUSTED");
  add(cases, "memory.alloc_alignment", run_alloc_alignment, "requested alignments are honoured, bad ones refused");
  add(cases, "memory.zero_init", run_zero_init, "KEEL_ALLOCATE_ZERO_INIT gives zero bytes");
  add(cases, "memory.write_read", run_write_read, "buffer_write/read keep NaN payloads, -0.0 and subnormals");
  add(cases, "memory.buffer_copy", run_buffer_copy, "buffer_copy is bit exact at odd offsets");
  add(cases, "memory.queue_copies", run_queue_copies, "queue_write, queue_copy and queue_read are bit exact");
  add(cases, "memory.fill", run_fill, "queue_fill with 1, 2, 4 and 8-byte patterns; bad patterns refused");
  add(cases, "memory.out_of_range", run_out_of_range, "ranges outside a buffer return OUT_OF_RANGE");
  add(cases, "memory.stats", run_stats, "memory statistics follow allocations exactly");
  add(cases, "memory.leak", run_leak, "released buffers leave the statistics where they were");
}

}  // namespace keel::conform
