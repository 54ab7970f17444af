// Temporary, 64-byte aligned host memory for packing operands or holding a result before it is written to
// its strided destination.
#pragma once

#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>

namespace keel::onednn {

class Scratch {
 public:
  Scratch() = default;
  explicit Scratch(size_t bytes) {
    if (bytes == 0) return;
    void* memory = nullptr;
    if (posix_memalign(&memory, 64, bytes) != 0) throw std::bad_alloc();
    memory_.reset(static_cast<std::byte*>(memory));
  }
  std::byte* data() const { return memory_.get(); }

 private:
  struct Free {
    void operator()(std::byte* memory) const { std::free(memory); }
  };
  std::unique_ptr<std::byte, Free> memory_;
};

// Scratch memory that stays with the calling thread between calls: slot `slot` of this thread, grown to at
// least `bytes`. Kernels run synchronously on the thread that calls compute, so a kernel may use its slots
// for the duration of one call. Reusing the memory matters for large temporaries (oneDNN's blocked layouts,
// packed operands): fresh pages would be faulted in on every call. Held until the thread exits.
std::byte* thread_scratch(int slot, size_t bytes);

}  // namespace keel::onednn
