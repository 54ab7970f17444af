// Non-temporal (streaming) stores for results much larger than the caches.
#pragma once

#include <cstddef>
#include <cstdint>

namespace keel::onednn {

// A contiguous output run at least this large is written with streaming stores.
inline constexpr int64_t kStreamMinBytes = int64_t{4} << 20;
// Results are staged in chunks of this size (a fraction of L1).
inline constexpr int64_t kStreamChunkBytes = 4096;

// Copies `bytes` from `src` (cache-resident) to `dst` bypassing the caches where the ISA allows it.
void stream_copy(void* dst, const void* src, size_t bytes);
// Orders the streaming stores before anything that follows (call once after a series of stream_copy).
void stream_fence();

}  // namespace keel::onednn
