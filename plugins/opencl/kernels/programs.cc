#include "kernels/programs.h"

#include "kernels/dtype.h"

namespace keel::opencl {

std::vector<keel_dtype_t> device_dtypes(const DeviceInfo& device) {
  std::vector<keel_dtype_t> dtypes = {KEEL_DTYPE_BOOL, KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_F32};
  if (device.fp64) dtypes.push_back(KEEL_DTYPE_F64);
  return dtypes;
}

std::vector<ProgramSpec> all_programs(const DeviceInfo& device) {
  std::vector<ProgramSpec> programs;
  const std::vector<keel_dtype_t> dtypes = device_dtypes(device);
  for (const ElementwiseOp& op : elementwise_ops()) {
    for (const keel_dtype_t dtype : dtypes) {
      const char* expr = is_float(dtype) ? op.float_expr : is_integer(dtype) ? op.int_expr : op.bool_expr;
      if (expr != nullptr) programs.push_back(elementwise_program(op, dtype));
    }
  }
  for (const size_t size : {size_t{1}, size_t{4}, size_t{8}}) programs.push_back(where_program(size));
  for (const keel_dtype_t from : dtypes) {
    for (const keel_dtype_t to : dtypes) {
      if (from != to) programs.push_back(cast_program(from, to));
    }
  }
  for (const size_t size : {size_t{1}, size_t{2}, size_t{4}, size_t{8}}) programs.push_back(data_program(size));
  for (const size_t size : {size_t{1}, size_t{4}, size_t{8}}) {
    for (const keel_dtype_t index : {KEEL_DTYPE_I32, KEEL_DTYPE_I64}) programs.push_back(gather_program(size, index));
    programs.push_back(pad_program(size));
  }
  for (const keel_dtype_t dtype : dtypes) {
    for (const keel_dtype_t index : {KEEL_DTYPE_I32, KEEL_DTYPE_I64}) programs.push_back(scatter_program(dtype, index));
    programs.push_back(scan_program(dtype));
    if (dtype == KEEL_DTYPE_BOOL) continue;
    programs.push_back(reduce_program("sum", dtype));
    programs.push_back(reduce_program("max", dtype));
    programs.push_back(reduce_program("min", dtype));
    programs.push_back(reduce_program("prod", dtype));
    programs.push_back(arg_reduce_program(dtype));
    programs.push_back(pool_program(dtype));
    programs.push_back(topk_program(dtype));
    if (is_float(dtype)) {
      programs.push_back(reduce_program("mean", dtype));
      programs.push_back(softmax_program(dtype, false));
      programs.push_back(softmax_program(dtype, true));
      programs.push_back(matmul_program(dtype));
      programs.push_back(conv_program(dtype));
      if (device.fp64) programs.push_back(random_program(dtype));
      if (device.fp64) programs.push_back(resize_program(dtype));
      for (const keel_dtype_t index : {KEEL_DTYPE_I32, KEEL_DTYPE_I64})
        programs.push_back(embedding_program(dtype, index));
    }
  }
  return programs;
}

}  // namespace keel::opencl
