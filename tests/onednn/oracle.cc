#include "oracle.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <sstream>

#include "spec/op_schema.h"

namespace keel::onednn_test {
namespace {

struct FloatFormat {
  int mantissa_bits;  // explicit bits
  int min_exponent;   // of the smallest normal
};

FloatFormat format_of(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return {10, -14};
    case KEEL_DTYPE_BF16: return {7, -126};
    case KEEL_DTYPE_F32: return {23, -126};
    default: return {52, -1022};
  }
}

long double ulp_of(long double value, keel_dtype_t dtype) {
  const FloatFormat f = format_of(dtype);
  int exponent = 0;
  if (value != 0 && std::isfinite(value)) {
    std::frexp(value, &exponent);
    exponent -= 1;  // value = m * 2^exponent with m in [1, 2)
  }
  if (exponent < f.min_exponent) exponent = f.min_exponent;
  return std::ldexp(1.0L, exponent - f.mantissa_bits);
}

long double epsilon_of(keel_dtype_t dtype) { return std::ldexp(1.0L, -format_of(dtype).mantissa_bits); }
long double min_normal_of(keel_dtype_t dtype) { return std::ldexp(1.0L, format_of(dtype).min_exponent); }

// The reference's value rounded to the output dtype (what an exact result must equal).
long double rounded_to(long double value, keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F32: return static_cast<float>(value);
    case KEEL_DTYPE_F64: return static_cast<double>(value);
    default: return decode_half(encode_half(value, dtype), dtype);
  }
}

double ulp_bound(const spec::Tolerance& tolerance, keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_F16: return tolerance.ulp_f16;
    case KEEL_DTYPE_BF16: return tolerance.ulp_bf16;
    case KEEL_DTYPE_F32: return tolerance.ulp_f32;
    default: return tolerance.ulp_f64;
  }
}

std::string values_text(const std::vector<HostTensor>& inputs, int64_t output_index, const Dims& out_shape) {
  std::ostringstream text;
  if (inputs.size() > 3) return "";
  const Dims index = unravel(output_index, out_shape);
  text << " at " << text_of(index);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const HostTensor& in = inputs[i];
    if (in.is_absent() || in.count() == 0) continue;
    // The input element the same index maps to under broadcasting, when the ranks allow it.
    int64_t linear = 0;
    const size_t shift = index.size() >= in.shape.size() ? index.size() - in.shape.size() : 0;
    bool ok = index.size() >= in.shape.size();
    for (size_t d = 0; ok && d < in.shape.size(); ++d) {
      const int64_t at = in.shape[d] == 1 ? 0 : index[d + shift];
      ok = at < in.shape[d];
      linear = linear * in.shape[d] + at;
    }
    if (ok) text << " in" << i << "=" << static_cast<double>(in.get(linear));
  }
  return text.str();
}

}  // namespace

double softmax_k(const HostTensor& x, int64_t axis) {
  const int64_t rank = static_cast<int64_t>(x.shape.size());
  if (axis < 0) axis += rank;
  const int64_t length = x.shape[static_cast<size_t>(axis)];
  int64_t inner = 1;
  for (int64_t d = axis + 1; d < rank; ++d) inner *= x.shape[static_cast<size_t>(d)];
  const int64_t outer = length == 0 ? 0 : x.count() / (length * inner);
  long double range = 0;
  for (int64_t o = 0; o < outer; ++o) {
    for (int64_t i = 0; i < inner; ++i) {
      long double max = -std::numeric_limits<long double>::infinity();
      for (int64_t j = 0; j < length; ++j) max = std::fmax(max, x.get((o * length + j) * inner + i));
      for (int64_t j = 0; j < length; ++j) {
        const long double spread = std::fabs(x.get((o * length + j) * inner + i) - max);
        if (std::isfinite(spread)) range = std::fmax(range, spread);
      }
    }
  }
  return static_cast<double>(length + range);
}

bool expect_matches_reference(Case c) {
  Harness& h = Harness::get();
  const spec::OpSchema* schema = spec::find_op(c.op);
  if (schema == nullptr) {
    ADD_FAILURE() << c.op << " is not in the spec";
    return false;
  }
  c.input_layouts.resize(c.inputs.size(), Layout::kDense);
  // An expanded input reads one slice along dimension 0 for all of it: make the data agree.
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    HostTensor& in = c.inputs[i];
    if (in.is_absent()) continue;
    if (c.input_layouts[i] != Layout::kExpanded || in.shape.empty() || in.count() == 0) continue;
    const int64_t slice = in.count() / in.shape[0];
    for (int64_t e = slice; e < in.count(); ++e) in.set_bits(e, in.bits(e % slice));
  }
  std::ostringstream where;
  where << c.op << "(";
  for (size_t i = 0; i < c.inputs.size(); ++i) {
    where << (i ? ", " : "") << name_of(c.inputs[i].dtype) << text_of(c.inputs[i].shape) << " "
          << layout_name(c.input_layouts[i]);
  }
  where << ") -> " << layout_name(c.output_layout) << (c.label.empty() ? "" : " [" + c.label + "]");
  SCOPED_TRACE(where.str());

  // ---- oneDNN side ----
  std::vector<std::pair<keel_dtype_t, Dims>> metas;
  for (const HostTensor& in : c.inputs) metas.emplace_back(in.dtype, in.shape);
  std::string message;
  const auto outputs = h.infer(c.op.c_str(), c.attrs, metas, &message, c.outputs);
  if (outputs.empty() && schema->output_count > 0) {
    ADD_FAILURE() << "invalid call: " << message;
    return false;
  }
  std::vector<DeviceTensor> dev_in, dev_out;
  for (size_t i = 0; i < c.inputs.size(); ++i) dev_in.push_back(h.upload(h.onednn(), c.inputs[i], c.input_layouts[i]));
  for (const auto& [dtype, shape] : outputs) dev_out.push_back(h.allocate(h.onednn(), dtype, shape, c.output_layout));
  std::vector<const DeviceTensor*> in_ptrs, out_ptrs;
  for (const DeviceTensor& t : dev_in) in_ptrs.push_back(&t);
  for (const DeviceTensor& t : dev_out) out_ptrs.push_back(&t);
  if (const keel_status_code_t code = h.run(h.onednn(), c.op.c_str(), c.attrs, in_ptrs, out_ptrs, &message)) {
    ADD_FAILURE() << "onednn failed: " << keel_status_code_name(code) << ": " << message;
    return false;
  }

  // ---- reference side: float inputs in f64 (unless bitwise), dense ----
  const auto reference_outputs = [&](bool absolute) -> std::vector<HostTensor> {
    std::vector<HostTensor> ref_inputs;
    for (const HostTensor& in : c.inputs) {
      HostTensor widened = c.bitwise || !c.widen || !is_float(in.dtype) ? in : in.converted(KEEL_DTYPE_F64);
      ref_inputs.push_back(absolute ? widened.absolute() : widened);
    }
    std::vector<std::pair<keel_dtype_t, Dims>> ref_metas;
    for (const HostTensor& in : ref_inputs) ref_metas.emplace_back(in.dtype, in.shape);
    const auto ref_out_metas = h.infer(c.op.c_str(), c.attrs, ref_metas, &message, c.outputs);
    std::vector<DeviceTensor> r_in, r_out;
    for (const HostTensor& in : ref_inputs) r_in.push_back(h.upload(h.reference(), in, Layout::kDense));
    for (const auto& [dtype, shape] : ref_out_metas) r_out.push_back(h.allocate(h.reference(), dtype, shape, Layout::kDense));
    std::vector<const DeviceTensor*> ri, ro;
    for (const DeviceTensor& t : r_in) ri.push_back(&t);
    for (const DeviceTensor& t : r_out) ro.push_back(&t);
    if (const keel_status_code_t code = h.run(h.reference(), c.op.c_str(), c.attrs, ri, ro, &message)) {
      ADD_FAILURE() << "reference failed: " << keel_status_code_name(code) << ": " << message;
      return {};
    }
    std::vector<HostTensor> results;
    for (const DeviceTensor& t : r_out) results.push_back(h.download(t));
    return results;
  };
  const std::vector<HostTensor> expected = reference_outputs(false);
  if (expected.size() != dev_out.size()) return false;
  const spec::Tolerance& tolerance = schema->tolerance;
  std::vector<HostTensor> magnitudes;
  if (!c.bitwise && tolerance.cls == spec::ToleranceClass::kAccumulation &&
      tolerance.magnitude == spec::Magnitude::kOpOnAbs) {
    magnitudes = reference_outputs(true);
    if (magnitudes.size() != dev_out.size()) return false;
  }

  bool ok = true;
  for (size_t o = 0; o < dev_out.size(); ++o) {
    EXPECT_TRUE(h.guard_bytes_intact(dev_out[o])) << "output " << o << ": bytes outside the view were written";
    const HostTensor got = h.download(dev_out[o]);
    const HostTensor& want = expected[o];
    const keel_dtype_t dtype = got.dtype;
    double k = c.k.value_or(0.0);
    if (!c.k) {
      if (tolerance.k == spec::ReductionSize::kReductionSize) {
        k = got.count() == 0 ? 0.0 : static_cast<double>(c.inputs[0].count()) / static_cast<double>(got.count());
      } else if (tolerance.k == spec::ReductionSize::kInnerDim) {
        k = static_cast<double>(c.inputs[0].shape.back());
      }
    }
    int reported = 0;
    for (int64_t i = 0; i < got.count(); ++i) {
      bool match;
      std::string detail;
      if (c.bitwise || !is_float(dtype)) {
        match = c.bitwise ? got.bits(i) == want.bits(i) : got.get(i) == want.get(i);
      } else {
        const long double y = got.get(i);
        const long double ref = want.get(i);
        if (std::isnan(ref) || std::isnan(y)) {
          match = std::isnan(ref) && std::isnan(y);
        } else if (std::isinf(rounded_to(ref, dtype)) || std::isinf(y)) {
          match = y == rounded_to(ref, dtype);  // infinities match exactly (after rounding to the dtype)
        } else if (tolerance.cls == spec::ToleranceClass::kExact) {
          match = y == rounded_to(ref, dtype) && std::signbit(y) == std::signbit(rounded_to(ref, dtype));
        } else if (tolerance.cls == spec::ToleranceClass::kUlp) {
          const long double bound = ulp_bound(tolerance, dtype) * ulp_of(rounded_to(ref, dtype), dtype);
          match = std::fabs(y - ref) <= bound;
          detail = " bound " + std::to_string(static_cast<double>(bound));
        } else {
          long double magnitude = std::fabs(ref);
          if (tolerance.magnitude == spec::Magnitude::kOpOnAbs) magnitude = std::fabs(magnitudes[o].get(i));
          if (tolerance.magnitude == spec::Magnitude::kOutputPlusOne) magnitude = std::fabs(ref) + 1;
          if (tolerance.magnitude == spec::Magnitude::kInputsAndOutput) {
            // The largest |input| at the same element over the inputs shaped like the output.
            for (const HostTensor& in : c.inputs) {
              if (!in.is_absent() && is_float(in.dtype) && in.count() == got.count()) {
                magnitude = std::fmax(magnitude, std::fabs(in.get(i)));
              }
            }
          }
          const long double bound = tolerance.c * k * epsilon_of(dtype) * magnitude + min_normal_of(dtype);
          match = std::fabs(y - ref) <= bound;
          detail = " bound " + std::to_string(static_cast<double>(bound));
        }
      }
      if (!match) {
        ok = false;
        if (reported++ < 5) {
          ADD_FAILURE() << "output " << o << " element " << i << ": got " << static_cast<double>(got.get(i))
                        << " (bits " << std::hex << got.bits(i) << std::dec << "), reference "
                        << static_cast<double>(want.get(i)) << detail << values_text(c.inputs, i, got.shape);
        }
      }
    }
  }
  return ok;
}

}  // namespace keel::onednn_test
