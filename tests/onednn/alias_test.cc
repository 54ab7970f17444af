// Calls whose output overlaps an input: elementwise in-place updates (the identical view), and overlaps
// that need the result computed aside first (a transpose into its own input, matmul writing over an operand,
// a shifted copy within one buffer). Expected results come from the reference on separate buffers.
#include <gtest/gtest.h>

#include <random>

#include "oracle.h"

namespace keel::onednn_test {
namespace {

HostTensor reference_result(const char* op, const void* attrs, const std::vector<HostTensor>& inputs) {
  Harness& h = Harness::get();
  std::vector<std::pair<keel_dtype_t, Dims>> metas;
  for (const HostTensor& in : inputs) metas.emplace_back(in.dtype, in.shape);
  const auto out_meta = h.infer(op, attrs, metas);
  std::vector<DeviceTensor> dev;
  for (const HostTensor& in : inputs) dev.push_back(h.upload(h.reference(), in, Layout::kDense));
  DeviceTensor out = h.allocate(h.reference(), out_meta[0].first, out_meta[0].second, Layout::kDense);
  std::vector<const DeviceTensor*> ptrs;
  for (const DeviceTensor& t : dev) ptrs.push_back(&t);
  std::string message;
  EXPECT_EQ(h.run(h.reference(), op, attrs, ptrs, {&out}, &message), KEEL_STATUS_OK) << message;
  return h.download(out);
}

void expect_bits_equal(const HostTensor& got, const HostTensor& want) {
  ASSERT_EQ(got.count(), want.count());
  for (int64_t i = 0; i < got.count(); ++i) EXPECT_EQ(got.bits(i), want.bits(i)) << "element " << i;
}

TEST(AliasTest, ElementwiseInPlaceUpdate) {
  Harness& h = Harness::get();
  std::mt19937_64 rng(101);
  for (const Dims& shape : {Dims{5, 7}, Dims{300, 300}}) {
    const HostTensor a = random_tensor(KEEL_DTYPE_F32, shape, Values::kFinite, rng);
    const HostTensor b = random_tensor(KEEL_DTYPE_F32, shape, Values::kFinite, rng);
    const HostTensor want = reference_result("add", nullptr, {a, b});
    DeviceTensor da = h.upload(h.onednn(), a, Layout::kStrided);
    DeviceTensor db = h.upload(h.onednn(), b, Layout::kDense);
    std::string message;
    ASSERT_EQ(h.run_views(h.onednn(), "add", nullptr, {da.view(), db.view()}, {da.view()}, &message), KEEL_STATUS_OK)
        << message;
    expect_bits_equal(h.download(da), want);
  }
}

TEST(AliasTest, TransposeIntoItsOwnBuffer) {
  Harness& h = Harness::get();
  std::mt19937_64 rng(103);
  for (const int64_t n : {int64_t{6}, int64_t{200}}) {
    const HostTensor x = random_tensor(KEEL_DTYPE_F32, {n, n}, Values::kSpecial, rng);
    const std::vector<int64_t> perm = {1, 0};
    const keel_permute_attrs_t attrs = {sizeof(keel_permute_attrs_t), perm.data(), perm.size()};
    const HostTensor want = reference_result("permute", &attrs, {x});
    DeviceTensor dx = h.upload(h.onednn(), x, Layout::kDense);
    std::string message;
    ASSERT_EQ(h.run_views(h.onednn(), "permute", &attrs, {dx.view()}, {dx.view()}, &message), KEEL_STATUS_OK) << message;
    expect_bits_equal(h.download(dx), want);
  }
}

TEST(AliasTest, MatmulWritingOverAnOperand) {
  Harness& h = Harness::get();
  std::mt19937_64 rng(107);
  for (const int64_t n : {int64_t{4}, int64_t{96}}) {
    const HostTensor a = random_tensor(KEEL_DTYPE_F32, {n, n}, Values::kFinite, rng);
    const HostTensor b = random_tensor(KEEL_DTYPE_F32, {n, n}, Values::kFinite, rng);
    const HostTensor want = reference_result("matmul", nullptr, {a.converted(KEEL_DTYPE_F64), b.converted(KEEL_DTYPE_F64)});
    DeviceTensor da = h.upload(h.onednn(), a, Layout::kDense);
    DeviceTensor db = h.upload(h.onednn(), b, Layout::kDense);
    std::string message;
    ASSERT_EQ(h.run_views(h.onednn(), "matmul", nullptr, {da.view(), db.view()}, {db.view()}, &message), KEEL_STATUS_OK)
        << message;
    const HostTensor got = h.download(db);
    for (int64_t i = 0; i < got.count(); ++i) {
      EXPECT_NEAR(static_cast<double>(got.get(i)), static_cast<double>(want.get(i)), 1e-3 * n) << "element " << i;
    }
  }
}

// y = x[0:9] written to x[1:10] of the same buffer: every element must come from x before the call.
TEST(AliasTest, ShiftedCopyWithinOneBuffer) {
  Harness& h = Harness::get();
  HostTensor x = HostTensor::zeros(KEEL_DTYPE_I32, {10});
  for (int64_t i = 0; i < 10; ++i) x.set(i, i * 11);
  DeviceTensor dx = h.upload(h.onednn(), x, Layout::kDense);
  const std::vector<int64_t> starts = {0}, ends = {9};
  const keel_slice_attrs_t attrs = {sizeof(keel_slice_attrs_t), starts.data(), 1, ends.data(), 1, nullptr, 0, nullptr, 0};
  keel_tensor_t out = dx.view();
  out.shape[0] = 9;
  out.byte_offset = 4;
  std::string message;
  ASSERT_EQ(h.run_views(h.onednn(), "slice", &attrs, {dx.view()}, {out}, &message), KEEL_STATUS_OK) << message;
  const HostTensor got = h.download(dx);
  EXPECT_EQ(got.get(0), 0);
  for (int64_t i = 1; i < 10; ++i) EXPECT_EQ(got.get(i), (i - 1) * 11) << "element " << i;
}

}  // namespace
}  // namespace keel::onednn_test
