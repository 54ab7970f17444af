// Corrupt and hostile serialized graphs: each must be rejected with keel::Error whose message names the
// problem, never with a crash, another exception type or an allocation the input does not justify (the CI
// runs this under AddressSanitizer, which also catches out-of-bounds reads).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <string>
#include <vector>

#include "graph/serialize/encoding.h"
#include "graph/serialize/graph_file.h"
#include "graph_test_util.h"

namespace keel::graph {
namespace {

using testing::make_mlp;
using testing::throws_error;

// Layout of the binary form (graph/serialize/binary_format.cc); each section starts with a u32 tag and a
// u64 payload size (12 bytes).
constexpr size_t kHeader = 24;   // magic, version u32, flags u32, body length u64
constexpr size_t kTrailer = 4;   // CRC-32 of the body

template <class T>
void poke(std::vector<uint8_t>& bytes, size_t at, T value) {
  ASSERT_LE(at + sizeof(T), bytes.size());
  std::memcpy(bytes.data() + at, &value, sizeof(T));
}

// Recomputes the trailing checksum so that a deliberate corruption reaches the section parsers.
void reseal(std::vector<uint8_t>& bytes) {
  const std::span<const uint8_t> body(bytes.data() + kHeader, bytes.size() - kHeader - kTrailer);
  const uint32_t crc = crc32(body);
  std::memcpy(bytes.data() + bytes.size() - kTrailer, &crc, sizeof crc);
}

// Offset of the payload of the section tagged `tag` ("VALS"), found by walking the section headers.
size_t section_payload(const std::vector<uint8_t>& bytes, const char (&tag)[5]) {
  size_t at = kHeader;
  while (at + 12 <= bytes.size() - kTrailer) {
    uint64_t size = 0;
    std::memcpy(&size, bytes.data() + at + 4, sizeof size);
    if (std::memcmp(bytes.data() + at, tag, 4) == 0) return at + 12;
    at += 12 + static_cast<size_t>(size);
  }
  ADD_FAILURE() << "no section " << tag;
  return 0;
}

TEST(GraphHostileBinary, EveryTruncationIsRejected) {
  const std::vector<uint8_t> bytes = to_binary(make_mlp());
  for (size_t size = 0; size < bytes.size(); ++size) {
    const std::vector<uint8_t> prefix(bytes.begin(), bytes.begin() + static_cast<std::ptrdiff_t>(size));
    // Short prefixes fail on a header read, longer ones on the declared body length; both say "truncated".
    EXPECT_TRUE(throws_error([&] { from_binary(prefix); }, KEEL_STATUS_DATA_LOSS, {"graph binary", "truncated"}))
        << "prefix of " << size << " bytes";
  }
}

TEST(GraphHostileBinary, TruncationMessageSaysHowMuchIsMissing) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  const size_t full = bytes.size();
  bytes.resize(full - 10);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_DATA_LOSS,
                           {"declares a body of " + std::to_string(full - kHeader - kTrailer) + " bytes",
                            "the file holds " + std::to_string(full - 10 - kHeader - kTrailer), "truncated"}));
}

TEST(GraphHostileBinary, TrailingBytesAreRejected) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  bytes.push_back(0);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_DATA_LOSS, {"trailing bytes"}));
}

TEST(GraphHostileBinary, WrongMagic) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  bytes[0] = 'X';
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_INVALID_ARGUMENT, {"bad magic", "byte 8"}));
}

TEST(GraphHostileBinary, NewerFormatVersion) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  poke<uint32_t>(bytes, 8, kGraphFormatVersion + 1);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"format version " + std::to_string(kGraphFormatVersion + 1) + " is not supported",
                            "reads version " + std::to_string(kGraphFormatVersion)}));
}

TEST(GraphHostileBinary, UnknownHeaderFlags) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  poke<uint32_t>(bytes, 12, 1);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_INVALID_ARGUMENT, {"unknown header flags"}));
}

TEST(GraphHostileBinary, HugeDeclaredBodyLength) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  poke<uint64_t>(bytes, 16, ~uint64_t{0});
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_DATA_LOSS,
                           {"declares a body of " + std::to_string(~uint64_t{0}) + " bytes"}));
}

TEST(GraphHostileBinary, ChecksumMismatch) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  bytes[kHeader + 20] ^= 0x40;
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_DATA_LOSS, {"checksum mismatch"}));
}

TEST(GraphHostileBinary, HugeSectionSize) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  poke<uint64_t>(bytes, kHeader + 4, uint64_t{1} << 62);  // the first section's size
  reseal(bytes);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_DATA_LOSS,
                           {"truncated", std::to_string(uint64_t{1} << 62) + " bytes needed"}));
}

TEST(GraphHostileBinary, HugeValueCount) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  poke<uint32_t>(bytes, section_payload(bytes, "VALS"), 0xffffffffu);
  reseal(bytes);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"section VALS", "declares 4294967295 values"}));
}

TEST(GraphHostileBinary, HugeStringLength) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  poke<uint32_t>(bytes, section_payload(bytes, "VALS") + 4, 0x7fffffffu);  // the first value's name
  reseal(bytes);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"section VALS", "string of 2147483647 bytes is above the limit"}));
}

TEST(GraphHostileBinary, ConstantSizeDisagreesWithItsType) {
  Graph g = make_mlp();
  std::vector<uint8_t> bytes = to_binary(g);
  // The u64 byte count written just before the data of constant 'w'.
  const HostTensor& w = *g.value(g.find_value("w")).constant;
  auto data = std::search(bytes.begin(), bytes.end(), w.bytes().begin(), w.bytes().end());
  ASSERT_NE(bytes.end(), data);
  const size_t at = static_cast<size_t>(data - bytes.begin()) - sizeof(uint64_t);
  poke<uint64_t>(bytes, at, uint64_t{1} << 40);
  reseal(bytes);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"constant 'w' declares " + std::to_string(uint64_t{1} << 40) + " bytes", "f32[3,4]",
                            "needs 48"}));
}

TEST(GraphHostileBinary, MissingSection) {
  std::vector<uint8_t> bytes = to_binary(make_mlp());
  std::memcpy(bytes.data() + section_payload(bytes, "NODE") - 12, "NOPE", 4);
  reseal(bytes);
  EXPECT_TRUE(throws_error([&] { from_binary(bytes); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"required section NODE is missing"}));
}

TEST(GraphHostileBinary, EveryCorruptedByteIsHandled) {
  // Each byte of the body in turn set to 0xff, with the checksum fixed up so the parsers see it: the load
  // either succeeds (the byte was data) or throws keel::Error; anything else fails the test.
  const std::vector<uint8_t> original = to_binary(make_mlp());
  size_t rejected = 0;
  for (size_t at = kHeader; at < original.size() - kTrailer; ++at) {
    std::vector<uint8_t> bytes = original;
    bytes[at] = 0xff;
    reseal(bytes);
    try {
      (void)from_binary(bytes);
    } catch (const Error& error) {
      ++rejected;
      EXPECT_FALSE(error_text(error).empty());
    }
  }
  EXPECT_GT(rejected, 0u);
}

// ---- Structural problems, in both forms ----------------------------------------------------------------

// relu(b) -> a, relu(a) -> b: a cycle with no way in.
Graph make_cycle() {
  Graph g;
  g.name = "cycle";
  const ValueId a = g.add_value("a", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{2}));
  const ValueId b = g.add_value("b", ValueType::of(KEEL_DTYPE_F32, std::vector<int64_t>{2}));
  Node first;
  first.name = "first";
  first.op = "relu";
  first.inputs = {b};
  first.outputs = {a};
  g.add_node(std::move(first));
  Node second;
  second.name = "second";
  second.op = "relu";
  second.inputs = {a};
  second.outputs = {b};
  g.add_node(std::move(second));
  g.outputs = {b};
  return g;
}

TEST(GraphHostileStructure, CycleIsRejectedNamingItsNodes) {
  const Graph g = make_cycle();
  const std::vector<std::string> parts = {"graph 'cycle'", "cycle", "'first'", "'second'"};
  EXPECT_TRUE(throws_error([&] { from_binary(to_binary(g)); }, KEEL_STATUS_INVALID_ARGUMENT, parts));
  EXPECT_TRUE(throws_error([&] { from_json(to_json(g)); }, KEEL_STATUS_INVALID_ARGUMENT, parts));
}

TEST(GraphHostileStructure, UnknownOperator) {
  Graph g = make_mlp();
  g.nodes[1].op = "frobnicate";
  const std::vector<std::string> parts = {"node 'bias' (frobnicate)", "no spec operator is named 'frobnicate'"};
  EXPECT_TRUE(throws_error([&] { from_binary(to_binary(g)); }, KEEL_STATUS_INVALID_ARGUMENT, parts));
  EXPECT_TRUE(throws_error([&] { from_json(to_json(g)); }, KEEL_STATUS_INVALID_ARGUMENT, parts));
}

TEST(GraphHostileStructure, UnsupportedOperatorVersion) {
  Graph g = make_mlp();
  g.nodes[2].version = 9;
  EXPECT_TRUE(throws_error([&] { from_binary(to_binary(g)); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"node 'act' (relu)", "version 9 of relu is not supported"}));
}

TEST(GraphHostileStructure, DanglingValueIndex) {
  Graph g = make_mlp();
  g.nodes[0].inputs[1] = 1000;
  EXPECT_TRUE(throws_error([&] { from_binary(to_binary(g)); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"node 'mm' (matmul) reads value #1000, which does not exist"}));
}

TEST(GraphHostileStructure, TwoProducersOfOneValue) {
  Graph g = make_mlp();
  g.nodes[2].outputs = g.nodes[1].outputs;
  EXPECT_TRUE(throws_error([&] { from_binary(to_binary(g)); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"already has a producer"}));
}

// ---- JSON-specific problems -------------------------------------------------------------------------------

TEST(GraphHostileJson, NotJson) {
  EXPECT_TRUE(throws_error([] { from_json("{\"format\": \"keel-graph\", "); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"graph JSON: not valid JSON"}));
  EXPECT_TRUE(throws_error([] { from_json(""); }, KEEL_STATUS_INVALID_ARGUMENT, {"not valid JSON"}));
}

TEST(GraphHostileJson, WrongFormatAndVersion) {
  std::string json = to_json(make_mlp());
  std::string other = json;
  other.replace(other.find("keel-graph"), 10, "onnx-graph");
  EXPECT_TRUE(throws_error([&] { from_json(other); }, KEEL_STATUS_INVALID_ARGUMENT, {"not a Keel graph"}));
  const std::string version = "\"version\": " + std::to_string(kGraphFormatVersion);
  ASSERT_NE(std::string::npos, json.find(version));
  json.replace(json.find(version), version.size(), "\"version\": 99");
  EXPECT_TRUE(throws_error([&] { from_json(json); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"format version 99 is not supported"}));
}

TEST(GraphHostileJson, UndeclaredValueAndBadData) {
  std::string json = to_json(make_mlp());
  std::string undeclared = json;
  // The graph's input list (nodes' lists are indented deeper).
  const std::string inputs = "\"inputs\": [\n    \"x\"";
  ASSERT_NE(std::string::npos, undeclared.find(inputs));
  undeclared.replace(undeclared.find(inputs), inputs.size(), "\"inputs\": [\n    \"q\"");
  EXPECT_TRUE(throws_error([&] { from_json(undeclared); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"inputs[0]", "refers to value 'q', which is not declared"}));
  // Constant data one element short of f32[4] (b).
  Graph g = make_mlp();
  const std::string b64 = base64_encode(g.value(g.find_value("b")).constant->bytes());
  const std::string shorter = base64_encode(std::span(g.value(g.find_value("b")).constant->data(), 12));
  json.replace(json.find(b64), b64.size(), shorter);
  EXPECT_TRUE(throws_error([&] { from_json(json); }, KEEL_STATUS_INVALID_ARGUMENT,
                           {"values[2]", "holds 12 bytes, f32[4] needs 16"}));
}

}  // namespace
}  // namespace keel::graph
