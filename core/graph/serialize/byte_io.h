// Bounds-checked little-endian reading and writing for the binary graph form. Every read checks the bytes
// left first, and every count is checked against them before anything is allocated, so a hostile length
// cannot make the reader allocate more than the input holds.
#pragma once

#include <cstdint>
#include <cstring>
#include <span>
#include <string>
#include <vector>

#include "graph/ir/errors.h"

namespace keel::graph {

class ByteWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u32(uint32_t v) { raw(&v, sizeof v); }
  void i32(int32_t v) { raw(&v, sizeof v); }
  void u64(uint64_t v) { raw(&v, sizeof v); }
  void i64(int64_t v) { raw(&v, sizeof v); }
  void f64(double v) { raw(&v, sizeof v); }
  void str(const std::string& s) {
    u32(static_cast<uint32_t>(s.size()));
    raw(s.data(), s.size());
  }
  void raw(const void* data, size_t size) {
    const auto* p = static_cast<const uint8_t*>(data);
    bytes_.insert(bytes_.end(), p, p + size);
  }
  std::vector<uint8_t>& bytes() { return bytes_; }

 private:
  std::vector<uint8_t> bytes_;
};

class ByteReader {
 public:
  // `what` names the input in messages ("graph binary: section NODE").
  ByteReader(std::span<const uint8_t> bytes, std::string what, size_t base_offset = 0)
      : bytes_(bytes), what_(std::move(what)), base_(base_offset) {}

  size_t remaining() const { return bytes_.size() - pos_; }
  size_t offset() const { return base_ + pos_; }
  bool done() const { return pos_ == bytes_.size(); }

  uint8_t u8() { return read<uint8_t>(); }
  uint32_t u32() { return read<uint32_t>(); }
  int32_t i32() { return read<int32_t>(); }
  uint64_t u64() { return read<uint64_t>(); }
  int64_t i64() { return read<int64_t>(); }
  double f64() { return read<double>(); }
  std::string str(uint32_t limit = 1u << 20) {
    const uint32_t size = u32();
    if (size > limit) bad("a string of " + std::to_string(size) + " bytes is above the limit of " + std::to_string(limit));
    need(size);
    std::string s(reinterpret_cast<const char*>(bytes_.data() + pos_), size);
    pos_ += size;
    return s;
  }
  std::span<const uint8_t> take(uint64_t size) {
    need(size);
    std::span<const uint8_t> s = bytes_.subspan(pos_, static_cast<size_t>(size));
    pos_ += static_cast<size_t>(size);
    return s;
  }
  // A count of items that each take at least `min_item_bytes`: rejected when the rest cannot hold them.
  uint32_t count(size_t min_item_bytes, const char* of) {
    const uint32_t n = u32();
    if (min_item_bytes > 0 && n > remaining() / min_item_bytes) {
      bad(std::string("declares ") + std::to_string(n) + " " + of + ", more than the " +
          std::to_string(remaining()) + " bytes left can hold");
    }
    return n;
  }
  [[noreturn]] void bad(const std::string& message) const {
    fail(KEEL_STATUS_INVALID_ARGUMENT, what_ + " at byte " + std::to_string(offset()) + ": " + message);
  }

 private:
  void need(uint64_t size) const {
    if (size > remaining()) {
      fail(KEEL_STATUS_DATA_LOSS, what_ + " is truncated: " + std::to_string(size) + " bytes needed at byte " +
                                      std::to_string(offset()) + ", " + std::to_string(remaining()) + " left");
    }
  }
  template <class T>
  T read() {
    need(sizeof(T));
    T v;
    std::memcpy(&v, bytes_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }

  std::span<const uint8_t> bytes_;
  std::string what_;
  size_t base_;
  size_t pos_ = 0;
};

}  // namespace keel::graph
