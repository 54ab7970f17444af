// gather gather_elements gather_nd one_hot (ir_spec/ops/indexing.yaml): one work-item per output element reads its
// index, then copies the addressed element (or writes on/off values) bit for bit.
#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "device.h"
#include "keel/keel_ops.h"
#include "kernels/attrs.h"
#include "kernels/call.h"
#include "kernels/cl_sources.h"
#include "kernels/dtype.h"
#include "kernels/launch.h"
#include "kernels/ops.h"
#include "kernels/programs.h"

namespace keel::opencl {
namespace {

std::string suffix(size_t element_size, keel_dtype_t index) {
  return concat(cl_bits_type(element_size), "_", dtype_name(index));
}

void require_index_dtype(const View& indices) {
  if (indices.dtype != KEEL_DTYPE_I32 && indices.dtype != KEEL_DTYPE_I64) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is ", dtype_name(indices.dtype), ", not i32 or i64");
  }
}

Kernel& index_kernel(Device& device, const char* name, size_t element_size, keel_dtype_t index) {
  Program& program = device.programs().get(gather_program(element_size, index));
  return program.kernel(concat(name, "_", suffix(element_size, index)));
}

// Mirrors keel_tuple_args of kernels/cl/gather.cl.
struct ClTupleArgs {
  int64_t k = 0;
  int64_t tuple_stride = 0;
  int64_t size[kMaxRank] = {};
  int64_t stride[kMaxRank] = {};
};
static_assert(sizeof(ClTupleArgs) == 8 * (2 + 2 * kMaxRank));

// The element bit pattern `bits` as a kernel argument of the element's size.
void add_bits(KernelArgs& args, size_t element_size, uint64_t bits) {
  switch (element_size) {
    case 1: args.value(static_cast<cl_uchar>(bits)); break;
    case 2: args.value(static_cast<cl_ushort>(bits)); break;
    case 4: args.value(static_cast<cl_uint>(bits)); break;
    default: args.value(static_cast<cl_ulong>(bits)); break;
  }
}

// One launch over a layout of the output (tensor 0) and the inputs in order, then `longs` and `bits` (elements
// of the output's size) as trailing arguments.
class IndexPlan final : public Plan {
 public:
  IndexPlan(Kernel& kernel, ClLayout layout, std::vector<int64_t> longs, std::vector<uint64_t> bits,
            size_t element_size, std::optional<ClTupleArgs> tuple = std::nullopt)
      : kernel_(kernel),
        layout_(layout),
        longs_(std::move(longs)),
        bits_(std::move(bits)),
        element_size_(element_size),
        tuple_(tuple) {
    range_ = linear_range(static_cast<uint64_t>(layout_.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    const keel_tensor_desc_t& y = output_desc(call, 0);
    ClLayout layout = layout_;
    KernelArgs args;
    args.mem(buffer_of(y));
    layout.offset[0] = element_offset(y);
    for (size_t i = 0; i < call.input_count; ++i) {
      const keel_tensor_desc_t& input = input_desc(call, i);
      args.mem(buffer_of(input));
      layout.offset[i + 1] = element_offset(input);
    }
    args.value(layout);
    for (const int64_t value : longs_) args.value<cl_long>(value);
    for (const uint64_t value : bits_) add_bits(args, element_size_, value);
    if (tuple_) args.value(*tuple_);
    submit(queue, kernel_, std::move(args), range_);
  }

 private:
  Kernel& kernel_;
  ClLayout layout_;
  std::vector<int64_t> longs_;
  std::vector<uint64_t> bits_;
  size_t element_size_;
  std::optional<ClTupleArgs> tuple_;
  Range range_;
};

}  // namespace

ProgramSpec gather_program(size_t element_size, keel_dtype_t index) {
  return {concat("gather/", suffix(element_size, index)), [element_size, index](const DeviceInfo& /*device*/) {
            std::string source(cl_sources::common);
            source += concat("#define KEEL_BITS ", cl_bits_type(element_size), "\n#define KEEL_INDEX ", cl_type(index),
                             "\n#define KEEL_NAME(x) x##_", suffix(element_size, index), "\n");
            source += cl_sources::gather;
            return source;
          }};
}

// gather: y's axes are x's before `axis`, the indices' axes, then x's after `axis`. gather_elements: y has the
// indices' shape, and x is read at the same coordinates but along `axis`. Either way x is seen with the
// indexed axis at stride 0 and the index supplies the position along it.
std::unique_ptr<Plan> plan_gather(Device& device, const keel_kernel_call_t& call) {
  static_assert(sizeof(keel_gather_attrs_t) == sizeof(keel_gather_elements_attrs_t));
  constexpr keel_gather_attrs_t kDefaults = KEEL_GATHER_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_gather_attrs_t::axis);
  const bool elements = std::string_view(call.op_name) == "gather_elements";
  const View x = view_of(input_desc(call, 0));
  const View indices = view_of(input_desc(call, 1));
  const View y = view_of(output_desc(call, 0));
  require_index_dtype(indices);
  if (y.dtype != x.dtype)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not x's ", dtype_name(x.dtype));
  const uint32_t axis = normalize_axis(attrs.axis, x.rank, "axis");
  View x_seen, index_seen;
  x_seen.dtype = x.dtype;
  index_seen.dtype = indices.dtype;
  std::array<int64_t, kMaxRank> expected{};
  uint32_t rank = 0;
  if (elements) {
    if (indices.rank != x.rank)
      fail(KEEL_STATUS_INVALID_ARGUMENT, "indices has rank ", indices.rank, ", not x's ", x.rank);
    for (uint32_t k = 0; k < x.rank; ++k) {
      if (k != axis && indices.shape[k] > x.shape[k]) {
        fail(KEEL_STATUS_INVALID_ARGUMENT, "indices is longer than x along axis ", k);
      }
      expected[k] = indices.shape[k];
    }
    rank = x.rank;
    x_seen.rank = index_seen.rank = rank;
    x_seen.shape = index_seen.shape = indices.shape;
    x_seen.strides = x.strides;
    x_seen.strides[axis] = 0;
    index_seen.strides = indices.strides;
  } else {
    if (x.rank - 1 + indices.rank > kMaxRank) fail(KEEL_STATUS_INVALID_ARGUMENT, "the output rank is above ", kMaxRank);
    for (uint32_t k = 0; k < x.rank; ++k) {
      if (k == axis) {
        for (uint32_t j = 0; j < indices.rank; ++j) {
          expected[rank] = indices.shape[j];
          x_seen.strides[rank] = 0;
          index_seen.strides[rank++] = indices.strides[j];
        }
        continue;
      }
      expected[rank] = x.shape[k];
      x_seen.strides[rank] = x.strides[k];
      index_seen.strides[rank++] = 0;
    }
    x_seen.rank = index_seen.rank = rank;
    x_seen.shape = index_seen.shape = expected;
  }
  require_shape(y, rank, expected.data(), "output y");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  if (x.shape[axis] == 0) return make_fill_plan(device, y, 0);  // every index is out of range
  const View views[] = {y, x_seen, index_seen};
  const size_t size = dtype_size(x.dtype);
  return std::make_unique<IndexPlan>(index_kernel(device, "keel_gather", size, indices.dtype), joint_layout(views),
                                     std::vector<int64_t>{x.strides[axis], x.shape[axis]}, std::vector<uint64_t>{},
                                     size);
}

// y's axes are indices' but the last, then x's after the b + k addressed ones. x is seen with its batch and
// trailing axes at y's positions (the addressed axes come from the tuple), the indices with their tuple axis
// dropped (the kernel walks it).
std::unique_ptr<Plan> plan_gather_nd(Device& device, const keel_kernel_call_t& call) {
  constexpr keel_gather_nd_attrs_t kDefaults = KEEL_GATHER_ND_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &keel_gather_nd_attrs_t::batch_dims);
  const View x = view_of(input_desc(call, 0));
  const View indices = view_of(input_desc(call, 1));
  const View y = view_of(output_desc(call, 0));
  require_index_dtype(indices);
  if (y.dtype != x.dtype)
    fail(KEEL_STATUS_INVALID_ARGUMENT, "output y is ", dtype_name(y.dtype), ", not x's ", dtype_name(x.dtype));
  if (indices.rank < 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "indices needs rank >= 1");
  const int64_t b = attrs.batch_dims;
  const int64_t k = indices.shape[indices.rank - 1];
  if (b < 0 || b >= static_cast<int64_t>(indices.rank) || b + k > static_cast<int64_t>(x.rank)) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "batch_dims ", b, " and tuples of ", k, " do not fit x ", x.shape_text(),
         " and indices ", indices.shape_text());
  }
  const uint32_t lead = indices.rank - 1;  // y's axes from the indices
  const uint32_t rank = lead + x.rank - static_cast<uint32_t>(b + k);
  if (rank > kMaxRank) fail(KEEL_STATUS_INVALID_ARGUMENT, "the output rank is above ", kMaxRank);
  View x_seen, index_seen;
  x_seen.dtype = x.dtype;
  index_seen.dtype = indices.dtype;
  x_seen.rank = index_seen.rank = rank;
  std::array<int64_t, kMaxRank> expected{};
  for (uint32_t a = 0; a < rank; ++a) {
    if (a < lead) {
      expected[a] = indices.shape[a];
      index_seen.strides[a] = indices.strides[a];
      if (a < b) {
        if (x.shape[a] != indices.shape[a])
          fail(KEEL_STATUS_INVALID_ARGUMENT, "x and indices differ on batch axis ", a);
        x_seen.strides[a] = x.strides[a];
      }
      continue;
    }
    const uint32_t from = a - lead + static_cast<uint32_t>(b + k);
    expected[a] = x.shape[from];
    x_seen.strides[a] = x.strides[from];
  }
  x_seen.shape = index_seen.shape = expected;
  require_shape(y, rank, expected.data(), "output y");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  ClTupleArgs tuple;
  tuple.k = k;
  tuple.tuple_stride = indices.strides[lead];
  for (int64_t j = 0; j < k; ++j) {
    tuple.size[j] = x.shape[b + j];
    tuple.stride[j] = x.strides[b + j];
  }
  const View views[] = {y, x_seen, index_seen};
  const size_t size = dtype_size(x.dtype);
  return std::make_unique<IndexPlan>(index_kernel(device, "keel_gather_nd", size, indices.dtype), joint_layout(views),
                                     std::vector<int64_t>{}, std::vector<uint64_t>{}, size, tuple);
}

// y has the indices' shape with a new axis of size depth at `axis`; the indices are read repeated along it.
std::unique_ptr<Plan> plan_one_hot(Device& device, const keel_kernel_call_t& call) {
  using A = keel_one_hot_attrs_t;
  constexpr A kDefaults = KEEL_ONE_HOT_ATTRS_INIT;
  const auto attrs = read_attrs(call.attrs, kDefaults, &A::depth, &A::axis, &A::on_value, &A::off_value, &A::dtype);
  const View indices = view_of(input_desc(call, 0));
  const View y = view_of(output_desc(call, 0));
  require_index_dtype(indices);
  if (attrs.dtype != y.dtype) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute dtype is ", dtype_name(attrs.dtype), " but output y is ",
         dtype_name(y.dtype));
  }
  if (attrs.depth < 0) fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute depth is ", attrs.depth, "; it must be >= 0");
  if (indices.rank + 1 > kMaxRank) fail(KEEL_STATUS_INVALID_ARGUMENT, "the output rank is above ", kMaxRank);
  const uint32_t axis = normalize_axis(attrs.axis, indices.rank + 1, "axis");
  View index_seen;
  index_seen.dtype = indices.dtype;
  index_seen.rank = indices.rank + 1;
  std::array<int64_t, kMaxRank> expected{};
  int64_t inner = 1;
  for (uint32_t k = 0, from = 0; k <= indices.rank; ++k) {
    if (k == axis) {
      expected[k] = attrs.depth;
      continue;
    }
    expected[k] = indices.shape[from];
    index_seen.strides[k] = indices.strides[from++];
    if (k > axis) inner *= expected[k];
  }
  index_seen.shape = expected;
  require_shape(y, index_seen.rank, expected.data(), "output y");
  if (y.count() == 0) return std::make_unique<EmptyPlan>();
  const View views[] = {y, index_seen};
  const size_t size = dtype_size(y.dtype);
  return std::make_unique<IndexPlan>(
      index_kernel(device, "keel_one_hot", size, indices.dtype), joint_layout(views),
      std::vector<int64_t>{inner, attrs.depth},
      std::vector<uint64_t>{cast_bits(attrs.on_value, y.dtype), cast_bits(attrs.off_value, y.dtype)}, size);
}

}  // namespace keel::opencl
