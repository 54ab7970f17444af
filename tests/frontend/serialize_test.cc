// keel::serialize: the byte layout against docs/parameter-format.md (read back independently here, with a
// bitwise CRC-32), round trips of tensors and modules, and every error path: missing file, wrong magic,
// unsupported version, every truncation, corrupt bytes, and files that do not match the module.
#include "keel/serialize.hpp"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "keel/autograd.hpp"
#include "keel/nn.hpp"
#include "keel/tensor.hpp"

namespace keel {
namespace {

namespace fs = std::filesystem;
using serialize::NamedTensor;

// CRC-32 (IEEE), bit by bit.
uint32_t crc32_bitwise(const std::string& bytes) {
  uint32_t crc = 0xFFFFFFFFU;
  for (const char byte : bytes) {
    crc ^= static_cast<uint8_t>(byte);
    for (int k = 0; k < 8; ++k) crc = (crc >> 1) ^ (0xEDB88320U & (0U - (crc & 1U)));
  }
  return ~crc;
}

template <class T>
T read_le(const std::string& bytes, size_t offset) {
  uint64_t value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) value |= uint64_t(static_cast<uint8_t>(bytes.at(offset + i))) << (8 * i);
  return static_cast<T>(value);
}

template <class T>
void write_le(std::string& bytes, size_t offset, T value) {
  for (size_t i = 0; i < sizeof(T); ++i) bytes.at(offset + i) = static_cast<char>((uint64_t(value) >> (8 * i)) & 0xFF);
}

// Replaces the checksum after an edit, so that only the edit is wrong.
void reseal(std::string& bytes) {
  write_le<uint32_t>(bytes, bytes.size() - 4, crc32_bitwise(bytes.substr(0, bytes.size() - 4)));
}

// fn must throw keel::Error with `code` and a message containing `fragment`.
template <class Fn>
void expect_error(Fn&& fn, keel_status_code_t code, const std::string& fragment) {
  keel_status_code_t got = KEEL_STATUS_OK;
  std::string message = "(no error thrown)";
  try {
    fn();
  } catch (const Error& error) {
    got = error.code();
    message = error.what();
  }
  EXPECT_EQ(got, code) << message;
  EXPECT_NE(message.find(fragment), std::string::npos) << message;
}

class Serialize : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("keel_serialize_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  static void write(const std::string& file, const std::string& bytes) {
    std::ofstream(file, std::ios::binary) << bytes;
  }
  static std::string read(const std::string& file) {
    std::ifstream in(file, std::ios::binary);
    return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
  }

 private:
  fs::path dir_;
};

std::vector<NamedTensor> sample_tensors() {
  return {{"weights", tensor({1.5, -2.25, 3.0, 0.0, -0.0, 1e-30}, {2, 3})},
          {"f64", tensor({0.1, -1e300}, {2}, {.dtype = Dtype::f64})},
          {"ids", tensor({7, -3, 1LL << 40}, {3}, {.dtype = Dtype::i64})},
          {"flags", from_vector(std::vector<bool>{true, false, true}, {3})},
          {"half", tensor({1.0, 0.5}, {2}, {.dtype = Dtype::f16})},
          {"scalar", scalar(4.0)},
          {"empty", zeros({0, 4})}};
}

TEST_F(Serialize, ByteLayoutMatchesTheDocumentedFormat) {
  const std::string bytes = serialize::encode(std::vector<NamedTensor>{{"w", tensor({1.0, -2.0}, {1, 2})}});
  ASSERT_EQ(bytes.size(), 8 + 4 + 4 + 8 + (4 + 1 + 4 + 4 + 2 * 8 + 8 + 2 * 4) + 4);
  EXPECT_EQ(bytes.substr(0, 8), "KEELPARM");
  EXPECT_EQ(read_le<uint32_t>(bytes, 8), 1U);   // version
  EXPECT_EQ(read_le<uint32_t>(bytes, 12), 0U);  // flags
  EXPECT_EQ(read_le<uint64_t>(bytes, 16), 1U);  // tensor count
  EXPECT_EQ(read_le<uint32_t>(bytes, 24), 1U);  // name length
  EXPECT_EQ(bytes[28], 'w');
  EXPECT_EQ(read_le<uint32_t>(bytes, 29), 8U);  // dtype code of f32 (KEEL_DTYPE_F32)
  EXPECT_EQ(read_le<uint32_t>(bytes, 33), 2U);  // rank
  EXPECT_EQ(read_le<int64_t>(bytes, 37), 1);
  EXPECT_EQ(read_le<int64_t>(bytes, 45), 2);
  EXPECT_EQ(read_le<uint64_t>(bytes, 53), 8U);  // data bytes
  float data[2];
  std::memcpy(data, bytes.data() + 61, 8);
  EXPECT_EQ(data[0], 1.0f);
  EXPECT_EQ(data[1], -2.0f);
  EXPECT_EQ(read_le<uint32_t>(bytes, 69), crc32_bitwise(bytes.substr(0, 69)));
}

TEST_F(Serialize, TensorsRoundTripBitForBit) {
  const std::vector<NamedTensor> tensors = sample_tensors();
  serialize::save_tensors(path("t.keelp"), tensors);
  const std::vector<NamedTensor> loaded = serialize::load_tensors(path("t.keelp"));
  ASSERT_EQ(loaded.size(), tensors.size());
  for (size_t i = 0; i < tensors.size(); ++i) {
    const Tensor& want = tensors[i].tensor;
    const Tensor& got = loaded[i].tensor;
    EXPECT_EQ(loaded[i].name, tensors[i].name);
    EXPECT_EQ(got.dtype(), want.dtype()) << tensors[i].name;
    EXPECT_EQ(Shape(got.shape().begin(), got.shape().end()), Shape(want.shape().begin(), want.shape().end()));
    std::vector<char> a(size_t(want.numel()) * dtype_size(want.dtype())), b(a.size());
    if (!a.empty()) {
      detail::read_bytes(want, a.data());
      detail::read_bytes(got, b.data());
    }
    EXPECT_EQ(a, b) << tensors[i].name;
  }
  // A non-contiguous view is stored as its values.
  const Tensor base = arange(6.0).reshape({2, 3});
  const auto view = serialize::decode(serialize::encode(std::vector<NamedTensor>{{"t", base.transpose(0, 1)}}));
  EXPECT_EQ(view[0].tensor.to_vector<double>(), (std::vector<double>{0, 3, 1, 4, 2, 5}));
}

TEST_F(Serialize, ModuleRoundTripKeepsParameterHandles) {
  const auto make_model = [](uint64_t seed) {
    return std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
        std::make_shared<nn::Conv2d>(1, 2, 3, nn::Conv2dOptions{.seed = seed}), std::make_shared<nn::BatchNorm2d>(2),
        std::make_shared<nn::ReLU>(), std::make_shared<nn::Linear>(4, 3, nn::LinearOptions{.seed = seed + 1})});
  };
  auto source = make_model(1);
  {
    const autograd::NoGrad no_grad;
    source->state_entry("1.running_mean").copy_(tensor({0.25, -0.5}));
  }
  serialize::save(*source, path("m.keelp"));
  auto target = make_model(100);
  const Tensor handle = target->parameters()[0];
  serialize::load(*target, path("m.keelp"));
  const auto want = source->state(), got = target->state();
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i) {
    EXPECT_EQ(got[i].first, want[i].first);
    EXPECT_EQ(got[i].second.to_vector<double>(), want[i].second.to_vector<double>()) << want[i].first;
  }
  EXPECT_TRUE(handle.is_same(target->parameters()[0]));  // updated in place: optimizers keep working
  EXPECT_TRUE(target->parameters()[0].requires_grad());
}

TEST_F(Serialize, MissingFileAndHeaderErrors) {
  expect_error([&] { serialize::load_tensors(path("absent.keelp")); }, KEEL_STATUS_NOT_FOUND, "absent.keelp");
  const std::string good = serialize::encode(sample_tensors());

  std::string bad_magic = good;
  bad_magic[0] = 'X';
  write(path("magic.keelp"), bad_magic);
  expect_error([&] { serialize::load_tensors(path("magic.keelp")); }, KEEL_STATUS_DATA_LOSS,
               "not a Keel parameter file");
  expect_error([&] { serialize::decode("KEEL"); }, KEEL_STATUS_DATA_LOSS, "not a Keel parameter file");

  std::string newer = good;
  write_le<uint32_t>(newer, 8, 2);
  reseal(newer);
  expect_error([&] { serialize::decode(newer); }, KEEL_STATUS_UNIMPLEMENTED, "unsupported parameter format version 2");

  std::string flags = good;
  write_le<uint32_t>(flags, 12, 1);
  reseal(flags);
  expect_error([&] { serialize::decode(flags); }, KEEL_STATUS_DATA_LOSS, "unknown flags");
}

TEST_F(Serialize, EveryTruncationIsReported) {
  const std::string good = serialize::encode(sample_tensors());
  write(path("good.keelp"), good);
  EXPECT_EQ(read(path("good.keelp")), good);
  for (size_t size = 0; size < good.size(); ++size) {
    try {
      serialize::decode(good.substr(0, size), std::nullopt, "cut.keelp");
      ADD_FAILURE() << "a file cut to " << size << " bytes was accepted";
    } catch (const Error& error) {
      EXPECT_EQ(error.code(), KEEL_STATUS_DATA_LOSS) << size << ": " << error.what();
      const std::string what = error.what();
      EXPECT_NE(what.find("cut.keelp"), std::string::npos) << what;
      if (size >= 8) {
        EXPECT_NE(what.find("truncated"), std::string::npos) << size << ": " << what;
      }
    }
  }
}

TEST_F(Serialize, CorruptBytesAreReported) {
  const std::string good = serialize::encode(sample_tensors());
  // Any flipped data byte: the checksum.
  std::string flipped = good;
  flipped[good.find("weights") + 7 + 4 + 4 + 16 + 8 + 2] ^= 0x10;
  write(path("flip.keelp"), flipped);
  expect_error([&] { serialize::load_tensors(path("flip.keelp")); }, KEEL_STATUS_DATA_LOSS, "checksum mismatch");
  std::string checksum = good;
  checksum.back() ^= 0x01;
  expect_error([&] { serialize::decode(checksum); }, KEEL_STATUS_DATA_LOSS, "checksum mismatch");
  expect_error([&] { serialize::decode(good + "x"); }, KEEL_STATUS_DATA_LOSS, "unexpected bytes after the checksum");

  // Malformed records (resealed, so the structure check is what fails).
  const size_t record = 24;  // the first record: name length, "weights", dtype, rank, dims, size, data
  std::string dtype = good;
  write_le<uint32_t>(dtype, record + 4 + 7, 99);
  reseal(dtype);
  expect_error([&] { serialize::decode(dtype); }, KEEL_STATUS_DATA_LOSS, "unknown dtype code 99");
  std::string rank = good;
  write_le<uint32_t>(rank, record + 4 + 7 + 4, 40);
  reseal(rank);
  expect_error([&] { serialize::decode(rank); }, KEEL_STATUS_DATA_LOSS, "has rank 40");
  std::string size = good;
  write_le<uint64_t>(size, record + 4 + 7 + 4 + 4 + 16, 20);
  reseal(size);
  expect_error([&] { serialize::decode(size); }, KEEL_STATUS_DATA_LOSS, "declares 20 data bytes");
  std::string negative = good;
  write_le<int64_t>(negative, record + 4 + 7 + 4 + 4, -2);
  reseal(negative);
  expect_error([&] { serialize::decode(negative); }, KEEL_STATUS_DATA_LOSS, "impossible size -2");
  std::string name = good;
  write_le<uint32_t>(name, record, 0);
  reseal(name);
  expect_error([&] { serialize::decode(name); }, KEEL_STATUS_DATA_LOSS, "name length of 0");
}

TEST_F(Serialize, EncodeRejectsBadNames) {
  const Tensor t = zeros({2});
  expect_error(
      [&] {
        serialize::encode(std::vector<NamedTensor>{{"a", t}, {"a", t}});
      },
      KEEL_STATUS_INVALID_ARGUMENT, "'a' appears twice");
  expect_error(
      [&] {
        serialize::encode(std::vector<NamedTensor>{{"", t}});
      },
      KEEL_STATUS_INVALID_ARGUMENT, "names must have");
  expect_error(
      [&] {
        serialize::encode(std::vector<NamedTensor>{{"u", Tensor()}});
      },
      KEEL_STATUS_INVALID_ARGUMENT, "'u' is undefined");
}

TEST_F(Serialize, FilesThatDoNotMatchTheModule) {
  nn::Linear module(3, 2, {.seed = 5});
  const std::vector<double> before = module.weight.to_vector<double>();
  const auto expect_unchanged = [&] { EXPECT_EQ(module.weight.to_vector<double>(), before); };
  const Tensor w = zeros({2, 3}), b = zeros({2});

  serialize::save_tensors(path("missing.keelp"), std::vector<NamedTensor>{{"weight", w}});
  expect_error([&] { serialize::load(module, path("missing.keelp")); }, KEEL_STATUS_INVALID_ARGUMENT,
               "the module's 'bias' is missing from the file");
  serialize::save_tensors(path("extra.keelp"), std::vector<NamedTensor>{{"weight", w}, {"bias", b}, {"scale", b}});
  expect_error([&] { serialize::load(module, path("extra.keelp")); }, KEEL_STATUS_INVALID_ARGUMENT,
               "the file's 'scale' is not a parameter or buffer of the module");
  serialize::save_tensors(path("shape.keelp"), std::vector<NamedTensor>{{"weight", zeros({3, 2})}, {"bias", b}});
  expect_error([&] { serialize::load(module, path("shape.keelp")); }, KEEL_STATUS_INVALID_ARGUMENT,
               "'weight' has shape [3, 2] in the file, but the module's is [2, 3]");
  serialize::save_tensors(path("dtype.keelp"), std::vector<NamedTensor>{{"weight", w.to(Dtype::f64)}, {"bias", b}});
  expect_error([&] { serialize::load(module, path("dtype.keelp")); }, KEEL_STATUS_INVALID_ARGUMENT,
               "'weight' has dtype f64 in the file, but the module's is f32");
  expect_unchanged();
  // The weight would match, but nothing is written when another entry fails.
  serialize::save_tensors(path("partial.keelp"), std::vector<NamedTensor>{{"weight", w}, {"bias", zeros({3})}});
  expect_error([&] { serialize::load(module, path("partial.keelp")); }, KEEL_STATUS_INVALID_ARGUMENT, "'bias'");
  expect_unchanged();
}

}  // namespace
}  // namespace keel
