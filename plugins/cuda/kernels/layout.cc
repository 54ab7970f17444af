#include "kernels/layout.h"

#include <algorithm>

#include "gpu/numeric.h"
#include "runtime/memory.h"

namespace keel::cuda {

void broadcast_strides(const Tensor& in, uint32_t rank, const int64_t* shape, int64_t* out_strides) {
  const uint32_t skip = rank - in.rank;
  for (uint32_t d = 0; d < rank; ++d) {
    if (d < skip) {
      out_strides[d] = 0;
      continue;
    }
    const uint32_t k = d - skip;
    out_strides[d] = in.shape[k] == 1 && shape[d] != 1 ? 0 : in.strides[k];
  }
}

int simplify(int rank, int64_t* dims, int64_t* const* strides, int count) {
  // Dimensions of size 1 contribute nothing.
  int kept = 0;
  for (int d = 0; d < rank; ++d) {
    if (dims[d] == 1) continue;
    dims[kept] = dims[d];
    for (int k = 0; k < count; ++k) strides[k][kept] = strides[k][d];
    ++kept;
  }
  if (kept == 0) {  // a single element: one dimension of size 1
    dims[0] = 1;
    for (int k = 0; k < count; ++k) strides[k][0] = 0;
    return 1;
  }
  // Merge d into d + 1 when every operand steps over d exactly as far as over all of d + 1.
  int merged = 0;
  for (int d = 1; d < kept; ++d) {
    bool contiguous = true;
    for (int k = 0; k < count && contiguous; ++k) contiguous = strides[k][merged] == strides[k][d] * dims[d];
    if (contiguous) {
      dims[merged] *= dims[d];
      for (int k = 0; k < count; ++k) strides[k][merged] = strides[k][d];
    } else {
      ++merged;
      dims[merged] = dims[d];
      for (int k = 0; k < count; ++k) strides[k][merged] = strides[k][d];
    }
  }
  return merged + 1;
}

gpu::MapArgs map_args(const Tensor& out, std::initializer_list<const Tensor*> inputs) {
  gpu::MapArgs args;
  args.count = out.count();
  args.out.base = out.base;
  int64_t* strides[1 + gpu::kMaxMapInputs] = {args.out.strides};
  const int64_t element = static_cast<int64_t>(out.element_size);
  for (uint32_t d = 0; d < out.rank; ++d) {
    args.dims[d] = out.shape[d];
    args.out.strides[d] = out.strides[d] * element;
  }
  int count = 1;
  for (const Tensor* in : inputs) {
    gpu::Operand& operand = args.in[count - 1];
    operand.base = in->base;
    broadcast_strides(*in, out.rank, out.shape, operand.strides);
    for (uint32_t d = 0; d < out.rank; ++d) operand.strides[d] *= static_cast<int64_t>(in->element_size);
    strides[count++] = operand.strides;
  }
  args.rank = simplify(static_cast<int>(out.rank), args.dims, strides, count);
  return args;
}

gpu::CopyArgs copy_args(const Tensor& src, const Tensor& dst) {
  gpu::CopyArgs args;
  args.count = dst.count();
  args.src.base = src.base;
  args.dst.base = dst.base;
  const auto side = [](const Tensor& tensor, int64_t* dims, int64_t* strides) {
    for (uint32_t d = 0; d < tensor.rank; ++d) {
      dims[d] = tensor.shape[d];
      strides[d] = tensor.strides[d] * static_cast<int64_t>(tensor.element_size);
    }
    int64_t* list[1] = {strides};
    return simplify(static_cast<int>(tensor.rank), dims, list, 1);
  };
  args.src_rank = side(src, args.src_dims, args.src.strides);
  args.dst_rank = side(dst, args.dst_dims, args.dst.strides);
  return args;
}

bool output_hazard(const Tensor& out, std::span<const Tensor> inputs, bool pointwise) {
  if (out.empty() || out.buffer == nullptr) return false;
  int64_t out_first = 0, out_end = 0;
  out.byte_span(&out_first, &out_end);
  for (const Tensor& in : inputs) {
    if (in.absent || in.buffer != out.buffer || in.empty()) continue;
    int64_t in_first = 0, in_end = 0;
    in.byte_span(&in_first, &in_end);
    if (in_end <= out_first || out_end <= in_first) continue;  // disjoint bytes
    if (!pointwise || in.element_size != out.element_size || in.base != out.base) return true;
    int64_t strides[KEEL_MAX_RANK] = {};
    broadcast_strides(in, out.rank, out.shape, strides);
    for (uint32_t d = 0; d < out.rank; ++d) {
      if (out.shape[d] > 1 && strides[d] != out.strides[d]) return true;
    }
  }
  return false;
}

uint64_t bits_of_value(keel_dtype_t dtype, double value) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return convert<Bool>(value).value;
    case KEEL_DTYPE_I32: return static_cast<uint32_t>(convert<int32_t>(value));
    case KEEL_DTYPE_I64: return static_cast<uint64_t>(convert<int64_t>(value));
    case KEEL_DTYPE_F16: return convert<Half>(value).bits;
    case KEEL_DTYPE_BF16: return convert<BFloat16>(value).bits;
    case KEEL_DTYPE_F32: return bits_of(convert<float>(value));
    case KEEL_DTYPE_F64: return bits_of(value);
    default: fail(KEEL_STATUS_UNIMPLEMENTED, "no ", dtype_name(dtype), " values");
  }
}

Tensor dense_scratch(Launch& launch, const Tensor& like) {
  Tensor dense = like;
  int64_t stride = 1;
  for (uint32_t d = like.rank; d-- > 0;) {
    dense.strides[d] = stride;
    stride *= std::max<int64_t>(like.shape[d], 1);
  }
  dense.buffer = nullptr;  // scratch memory belongs to no buffer
  dense.base = launch.scratch(static_cast<uint64_t>(like.count()) * like.element_size);
  return dense;
}

void copy_tensor(Launch& launch, const Tensor& src, const Tensor& dst) {
  launch.check(gpu::launch_copy(dst.element_size, copy_args(src, dst), launch.stream()), "copy kernel");
}

}  // namespace keel::cuda
