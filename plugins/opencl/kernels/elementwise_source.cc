// Generates the elementwise programs: one per family of elementwise_ops.h and dtype, one per where element
// size, one per cast dtype pair. Each holds two kernels: _dense (every tensor contiguous, indexed by the
// work-item id) and _strided (any broadcast, transposition or negative stride, through keel_layout).
#include <initializer_list>
#include <string>
#include <vector>

#include "host.h"
#include "kernels/cl_sources.h"
#include "kernels/dtype.h"
#include "kernels/elementwise_ops.h"
#include "kernels/programs.h"

namespace keel::opencl {
namespace {

enum class Kind { kBool, kInt, kFloat };

Kind kind_of(keel_dtype_t dtype) {
  return is_float(dtype) ? Kind::kFloat : is_integer(dtype) ? Kind::kInt : Kind::kBool;
}

std::string replace_all(std::string text, const std::string& from, const std::string& to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size())) {
    text.replace(at, from.size(), to);
  }
  return text;
}

// $T and $U of an expression for `dtype`.
std::string typed(const std::string& text, keel_dtype_t dtype) {
  return replace_all(replace_all(text, "$T", cl_type(dtype)), "$U", cl_unsigned_type(dtype));
}

constexpr const char* kFloatHelpers = R"(
$T keel_maximum_$T($T a, $T b) {
  if (isnan(a)) return a;
  if (isnan(b)) return b;
  if (a == b) return signbit(a) ? b : a;
  return a > b ? a : b;
}
$T keel_minimum_$T($T a, $T b) {
  if (isnan(a)) return a;
  if (isnan(b)) return b;
  if (a == b) return signbit(a) ? a : b;
  return a < b ? a : b;
}
$T keel_sigmoid_$T($T x) {
  if (x >= ($T)0) return ($T)1 / (($T)1 + exp(-x));
  const $T e = exp(x);
  return e / (($T)1 + e);
}
$T keel_div_$T($T a, $T b) { return $DIV; }
$T keel_remainder_$T($T a, $T b) {
  const $T r = fmod(a, b);
  if (r == ($T)0) return copysign(($T)0, b);
  return signbit(r) != signbit(b) ? r + b : r;
}
$T keel_sin_$T($T x) { return $VIA(sin); }
$T keel_cos_$T($T x) { return $VIA(cos); }
$T keel_erf_$T($T x) { return $VIA(erf); }
)";

constexpr const char* kIntHelpers = R"(
$T keel_div_trunc_$T($T a, $T b) {
  if (b == 0) return 0;
  if (b == -1) return as_$T(($U)0 - as_$U(a));
  return a / b;
}
$T keel_div_floor_$T($T a, $T b) {
  if (b == 0) return 0;
  if (b == -1) return as_$T(($U)0 - as_$U(a));
  const $T q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
$T keel_remainder_$T($T a, $T b) {
  if (b == 0) return a;
  if (b == -1) return 0;
  const $T r = a % b;
  return (r != 0 && ((r < 0) != (b < 0))) ? r + b : r;
}
)";

// The start of every elementwise program: f64 enabled when used, contraction off (a * b + c rounds twice,
// as the spec's formulas say), the index arithmetic, and the helpers of the dtypes.
std::string preamble(const DeviceInfo& device, std::initializer_list<keel_dtype_t> dtypes) {
  std::string text;
  for (const keel_dtype_t dtype : dtypes) {
    if (dtype == KEEL_DTYPE_F64) {
      text += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
      break;
    }
  }
  text += "#pragma OPENCL FP_CONTRACT OFF\n";
  text += cl_sources::common;
  for (const keel_dtype_t dtype : dtypes) {
    if (kind_of(dtype) == Kind::kFloat) {
      // f32 division must be correctly rounded: the build option provides it where the device can, and f64
      // (whose quotient rounds to the correct f32) where it cannot.
      const bool via_double = dtype == KEEL_DTYPE_F32 && !device.correctly_rounded_divide && device.fp64;
      std::string helpers =
          replace_all(typed(kFloatHelpers, dtype), "$DIV", via_double ? "(float)((double)a / (double)b)" : "a / b");
      // OpenCL bounds f32 sin and cos at 4 ulp and erf at 16; the spec allows 4. Evaluated in f64 and rounded
      // once, the f32 result is within 1 ulp wherever the device has doubles.
      const bool math_in_double = dtype == KEEL_DTYPE_F32 && device.fp64;
      if (math_in_double) text += "#pragma OPENCL EXTENSION cl_khr_fp64 : enable\n";
      for (const char* fn : {"sin", "cos", "erf"}) {
        const std::string call = math_in_double ? concat("(float)", fn, "((double)x)") : concat(fn, "(x)");
        helpers = replace_all(helpers, concat("$VIA(", fn, ")"), call);
      }
      text += helpers;
    } else if (kind_of(dtype) == Kind::kInt) {
      text += typed(kIntHelpers, dtype);
    }
  }
  return text;
}

struct Operand {
  std::string type;  // OpenCL C type
  std::string name;  // the variable the expression reads
};

// The _dense and _strided variants of kernel `name`: y = (out)(expr) over the inputs.
void emit(std::string& source, const std::string& name, const std::string& out, const std::vector<Operand>& inputs,
          const std::string& expr) {
  const size_t n = inputs.size() + 1;
  std::string params_dense = "__global " + out + "* y, long y0";
  std::string params_strided = "__global " + out + "* y";
  std::string loads_dense;
  std::string loads_strided;
  for (size_t k = 0; k < inputs.size(); ++k) {
    const std::string p = "p" + std::to_string(k);
    const std::string o = "o" + std::to_string(k);
    params_dense += ", __global const " + inputs[k].type + "* " + p + ", long " + o;
    params_strided += ", __global const " + inputs[k].type + "* " + p;
    loads_dense += "  const " + inputs[k].type + " " + inputs[k].name + " = " + p + "[" + o + " + i];\n";
    loads_strided += "  const " + inputs[k].type + " " + inputs[k].name + " = " + p + "[o[" + std::to_string(k + 1) + "]];\n";
  }
  source += "__kernel void " + name + "_dense(" + params_dense + ", long count) {\n" +
            "  const long i = get_global_id(0);\n  if (i >= count) return;\n" + loads_dense + "  y[y0 + i] = (" + out +
            ")(" + expr + ");\n}\n";
  source += "__kernel void " + name + "_strided(" + params_strided + ", keel_layout layout) {\n" +
            "  const long i = get_global_id(0);\n  if (i >= layout.count) return;\n  long o[" + std::to_string(n) +
            "];\n  keel_offsets(&layout, i, " + std::to_string(n) + ", o);\n" + loads_strided + "  y[o[0]] = (" + out +
            ")(" + expr + ");\n}\n";
}

// The conversion rules of cast (ir_spec/ops/cast.yaml) in OpenCL C.
std::string cast_expr(keel_dtype_t from, keel_dtype_t to) {
  const std::string target = cl_type(to);
  if (kind_of(to) == Kind::kBool) return "x != 0";  // NaN is true, -0 false
  if (kind_of(from) == Kind::kBool) return "x != 0 ? (" + target + ")1 : (" + target + ")0";
  if (kind_of(from) == Kind::kFloat && kind_of(to) == Kind::kInt) {
    return "convert_" + target + "_sat_rtz(x)";  // truncates; saturates; NaN becomes 0
  }
  if (kind_of(to) == Kind::kFloat) return "convert_" + target + "_rte(x)";  // round to nearest even
  // integer → integer keeps the low bits.
  if (dtype_size(to) >= dtype_size(from)) return "(" + target + ")x";
  return "as_" + target + "((" + std::string(cl_unsigned_type(to)) + ")as_" + cl_unsigned_type(from) + "(x))";
}

}  // namespace

std::string elementwise_kernel_name(const char* family, keel_dtype_t dtype) {
  return concat("keel_", family, "_", dtype_name(dtype));
}

std::string where_kernel_name(size_t element_size) { return concat("keel_where_", cl_bits_type(element_size)); }

std::string cast_kernel_name(keel_dtype_t from, keel_dtype_t to) {
  return concat("keel_cast_", dtype_name(from), "_", dtype_name(to));
}

ProgramSpec elementwise_program(const ElementwiseOp& op, keel_dtype_t dtype) {
  const std::string name = elementwise_kernel_name(op.family, dtype);
  return {"elementwise/" + name, [&op, dtype, name](const DeviceInfo& device) {
            const Kind kind = kind_of(dtype);
            const char* expr = kind == Kind::kFloat ? op.float_expr : kind == Kind::kInt ? op.int_expr : op.bool_expr;
            if (expr == nullptr) fail(KEEL_STATUS_INTERNAL, "no ", op.family, " kernel for ", dtype_name(dtype));
            const std::string type = cl_type(dtype);
            std::vector<Operand> inputs;
            if (op.arity == 1) {
              inputs = {{type, "x"}};
            } else {
              inputs = {{type, "a"}, {type, "b"}};
            }
            std::string source = preamble(device, {dtype});
            emit(source, name, op.to_bool ? "uchar" : type, inputs, typed(expr, dtype));
            return source;
          }};
}

// where copies the chosen element bit for bit, so it works on the unsigned type of the element size.
ProgramSpec where_program(size_t element_size) {
  const std::string name = where_kernel_name(element_size);
  return {"elementwise/" + name, [element_size, name](const DeviceInfo& device) {
            const std::string bits = cl_bits_type(element_size);
            std::string source = preamble(device, {});
            emit(source, name, bits, {{"uchar", "c"}, {bits, "a"}, {bits, "b"}}, "c != 0 ? a : b");
            return source;
          }};
}

ProgramSpec cast_program(keel_dtype_t from, keel_dtype_t to) {
  const std::string name = cast_kernel_name(from, to);
  return {"elementwise/" + name, [from, to, name](const DeviceInfo& device) {
            std::string source = preamble(device, {from, to});
            emit(source, name, cl_type(to), {{cl_type(from), "x"}}, cast_expr(from, to));
            return source;
          }};
}

}  // namespace keel::opencl
