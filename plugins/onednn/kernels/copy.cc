#include "copy.h"

#include <cstring>

#include "elementwise.h"
#include "tensor.h"

namespace keel::onednn {
namespace {

template <class Word>
void copy_words(const LoopPlan& plan, std::byte* dst, const std::byte* src) {
  auto* to = reinterpret_cast<Word*>(dst);
  const auto* from = reinterpret_cast<const Word*>(src);
  const int64_t so = plan.inner_stride(0);
  const int64_t si = plan.inner_stride(1);
  for_each_run(plan, [&](const int64_t* offsets, int64_t n) {
    Word* o = to + offsets[0];
    const Word* x = from + offsets[1];
    if (so == 1 && si == 1) {
      std::memmove(o, x, static_cast<size_t>(n) * sizeof(Word));
    } else if (so == 1 && si == 0) {
      const Word value = x[0];
      for (int64_t i = 0; i < n; ++i) o[i] = value;
    } else {
      for (int64_t i = 0; i < n; ++i) o[i * so] = x[i * si];
    }
  });
}

}  // namespace

void copy_planned(const LoopPlan& plan, size_t element_size, std::byte* dst, const std::byte* src) {
  // Copying words of the element's size moves the bits unchanged for every dtype.
  switch (element_size) {
    case 1: copy_words<uint8_t>(plan, dst, src); break;
    case 2: copy_words<uint16_t>(plan, dst, src); break;
    case 4: copy_words<uint32_t>(plan, dst, src); break;
    case 8: copy_words<uint64_t>(plan, dst, src); break;
    default: fail(KEEL_STATUS_INTERNAL, "no copy for elements of ", element_size, " bytes");
  }
}

void fill_zero_bits(const keel_tensor_desc_t& dst) {
  const uint64_t zero = 0;
  keel_tensor_desc_t source{};  // a 0-D tensor that broadcasts to every element
  source.dtype = dst.dtype;
  source.rank = 0;
  source.data = const_cast<uint64_t*>(&zero);
  copy_tensor(dst, source);
}

void copy_tensor(const keel_tensor_desc_t& dst, const keel_tensor_desc_t& src) {
  const LoopPlan plan = plan_loop(dst, {&src});
  if (plan.count == 0) return;
  copy_planned(plan, dtype_size(dst.dtype), data_of(dst), data_of(src));
}

}  // namespace keel::onednn
