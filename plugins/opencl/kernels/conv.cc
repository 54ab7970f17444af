// conv conv_transpose (ir_spec/ops/conv.yaml) and conv_backward_weight (training.yaml): direct sums, one
// work-item per output element (kernels/cl/conv.cl describes the shared geometry).
#include <array>
#include <span>
#include <string>
#include <string_view>

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

constexpr uint32_t kMaxSpatial = 3;

// Mirrors keel_conv_args of kernels/cl/conv.cl.
struct ClConvArgs {
  int64_t spatial = 0;
  int64_t count = 0;
  int64_t groups = 1;
  int64_t batch = 0;
  int64_t image_channels = 0;
  int64_t response_channels = 0;
  int64_t has_bias = 0;
  int64_t image_offset = 0;
  int64_t response_offset = 0;
  int64_t filter_offset = 0;
  int64_t bias_offset = 0;
  int64_t bias_stride = 0;
  int64_t image_nc[2] = {};
  int64_t response_nc[2] = {};
  int64_t filter_mc[2] = {};
  int64_t image_size[kMaxSpatial] = {};
  int64_t response_size[kMaxSpatial] = {};
  int64_t filter_size[kMaxSpatial] = {};
  int64_t image_stride[kMaxSpatial] = {};
  int64_t response_stride[kMaxSpatial] = {};
  int64_t filter_stride[kMaxSpatial] = {};
  int64_t step[kMaxSpatial] = {};
  int64_t pad[kMaxSpatial] = {};
  int64_t dilation[kMaxSpatial] = {};
};
static_assert(sizeof(ClConvArgs) == 8 * (12 + 6 + 9 * kMaxSpatial));

enum class Role { kImage, kFilter, kResponse };

// The attributes the three operators share (their structs agree on these fields).
struct ConvAttrs {
  std::span<const int64_t> strides, pads, dilations, output_padding;
  int64_t groups = 1;
};

template <class A>
ConvAttrs read_conv_attrs(const void* raw, const A& defaults) {
  const auto a = read_attrs(raw, defaults, &A::strides, &A::strides_count, &A::pads, &A::pads_count, &A::dilations,
                            &A::dilations_count, &A::groups);
  return {ints(a.strides, a.strides_count, "strides"),
          ints(a.pads, a.pads_count, "pads"),
          ints(a.dilations, a.dilations_count, "dilations"),
          {},
          a.groups};
}

// A tensor's part of the geometry: its leading two strides, spatial sizes and strides.
void set_tensor(ClConvArgs& args, Role role, const View& v) {
  const uint32_t s = static_cast<uint32_t>(args.spatial);
  int64_t* lead = role == Role::kImage ? args.image_nc : role == Role::kFilter ? args.filter_mc : args.response_nc;
  int64_t* size = role == Role::kImage    ? args.image_size
                  : role == Role::kFilter ? args.filter_size
                                          : args.response_size;
  int64_t* stride = role == Role::kImage    ? args.image_stride
                    : role == Role::kFilter ? args.filter_stride
                                            : args.response_stride;
  lead[0] = v.strides[0];
  lead[1] = v.strides[1];
  for (uint32_t k = 0; k < s; ++k) {
    size[k] = v.shape[k + 2];
    stride[k] = v.strides[k + 2];
  }
}

class ConvPlan final : public Plan {
 public:
  // `roles`: what the output and each input are in conv's geometry.
  ConvPlan(Kernel& kernel, ClConvArgs args, std::array<Role, 3> roles) : kernel_(kernel), args_(args), roles_(roles) {
    range_ = linear_range(static_cast<uint64_t>(args_.count), element_group_size(kernel_));
  }

  void run(Queue& queue, const keel_kernel_call_t& call) const override {
    ClConvArgs args = args_;
    const auto place = [&args](Role role, const keel_tensor_desc_t& desc) {
      const int64_t offset = element_offset(desc);
      (role == Role::kImage    ? args.image_offset
       : role == Role::kFilter ? args.filter_offset
                               : args.response_offset) = offset;
    };
    const keel_tensor_desc_t& out = output_desc(call, 0);
    place(roles_[0], out);
    KernelArgs launch;
    launch.mem(buffer_of(out));
    for (size_t i = 0; i < 2; ++i) {
      place(roles_[i + 1], input_desc(call, i));
      launch.mem(buffer_of(input_desc(call, i)));
    }
    if (kernel_takes_bias()) {
      // Without a bias the kernel never reads the argument; the output buffer stands in for it.
      const bool present = args.has_bias != 0;
      if (present) args.bias_offset = element_offset(input_desc(call, 2));
      launch.mem(present ? buffer_of(input_desc(call, 2)) : buffer_of(out));
    }
    launch.value(args);
    submit(queue, kernel_, std::move(launch), range_);
  }

 private:
  bool kernel_takes_bias() const { return roles_[0] != Role::kFilter; }

  Kernel& kernel_;
  ClConvArgs args_;
  std::array<Role, 3> roles_;
  Range range_;
};

}  // namespace

ProgramSpec conv_program(keel_dtype_t dtype) {
  return {concat("conv/", dtype_name(dtype)), [dtype](const DeviceInfo& /*device*/) {
            std::string source;
            if (dtype == KEEL_DTYPE_F64) source += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
            source += "#pragma OPENCL FP_CONTRACT OFF\n";
            source += cl_sources::common;
            source += concat("#define KEEL_T ", cl_type(dtype), "\n#define KEEL_NAME(x) x##_", dtype_name(dtype), "\n");
            source += cl_sources::conv;
            return source;
          }};
}

std::unique_ptr<Plan> plan_conv(Device& device, const keel_kernel_call_t& call) {
  const std::string_view op = call.op_name;
  ConvAttrs attrs;
  std::array<Role, 3> roles{};
  if (op == "conv") {
    constexpr keel_conv_attrs_t kDefaults = KEEL_CONV_ATTRS_INIT;
    attrs = read_conv_attrs(call.attrs, kDefaults);
    roles = {Role::kResponse, Role::kImage, Role::kFilter};
  } else if (op == "conv_transpose") {
    using A = keel_conv_transpose_attrs_t;
    constexpr A kDefaults = KEEL_CONV_TRANSPOSE_ATTRS_INIT;
    attrs = read_conv_attrs(call.attrs, kDefaults);
    const auto a = read_attrs(call.attrs, kDefaults, &A::output_padding, &A::output_padding_count);
    attrs.output_padding = ints(a.output_padding, a.output_padding_count, "output_padding");
    roles = {Role::kImage, Role::kResponse, Role::kFilter};
  } else {
    constexpr keel_conv_backward_weight_attrs_t kDefaults = KEEL_CONV_BACKWARD_WEIGHT_ATTRS_INIT;
    attrs = read_conv_attrs(call.attrs, kDefaults);
    roles = {Role::kFilter, Role::kResponse, Role::kImage};
  }
  // The views in conv's geometry. conv_backward_weight's third input (w) only gives dw's shape.
  const View out = view_of(output_desc(call, 0));
  const View in0 = view_of(input_desc(call, 0));
  const View in1 = view_of(input_desc(call, 1));
  const auto pick = [&](Role role) -> const View& { return roles[0] == role ? out : roles[1] == role ? in0 : in1; };
  const View& image = pick(Role::kImage);
  const View& filter = pick(Role::kFilter);
  const View& response = pick(Role::kResponse);
  for (const View* v : {&out, &in0, &in1}) {
    if (v->dtype != out.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, op, ": the tensors differ in dtype");
  }
  if (image.rank < 3 || image.rank > 5 || filter.rank != image.rank || response.rank != image.rank) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, op, ": x and w need one rank of 3 to 5");
  }
  ClConvArgs args;
  args.spatial = image.rank - 2;
  const uint32_t s = static_cast<uint32_t>(args.spatial);
  const auto check_list = [&](std::span<const int64_t> list, size_t per_axis, const char* name) {
    if (!list.empty() && list.size() != per_axis * s) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, "attribute ", name, " has ", list.size(), " entries for ", s, " spatial axes");
    }
  };
  check_list(attrs.strides, 1, "strides");
  check_list(attrs.pads, 2, "pads");
  check_list(attrs.dilations, 1, "dilations");
  check_list(attrs.output_padding, 1, "output_padding");
  args.groups = attrs.groups;
  args.batch = image.shape[0];
  args.image_channels = image.shape[1];
  args.response_channels = response.shape[1];
  if (attrs.groups < 1 || args.image_channels % attrs.groups != 0 || args.response_channels % attrs.groups != 0 ||
      filter.shape[0] != args.response_channels || filter.shape[1] * attrs.groups != args.image_channels ||
      response.shape[0] != args.batch) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, op, ": the channels of x and w do not fit groups ", attrs.groups);
  }
  // Every spatial size is checked against the rule that links the three tensors.
  for (uint32_t k = 0; k < s; ++k) {
    const int64_t step = attrs.strides.empty() ? 1 : attrs.strides[k];
    const int64_t pb = attrs.pads.empty() ? 0 : attrs.pads[k];
    const int64_t pe = attrs.pads.empty() ? 0 : attrs.pads[k + s];
    const int64_t dilation = attrs.dilations.empty() ? 1 : attrs.dilations[k];
    const int64_t extra = attrs.output_padding.empty() ? 0 : attrs.output_padding[k];
    if (step < 1 || pb < 0 || pe < 0 || dilation < 1 || filter.shape[k + 2] < 1 || extra < 0 || extra >= step) {
      fail(KEEL_STATUS_INVALID_ARGUMENT, op, ": the attributes of spatial axis ", k, " are out of range");
    }
    const int64_t reach = dilation * (filter.shape[k + 2] - 1) + 1;
    const int64_t d = image.shape[k + 2];
    const int64_t o = response.shape[k + 2];
    const bool fits = op == "conv_transpose" ? d == (o - 1) * step - pb - pe + reach - 1 + extra + 1
                                             : d + pb + pe >= reach && o == (d + pb + pe - reach) / step + 1;
    if (!fits) fail(KEEL_STATUS_INVALID_ARGUMENT, op, ": the sizes of spatial axis ", k, " do not fit the attributes");
    args.step[k] = step;
    args.pad[k] = pb;
    args.dilation[k] = dilation;
  }
  if (op == "conv_backward_weight") {
    const View w = view_of(input_desc(call, 2));
    require_shape(out, w.rank, w.shape.data(), "output dw");
  }
  set_tensor(args, Role::kImage, image);
  set_tensor(args, Role::kFilter, filter);
  set_tensor(args, Role::kResponse, response);
  if (op != "conv_backward_weight" && call.input_count > 2 && input_desc(call, 2).dtype != KEEL_DTYPE_INVALID) {
    const View bias = view_of(input_desc(call, 2));
    const int64_t channels = op == "conv" ? args.response_channels : args.image_channels;
    if (bias.dtype != out.dtype) fail(KEEL_STATUS_INVALID_ARGUMENT, op, ": bias has another dtype");
    require_shape(bias, 1, &channels, "input bias");
    args.has_bias = 1;
    args.bias_stride = bias.strides[0];
  }
  args.count = out.count();
  if (args.count == 0) return std::make_unique<EmptyPlan>();
  Program& program = device.programs().get(conv_program(out.dtype));
  Kernel& kernel = program.kernel(concat("keel_", op, "_", dtype_name(out.dtype)));
  return std::make_unique<ConvPlan>(kernel, args, roles);
}

}  // namespace keel::opencl
