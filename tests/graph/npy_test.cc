// .npy reading and writing (graph/io/npy.h): round trips for every supported dtype, the exact bytes numpy
// writes (header built here from the format description, not from the writer), and corrupt files.
#include "graph/io/npy.h"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "graph_test_util.h"

namespace keel::graph {
namespace {

using testing::throws_error;

// The file numpy.save writes: magic, version 1.0, u16 header length, the dict padded with spaces to a
// 64-byte boundary and ended by '\n', then the raw little-endian data.
std::vector<uint8_t> numpy_file(const std::string& dict, std::span<const uint8_t> data) {
  std::string header = dict;
  while ((10 + header.size() + 1) % 64 != 0) header += ' ';
  header += '\n';
  std::vector<uint8_t> out = {0x93,
                              'N',
                              'U',
                              'M',
                              'P',
                              'Y',
                              1,
                              0,
                              static_cast<uint8_t>(header.size() & 0xff),
                              static_cast<uint8_t>(header.size() >> 8)};
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), data.begin(), data.end());
  return out;
}

template <class T>
std::span<const uint8_t> raw(const std::vector<T>& v) {
  return {reinterpret_cast<const uint8_t*>(v.data()), v.size() * sizeof(T)};
}

TEST(Npy, WritesWhatNumpyWrites) {
  const std::vector<float> values = {1.5f, -2.0f, 0.25f, 3.0f, -0.0f, 1e-3f};
  const HostTensor t(KEEL_DTYPE_F32, {2, 3}, std::vector<uint8_t>(raw(values).begin(), raw(values).end()));
  EXPECT_EQ(write_npy_bytes(t), numpy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", raw(values)));

  const std::vector<int64_t> ints = {7, -9, 1LL << 40};
  const HostTensor v(KEEL_DTYPE_I64, {3}, std::vector<uint8_t>(raw(ints).begin(), raw(ints).end()));
  EXPECT_EQ(write_npy_bytes(v), numpy_file("{'descr': '<i8', 'fortran_order': False, 'shape': (3,), }", raw(ints)));

  const std::vector<uint8_t> flag = {1};
  const HostTensor s(KEEL_DTYPE_BOOL, {}, flag);
  EXPECT_EQ(write_npy_bytes(s), numpy_file("{'descr': '|b1', 'fortran_order': False, 'shape': (), }", flag));
}

TEST(Npy, ReadsNumpyFiles) {
  const std::vector<double> values = {0.1, 0.2, 0.3, 0.4};
  const HostTensor t =
      read_npy_bytes(numpy_file("{'descr': '<f8', 'fortran_order': False, 'shape': (4, 1), }", raw(values)));
  EXPECT_EQ(t.dtype(), KEEL_DTYPE_F64);
  EXPECT_EQ(t.shape(), (std::vector<int64_t>{4, 1}));
  for (int64_t i = 0; i < 4; ++i) EXPECT_EQ(t.get(i), values[static_cast<size_t>(i)]);

  // Format 2.0: a u32 header length; the dict may use double quotes and other key orders.
  std::string dict = "{\"shape\": (2,), \"fortran_order\": False, \"descr\": \"|u1\"}";
  while ((12 + dict.size() + 1) % 64 != 0) dict += ' ';
  dict += '\n';
  std::vector<uint8_t> v2 = {0x93, 'N', 'U', 'M', 'P', 'Y', 2, 0, static_cast<uint8_t>(dict.size()), 0, 0, 0};
  v2.insert(v2.end(), dict.begin(), dict.end());
  v2.push_back(200);
  v2.push_back(3);
  const HostTensor u = read_npy_bytes(v2);
  EXPECT_EQ(u.dtype(), KEEL_DTYPE_U8);
  EXPECT_EQ(u.to_ints(), (std::vector<int64_t>{200, 3}));
}

TEST(Npy, RoundTripsEveryDtype) {
  const keel_dtype_t dtypes[] = {KEEL_DTYPE_F16, KEEL_DTYPE_F32, KEEL_DTYPE_F64, KEEL_DTYPE_I8,
                                 KEEL_DTYPE_U8,  KEEL_DTYPE_I32, KEEL_DTYPE_I64, KEEL_DTYPE_BOOL};
  for (keel_dtype_t dtype : dtypes) {
    HostTensor t(dtype, {3, 2, 2});
    for (int64_t i = 0; i < t.numel(); ++i)
      t.set(i, dtype == KEEL_DTYPE_BOOL ? i % 3 == 0 : static_cast<double>(i % 7) - 2);
    const HostTensor back = read_npy_bytes(write_npy_bytes(t));
    EXPECT_TRUE(back.same_bits(t)) << dtype_text(dtype);
  }
  const HostTensor empty(KEEL_DTYPE_F32, {0, 5});
  EXPECT_TRUE(read_npy_bytes(write_npy_bytes(empty)).same_bits(empty));
}

TEST(Npy, Bf16IsAnError) {
  const HostTensor t(KEEL_DTYPE_BF16, {2});
  EXPECT_TRUE(throws_error([&] { write_npy_bytes(t); }, KEEL_STATUS_INVALID_ARGUMENT, {"bf16", "numpy"}));
}

TEST(Npy, RejectsCorruptFiles) {
  const std::vector<float> values = {1, 2, 3, 4, 5, 6};
  const std::vector<uint8_t> good =
      numpy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }", raw(values));
  auto rejects = [](std::vector<uint8_t> bytes, const std::string& part) {
    return throws_error([&] { read_npy_bytes(bytes); }, KEEL_STATUS_INVALID_ARGUMENT, {part});
  };
  EXPECT_TRUE(rejects({}, "bad magic"));
  std::vector<uint8_t> magic = good;
  magic[1] = 'X';
  EXPECT_TRUE(rejects(magic, "bad magic"));
  std::vector<uint8_t> version = good;
  version[6] = 9;
  EXPECT_TRUE(rejects(version, "format version 9"));
  EXPECT_TRUE(rejects(std::vector<uint8_t>(good.begin(), good.begin() + 40), "truncated header"));
  EXPECT_TRUE(rejects(std::vector<uint8_t>(good.begin(), good.end() - 1), "truncated data"));
  std::vector<uint8_t> extra = good;
  extra.push_back(0);
  EXPECT_TRUE(rejects(extra, "after the data"));
  EXPECT_TRUE(
      rejects(numpy_file("{'descr': '>f4', 'fortran_order': False, 'shape': (2, 3), }", raw(values)), "big-endian"));
  EXPECT_TRUE(rejects(numpy_file("{'descr': '<c8', 'fortran_order': False, 'shape': (3,), }", raw(values)),
                      "unsupported dtype"));
  EXPECT_TRUE(
      rejects(numpy_file("{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }", raw(values)), "Fortran"));
  EXPECT_TRUE(
      rejects(numpy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, -3), }", raw(values)), "non-negative"));
  EXPECT_TRUE(rejects(
      numpy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (99999999999, 99999999999), }", raw(values)),
      "overflows"));
  EXPECT_TRUE(rejects(numpy_file("{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3)", raw(values)), "header"));
  EXPECT_TRUE(rejects(numpy_file("{'descr': '<f4', 'shape': (6,), }", raw(values)), "lacks"));
  const std::vector<uint8_t> two = {2};
  EXPECT_TRUE(rejects(numpy_file("{'descr': '|b1', 'fortran_order': False, 'shape': (1,), }", two), "bool"));
  EXPECT_TRUE(throws_error([] { read_npy("/nonexistent/x.npy"); }, KEEL_STATUS_NOT_FOUND, {"x.npy"}));
}

}  // namespace
}  // namespace keel::graph
