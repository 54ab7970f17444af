// Other CPUs: ordinary copies (the result is the same; only the cache behaviour differs).
#include <cstring>

#include "streaming.h"

namespace keel::onednn {

void stream_copy(void* dst, const void* src, size_t bytes) { std::memcpy(dst, src, bytes); }

void stream_fence() {}

}  // namespace keel::onednn
