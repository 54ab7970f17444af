// sgd_update and adam_update (optimizer.yaml) against the reference, which runs the spec's decomposition in
// f64: every option (momentum with dampening and weight decay, Nesterov, maximize, the absent first-step
// buffer; Adam and AdamW, bias corrections from step 1 to 1000), 0-D, zero-size and parallel-sized tensors,
// every layout; then the spec's rounding rule (each product, sum, quotient and square root rounded in f32),
// checked bit for bit against the formulas evaluated here; in-place updates; and invalid calls.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

const std::vector<Dims> kShapes = {{}, {5}, {4, 3}, {0, 3}, {2, 1, 2, 3}, {300, 257}};

// Inputs and output in one of these layouts each.
const std::vector<std::pair<Layout, Layout>> kLayouts = {{Layout::kDense, Layout::kDense},
                                                         {Layout::kTransposed, Layout::kStrided},
                                                         {Layout::kReversed, Layout::kOffset},
                                                         {Layout::kStrided, Layout::kTransposed},
                                                         {Layout::kOffset, Layout::kReversed}};

keel_sgd_update_attrs_t sgd_attrs(double lr, double momentum, double dampening, double weight_decay, bool nesterov,
                                  bool maximize) {
  keel_sgd_update_attrs_t attrs = KEEL_SGD_UPDATE_ATTRS_INIT;
  attrs.lr = lr;
  attrs.momentum = momentum;
  attrs.dampening = dampening;
  attrs.weight_decay = weight_decay;
  attrs.nesterov = nesterov ? 1 : 0;
  attrs.maximize = maximize ? 1 : 0;
  return attrs;
}

keel_adam_update_attrs_t adam_attrs(double lr, int64_t step, double weight_decay, bool decoupled, bool maximize,
                                    double beta1 = 0.9, double beta2 = 0.999) {
  keel_adam_update_attrs_t attrs = KEEL_ADAM_UPDATE_ATTRS_INIT;
  attrs.lr = lr;
  attrs.beta1 = beta1;
  attrs.beta2 = beta2;
  attrs.weight_decay = weight_decay;
  attrs.step = step;
  attrs.decoupled_weight_decay = decoupled ? 1 : 0;
  attrs.maximize = maximize ? 1 : 0;
  return attrs;
}

TEST(OptimizerTest, SgdUpdateMatchesReference) {
  std::mt19937_64 rng(211);
  const std::vector<keel_sgd_update_attrs_t> variants = {
      sgd_attrs(0.1, 0, 0, 0, false, false),       sgd_attrs(0.01, 0.9, 0.1, 1e-4, false, false),
      sgd_attrs(0.05, 0.9, 0, 0, true, true),      sgd_attrs(0.2, 0.5, 0, 0.01, false, true),
      sgd_attrs(1.0, 0.99, 0.5, 0.1, true, false),
  };
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const keel_sgd_update_attrs_t& attrs : variants) {
      for (const bool with_buffer : {false, true}) {
        for (const Dims& shape : kShapes) {
          for (const auto& [in_layout, out_layout] : kLayouts) {
            const HostTensor buffer =
                with_buffer ? random_tensor(dtype, shape, Values::kFinite, rng) : HostTensor::absent();
            expect_matches_reference({.op = "sgd_update",
                                      .attrs = &attrs,
                                      .inputs = {random_tensor(dtype, shape, Values::kFinite, rng),
                                                 random_tensor(dtype, shape, Values::kFinite, rng), buffer},
                                      .input_layouts = {in_layout, in_layout, in_layout},
                                      .output_layout = out_layout,
                                      .label = with_buffer ? "with momentum_buf" : "first step"});
          }
        }
      }
    }
  }
}

TEST(OptimizerTest, AdamUpdateMatchesReference) {
  std::mt19937_64 rng(223);
  const std::vector<keel_adam_update_attrs_t> variants = {
      adam_attrs(1e-3, 1, 0, false, false),
      adam_attrs(0.01, 10, 0.01, true, false),
      adam_attrs(0.1, 3, 1e-3, false, true),
      adam_attrs(1e-3, 1000, 0.05, true, true, 0.8, 0.99),
  };
  for (const keel_dtype_t dtype : {KEEL_DTYPE_F32, KEEL_DTYPE_F64}) {
    for (const keel_adam_update_attrs_t& attrs : variants) {
      for (const Dims& shape : kShapes) {
        for (const auto& [in_layout, out_layout] : kLayouts) {
          expect_matches_reference({.op = "adam_update",
                                    .attrs = &attrs,
                                    .inputs = {random_tensor(dtype, shape, Values::kFinite, rng),
                                               random_tensor(dtype, shape, Values::kFinite, rng),
                                               random_tensor(dtype, shape, Values::kFinite, rng),
                                               random_tensor(dtype, shape, Values::kPositive, rng)},
                                    .input_layouts = {in_layout, in_layout, in_layout, in_layout},
                                    .output_layout = out_layout});
        }
      }
    }
  }
}

// x op y computed exactly and rounded once to f32 (f64 holds every f32 sum, product and quotient closely
// enough that rounding it again to f32 gives the correctly rounded f32 result).
float r(double value) { return static_cast<float>(value); }

// The spec's formulas with every operation rounded in f32 and the constants rounded to f32 first.
struct SgdExpected {
  float param, buffer;
};
SgdExpected sgd_formula(const keel_sgd_update_attrs_t& a, float p, float g, const float* buf) {
  const float lr = r(a.lr), momentum = r(a.momentum), dampened = r(1.0 - a.dampening), wd = r(a.weight_decay);
  const float g0 = a.maximize ? -g : g;
  const float gd = r(double{g0} + double{r(double{p} * wd)});
  const float b = buf == nullptr ? gd : r(double{r(double{*buf} * momentum)} + double{r(double{gd} * dampened)});
  const float d = a.nesterov ? r(double{gd} + double{r(double{b} * momentum)}) : b;
  return {r(double{p} - double{r(double{d} * lr)}), b};
}

struct AdamExpected {
  float param, m, v;
};
AdamExpected adam_formula(const keel_adam_update_attrs_t& a, float p, float g, float m0, float v0) {
  const float lr = r(a.lr), b1 = r(a.beta1), b2 = r(a.beta2), wd = r(a.weight_decay), eps = r(a.epsilon);
  const float bc1 = r(1.0 - std::pow(a.beta1, static_cast<double>(a.step)));
  const float bc2 = r(1.0 - std::pow(a.beta2, static_cast<double>(a.step)));
  float gd = a.maximize ? -g : g;
  float pd = p;
  if (a.decoupled_weight_decay) {
    pd = r(double{p} * double{r(1.0 - double{r(double{lr} * wd)})});
  } else {
    gd = r(double{gd} + double{r(double{p} * wd)});
  }
  const float m = r(double{r(double{m0} * b1)} + double{r(double{gd} * r(1.0 - a.beta1))});
  const float v = r(double{r(double{v0} * b2)} + double{r(double{r(double{gd} * gd)} * r(1.0 - a.beta2))});
  const float denominator = r(double{r(double{r(std::sqrt(double{v}))} / double{r(std::sqrt(double{bc2}))})} + eps);
  const float update = r(double{r(double{r(double{lr} / bc1)} * m)} / denominator);
  return {r(double{pd} - update), m, v};
}

bool same_float(float got, float want) {
  if (std::isnan(want)) return std::isnan(got);
  return std::signbit(got) == std::signbit(want) && got == want;
}

// Runs `op` on the oneDNN device with dense tensors and returns the outputs.
std::vector<HostTensor> run_onednn(const char* op, const void* attrs, const std::vector<HostTensor>& inputs) {
  Harness& h = Harness::get();
  std::vector<std::pair<keel_dtype_t, Dims>> metas;
  for (const HostTensor& in : inputs) metas.emplace_back(in.dtype, in.shape);
  std::string message;
  const auto outputs = h.infer(op, attrs, metas, &message);
  EXPECT_FALSE(outputs.empty()) << message;
  std::vector<DeviceTensor> dev_in, dev_out;
  for (const HostTensor& in : inputs) dev_in.push_back(h.upload(h.onednn(), in, Layout::kDense));
  for (const auto& [dtype, shape] : outputs) dev_out.push_back(h.allocate(h.onednn(), dtype, shape, Layout::kDense));
  std::vector<const DeviceTensor*> in_ptrs, out_ptrs;
  for (const DeviceTensor& t : dev_in) in_ptrs.push_back(&t);
  for (const DeviceTensor& t : dev_out) out_ptrs.push_back(&t);
  EXPECT_EQ(h.run(h.onednn(), op, attrs, in_ptrs, out_ptrs, &message), KEEL_STATUS_OK) << message;
  std::vector<HostTensor> results;
  for (const DeviceTensor& t : dev_out) results.push_back(h.download(t));
  return results;
}

// Special values included: a NaN or infinite param makes the update NaN even with weight_decay 0.
TEST(OptimizerTest, EachOperationIsRoundedInTheDtype) {
  std::mt19937_64 rng(227);
  const Dims shape = {70000};  // above the parallel split
  const HostTensor p = random_tensor(KEEL_DTYPE_F32, shape, Values::kSpecial, rng);
  const HostTensor g = random_tensor(KEEL_DTYPE_F32, shape, Values::kSpecial, rng);
  const HostTensor m = random_tensor(KEEL_DTYPE_F32, shape, Values::kFinite, rng);
  const HostTensor v = random_tensor(KEEL_DTYPE_F32, shape, Values::kPositive, rng);
  for (const keel_sgd_update_attrs_t& attrs :
       {sgd_attrs(0.1, 0, 0, 0, false, false), sgd_attrs(0.03, 0.9, 0.1, 3e-4, false, true),
        sgd_attrs(0.07, 0.8, 0, 1e-2, true, false)}) {
    for (const bool with_buffer : {false, true}) {
      const auto got = run_onednn("sgd_update", &attrs, {p, g, with_buffer ? m : HostTensor::absent()});
      ASSERT_EQ(got.size(), 2u);
      int mismatches = 0;
      for (int64_t i = 0; i < p.count() && mismatches < 5; ++i) {
        const float buffer = static_cast<float>(m.get(i));
        const SgdExpected want = sgd_formula(attrs, static_cast<float>(p.get(i)), static_cast<float>(g.get(i)),
                                             with_buffer ? &buffer : nullptr);
        const bool ok = same_float(static_cast<float>(got[0].get(i)), want.param) &&
                        same_float(static_cast<float>(got[1].get(i)), want.buffer);
        if (!ok) ++mismatches;
        EXPECT_TRUE(ok) << "sgd_update element " << i << ": param " << static_cast<double>(got[0].get(i)) << " want "
                        << want.param << ", buffer " << static_cast<double>(got[1].get(i)) << " want " << want.buffer;
      }
    }
  }
  for (const keel_adam_update_attrs_t& attrs :
       {adam_attrs(1e-3, 1, 0, false, false), adam_attrs(0.01, 7, 0.01, true, true),
        adam_attrs(0.05, 200, 1e-3, false, false, 0.8, 0.99)}) {
    const auto got = run_onednn("adam_update", &attrs, {p, g, m, v});
    ASSERT_EQ(got.size(), 3u);
    int mismatches = 0;
    for (int64_t i = 0; i < p.count() && mismatches < 5; ++i) {
      const AdamExpected want = adam_formula(attrs, static_cast<float>(p.get(i)), static_cast<float>(g.get(i)),
                                             static_cast<float>(m.get(i)), static_cast<float>(v.get(i)));
      const bool ok = same_float(static_cast<float>(got[0].get(i)), want.param) &&
                      same_float(static_cast<float>(got[1].get(i)), want.m) &&
                      same_float(static_cast<float>(got[2].get(i)), want.v);
      if (!ok) ++mismatches;
      EXPECT_TRUE(ok) << "adam_update element " << i << ": param " << static_cast<double>(got[0].get(i)) << " want "
                      << want.param << ", m " << static_cast<double>(got[1].get(i)) << " want " << want.m << ", v "
                      << static_cast<double>(got[2].get(i)) << " want " << want.v;
    }
  }
}

void expect_bits_equal(const HostTensor& got, const HostTensor& want, const char* what) {
  ASSERT_EQ(got.count(), want.count()) << what;
  for (int64_t i = 0; i < got.count(); ++i) ASSERT_EQ(got.bits(i), want.bits(i)) << what << " element " << i;
}

// Each output written over its own input (the usual optimizer step in place) gives the separate-buffer result.
TEST(OptimizerTest, InPlaceUpdatesMatchSeparateOutputs) {
  Harness& h = Harness::get();
  std::mt19937_64 rng(229);
  for (const Dims& shape : {Dims{7, 5}, Dims{300, 257}}) {
    const HostTensor p = random_tensor(KEEL_DTYPE_F32, shape, Values::kFinite, rng);
    const HostTensor g = random_tensor(KEEL_DTYPE_F32, shape, Values::kFinite, rng);
    const HostTensor m = random_tensor(KEEL_DTYPE_F32, shape, Values::kFinite, rng);
    const HostTensor v = random_tensor(KEEL_DTYPE_F32, shape, Values::kPositive, rng);
    std::string message;

    const keel_sgd_update_attrs_t sgd = sgd_attrs(0.01, 0.9, 0.1, 1e-4, false, false);
    const auto sgd_want = run_onednn("sgd_update", &sgd, {p, g, m});
    DeviceTensor dp = h.upload(h.onednn(), p, Layout::kStrided);
    DeviceTensor dg = h.upload(h.onednn(), g, Layout::kDense);
    DeviceTensor dm = h.upload(h.onednn(), m, Layout::kTransposed);
    ASSERT_EQ(h.run_views(h.onednn(), "sgd_update", &sgd, {dp.view(), dg.view(), dm.view()}, {dp.view(), dm.view()},
                          &message),
              KEEL_STATUS_OK)
        << message;
    expect_bits_equal(h.download(dp), sgd_want[0], "sgd param");
    expect_bits_equal(h.download(dm), sgd_want[1], "sgd momentum_buf");

    const keel_adam_update_attrs_t adam = adam_attrs(1e-3, 5, 0.01, true, false);
    const auto adam_want = run_onednn("adam_update", &adam, {p, g, m, v});
    DeviceTensor ap = h.upload(h.onednn(), p, Layout::kDense);
    DeviceTensor am = h.upload(h.onednn(), m, Layout::kReversed);
    DeviceTensor av = h.upload(h.onednn(), v, Layout::kOffset);
    ASSERT_EQ(h.run_views(h.onednn(), "adam_update", &adam, {ap.view(), dg.view(), am.view(), av.view()},
                          {ap.view(), am.view(), av.view()}, &message),
              KEEL_STATUS_OK)
        << message;
    expect_bits_equal(h.download(ap), adam_want[0], "adam param");
    expect_bits_equal(h.download(am), adam_want[1], "adam exp_avg");
    expect_bits_equal(h.download(av), adam_want[2], "adam exp_avg_sq");
  }
}

// The spec's constraints reach the caller as INVALID_ARGUMENT naming the problem; nothing runs.
TEST(OptimizerTest, InvalidCallsAreRejected) {
  Harness& h = Harness::get();
  std::mt19937_64 rng(233);
  const HostTensor p = random_tensor(KEEL_DTYPE_F32, {3}, Values::kFinite, rng);
  const HostTensor wrong = random_tensor(KEEL_DTYPE_F32, {4}, Values::kFinite, rng);
  DeviceTensor dp = h.upload(h.onednn(), p, Layout::kDense);
  DeviceTensor dw = h.upload(h.onednn(), wrong, Layout::kDense);
  DeviceTensor o1 = h.allocate(h.onednn(), KEEL_DTYPE_F32, {3}, Layout::kDense);
  DeviceTensor o2 = h.allocate(h.onednn(), KEEL_DTYPE_F32, {3}, Layout::kDense);
  DeviceTensor o3 = h.allocate(h.onednn(), KEEL_DTYPE_F32, {3}, Layout::kDense);
  std::string message;
  const keel_sgd_update_attrs_t sgd = sgd_attrs(0.1, 0, 0, 0, false, false);
  const DeviceTensor none;
  EXPECT_EQ(h.run(h.onednn(), "sgd_update", &sgd, {&dp, &dw, &none}, {&o1, &o2}, &message),
            KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("sgd_update"), std::string::npos) << message;
  const keel_adam_update_attrs_t step0 = adam_attrs(1e-3, 0, 0, false, false);
  EXPECT_EQ(h.run(h.onednn(), "adam_update", &step0, {&dp, &dp, &dp, &dp}, {&o1, &o2, &o3}, &message),
            KEEL_STATUS_INVALID_ARGUMENT);
  EXPECT_NE(message.find("step"), std::string::npos) << message;
  EXPECT_TRUE(h.guard_bytes_intact(o1) && h.guard_bytes_intact(o2) && h.guard_bytes_intact(o3));
  EXPECT_EQ(h.download(o1).bits(0) & 0xFF, kGuardByte) << "an output was written";
}

}  // namespace
}  // namespace keel::onednn_test
