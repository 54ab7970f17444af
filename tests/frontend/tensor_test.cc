// keel::Tensor: creation, views without copies, element access, devices, the caching allocator, printing and
// errors. Expected values are written out or computed on the host independently.
#include <gtest/gtest.h>

#include <cmath>
#include <cstdlib>
#include <sstream>

#include "keel/ops.hpp"
#include "keel/tensor.hpp"

namespace keel {
namespace {

std::vector<double> values(const Tensor& t) { return t.to_vector<double>(); }
std::vector<int64_t> shape(const Tensor& t) { return {t.shape().begin(), t.shape().end()}; }

TEST(Tensor, CreationValues) {
  EXPECT_EQ(values(zeros({2, 2})), (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(values(ones({3}, {.dtype = Dtype::i32})), (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(values(full({2}, 2.5)), (std::vector<double>{2.5, 2.5}));
  EXPECT_EQ(values(arange(1.0, 2.0, 0.25)), (std::vector<double>{1, 1.25, 1.5, 1.75}));
  EXPECT_EQ(values(eye(2, 3)), (std::vector<double>{1, 0, 0, 0, 1, 0}));
  EXPECT_EQ(scalar(3.0).rank(), 0);
  EXPECT_EQ(values(tensor({1, 2, 3, 4}, {2, 2}, {.dtype = Dtype::i64})), (std::vector<double>{1, 2, 3, 4}));
  const std::vector<float> data = {1.5f, -2.0f};
  const Tensor t = from_vector(data, {2});
  EXPECT_EQ(t.dtype(), Dtype::f32);
  EXPECT_EQ(t.to_vector<float>(), data);
  EXPECT_EQ(from_vector(std::vector<bool>{true, false}, {2}).to_vector<int>(), (std::vector<int>{1, 0}));
}

TEST(Tensor, HalfAndBfloat16RoundTrip) {
  // Values exactly representable in both formats survive; 1/3 rounds to the nearest f16 (0x3555).
  const Tensor h = tensor({1.0, -0.5, 65504.0, 1.0 / 3.0}, {}, {.dtype = Dtype::f16});
  const std::vector<double> hv = values(h);
  EXPECT_EQ(hv[0], 1.0);
  EXPECT_EQ(hv[1], -0.5);
  EXPECT_EQ(hv[2], 65504.0);
  EXPECT_EQ(hv[3], 1365.0 / 4096.0);  // 0x3555 = 2^-2 · (1 + 341/1024)
  const Tensor b = tensor({1.0, 3.0, 1.0 / 3.0}, {}, {.dtype = Dtype::bf16});
  EXPECT_EQ(values(b)[1], 3.0);
  EXPECT_EQ(values(b)[2], 171.0 / 512.0);  // 0x3EAB = 2^-2 · (1 + 43/128)
}

TEST(Tensor, ViewsShareStorageWithoutCopies) {
  const Tensor x = arange(24.0).reshape({2, 3, 4});
  EXPECT_TRUE(x.is_contiguous());
  const Tensor p = x.permute({2, 0, 1});
  EXPECT_EQ(shape(p), (std::vector<int64_t>{4, 2, 3}));
  EXPECT_EQ(std::vector<int64_t>(p.strides().begin(), p.strides().end()), (std::vector<int64_t>{1, 12, 4}));
  EXPECT_FALSE(p.is_contiguous());
  EXPECT_EQ(p.impl()->storage, x.impl()->storage);
  // p[i][j][k] = x[j][k][i] = 12j + 4k + i
  const std::vector<double> pv = values(p);
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 2; ++j)
      for (int k = 0; k < 3; ++k) EXPECT_EQ(pv[size_t(i * 6 + j * 3 + k)], 12 * j + 4 * k + i);

  const Tensor s = x.slice(2, 3, -5, -2);  // indices 3, 1 along the last axis
  EXPECT_EQ(s.impl()->storage, x.impl()->storage);
  EXPECT_EQ(values(s.select(0, 1).select(0, 2)), (std::vector<double>{12 + 8 + 3, 12 + 8 + 1}));

  const Tensor e = tensor({1, 2, 3}).reshape({3, 1}).expand({3, 4});
  EXPECT_EQ(e.strides()[1], 0);
  EXPECT_EQ(values(e.sum({1})), (std::vector<double>{4, 8, 12}));
  const Tensor u = x.unsqueeze(1).squeeze();
  EXPECT_EQ(shape(u), shape(x));
  EXPECT_EQ(u.impl()->storage, x.impl()->storage);
  const Tensor f = x.flatten(1);
  EXPECT_EQ(shape(f), (std::vector<int64_t>{2, 12}));
  EXPECT_EQ(f.impl()->storage, x.impl()->storage);
}

TEST(Tensor, ReshapeOfStridedViewCopiesWhenItMust) {
  const Tensor x = arange(6.0).reshape({2, 3});
  const Tensor t = x.transpose(0, 1);                 // [3, 2], not contiguous
  const Tensor flat = t.reshape({6});                 // cannot be a view
  EXPECT_NE(flat.impl()->storage, x.impl()->storage);
  EXPECT_EQ(values(flat), (std::vector<double>{0, 3, 1, 4, 2, 5}));
  const Tensor split = t.reshape({3, 1, 2});          // splits a dimension: still a view
  EXPECT_EQ(split.impl()->storage, x.impl()->storage);
  const Tensor c = t.contiguous();
  EXPECT_TRUE(c.is_contiguous());
  EXPECT_EQ(values(c), (std::vector<double>{0, 3, 1, 4, 2, 5}));
}

TEST(Tensor, ItemAndToVector) {
  EXPECT_EQ(scalar(4.0).item<int>(), 4);
  EXPECT_DOUBLE_EQ(tensor({0.25}).item(), 0.25);
  try {
    (void)zeros({2}).item();
    FAIL() << "item() of two elements must throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), KEEL_STATUS_INVALID_ARGUMENT);
  }
}

TEST(Tensor, InPlaceAndVersion) {
  Tensor x = zeros({2, 2});
  const uint64_t v0 = x.version();
  x.fill_(3.0);
  EXPECT_EQ(values(x), (std::vector<double>{3, 3, 3, 3}));
  x.slice(1, 0, 1).copy_(tensor({7.0, 8.0}).reshape({2, 1}));
  EXPECT_EQ(values(x), (std::vector<double>{7, 3, 8, 3}));
  EXPECT_GT(x.version(), v0);
  x.set_data(ones({2, 2}));
  EXPECT_EQ(values(x), (std::vector<double>{1, 1, 1, 1}));
  EXPECT_THROW(x.set_data(ones({3})), Error);
  Tensor b = ones({1}).expand({3});
  EXPECT_THROW(b.fill_(2.0), Error);  // overlapping elements
}

TEST(Tensor, OperatorsWithScalarsAndBroadcast) {
  const Tensor a = tensor({1, 2, 3});
  const Tensor b = tensor({10, 20}).reshape({2, 1});
  EXPECT_EQ(values(a + b), (std::vector<double>{11, 12, 13, 21, 22, 23}));
  EXPECT_EQ(values(2.0 * a - 1.0), (std::vector<double>{1, 3, 5}));
  EXPECT_EQ(values(1.0 / tensor({2, 4})), (std::vector<double>{0.5, 0.25}));
  EXPECT_EQ(values(-a), (std::vector<double>{-1, -2, -3}));
  EXPECT_EQ(values(a.pow(2.0)), (std::vector<double>{1, 4, 9}));
}

TEST(Tensor, RandomNumbersAdvanceTheGenerator) {
  // The spec's published values (random.yaml: seed 42, offset 0).
  Generator g(42);
  const std::vector<double> u = values(rand({6}, g));
  const double expected[] = {0.6129598617553711, 0.4685865044593811, 0.07323169708251953,
                             0.3408614993095398, 0.9877186417579651, 0.32706332206726074};
  for (size_t i = 0; i < 6; ++i) EXPECT_DOUBLE_EQ(u[i], expected[i]);
  EXPECT_EQ(g.offset(), 2u);  // ceil(6 / 4) blocks
  const std::vector<double> n = values(randn({3}, g));
  EXPECT_EQ(g.offset(), 4u);  // ceil(3 / 2) more
  // Replaying from offset 2 gives the same normals; fresh offsets give different ones.
  Generator replay(42, 2);
  EXPECT_EQ(values(randn({3}, replay)), n);
  EXPECT_NE(values(randn({3}, replay)), n);
  Generator normal(42);
  const std::vector<double> z = values(randn({4}, normal));
  EXPECT_NEAR(z[0], -0.97018969, 1e-7);
  EXPECT_NEAR(z[3], -1.1066649, 1e-7);
}

TEST(Tensor, DeviceSelection) {
  EXPECT_EQ(device("reference:0").name(), "reference:0");
  EXPECT_EQ(device("reference").name(), "reference:0");
  try {
    (void)device("nonexistent:0");
    FAIL();
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), KEEL_STATUS_NOT_FOUND);
  }
  const Tensor x = ones({2});
  EXPECT_EQ(x.device().get(), default_device().get());
  EXPECT_TRUE(x.to(x.device()).is_same(x));
  for (const Device& d : devices()) {
    const Tensor moved = x.to(d);
    EXPECT_EQ(moved.device().get(), d.get());
    EXPECT_EQ(values(moved), values(x));
  }
}

TEST(Tensor, CachingAllocatorReusesBlocks) {
  const Device d = default_device();
  const Tensor keep = ones({1});  // keeps the device's cache alive between the allocations below
  const CacheStats before = cache_stats(d);
  for (int i = 0; i < 10; ++i) {
    const Tensor t = zeros({1000});
    EXPECT_EQ(t.numel(), 1000);
  }
  const CacheStats after = cache_stats(d);
  EXPECT_GE(after.hits - before.hits, 9u);
  EXPECT_LE(after.misses - before.misses, 1u);
  EXPECT_GT(after.cached_bytes, 0u);
  empty_cache();
  EXPECT_EQ(cache_stats(d).cached_bytes, 0u);
}

TEST(Tensor, Printing) {
  std::ostringstream out;
  out << tensor({1, 2, 3, 4}, {2, 2}, {.dtype = Dtype::i32});
  EXPECT_EQ(out.str(), "tensor([[1, 2], [3, 4]], dtype=i32, shape=[2,2], device=" + default_device().name() + ")");
  const std::string long_text = to_string(arange(20.0));
  EXPECT_NE(long_text.find("[0, 1, 2, ..., 17, 18, 19]"), std::string::npos) << long_text;
  EXPECT_NE(to_string(ones({1}, {.requires_grad = true})).find("requires_grad=true"), std::string::npos);
}

TEST(Tensor, ErrorsCarryTheStatus) {
  try {
    (void)(ones({2}) + ones({3}));
    FAIL() << "mismatched shapes must throw";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), KEEL_STATUS_INVALID_ARGUMENT);
    EXPECT_NE(std::string(e.what()).find("add"), std::string::npos) << e.what();
  }
  EXPECT_THROW((void)(ones({2}) + ones({2}, {.dtype = Dtype::f64})), Error);  // no implicit promotion
}

TEST(Tensor, KeelDeviceSelectsTheDefault) {
  // A fresh runtime reads KEEL_DEVICE when it chooses its default.
  RuntimeOptions options;
  options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR};
  options.use_env_path = false;
  options.use_manifests = false;
  const char* previous = std::getenv("KEEL_DEVICE");
  const std::string saved = previous != nullptr ? previous : "";
  setenv("KEEL_DEVICE", "reference:0", 1);
  configure(options);
  EXPECT_EQ(default_device().name(), "reference:0");
  setenv("KEEL_DEVICE", "nonexistent:3", 1);
  configure(options);
  EXPECT_THROW((void)default_device(), Error);
  if (previous != nullptr) {
    setenv("KEEL_DEVICE", saved.c_str(), 1);
  } else {
    unsetenv("KEEL_DEVICE");
  }
  configure(options);
  set_default_device(device(saved.empty() ? "reference:0" : saved));
}

}  // namespace
}  // namespace keel
