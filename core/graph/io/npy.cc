#include "graph/io/npy.h"

#include <cctype>
#include <cstring>
#include <string_view>

#include "graph/ir/errors.h"
#include "graph/serialize/graph_file.h"

namespace keel::graph {
namespace {

constexpr uint8_t kMagic[6] = {0x93, 'N', 'U', 'M', 'P', 'Y'};

struct DescrEntry {
  const char* descr;
  keel_dtype_t dtype;
};

// '|' marks single-byte types (no byte order); numpy also accepts '<' there, and '=' on little-endian hosts.
constexpr DescrEntry kDescrs[] = {
    {"<f2", KEEL_DTYPE_F16}, {"<f4", KEEL_DTYPE_F32}, {"<f8", KEEL_DTYPE_F64}, {"|i1", KEEL_DTYPE_I8},
    {"|u1", KEEL_DTYPE_U8},  {"<i4", KEEL_DTYPE_I32}, {"<i8", KEEL_DTYPE_I64}, {"|b1", KEEL_DTYPE_BOOL},
};

[[noreturn]] void bad(const std::string& message) { fail_invalid(".npy: " + message); }

keel_dtype_t dtype_of_descr(std::string_view descr) {
  if (descr.size() == 3 && (descr[0] == '=' || descr[0] == '<' || descr[0] == '|')) {
    for (const DescrEntry& entry : kDescrs) {
      if (descr.substr(1) == std::string_view(entry.descr + 1)) {
        // A multi-byte type needs a byte order; '|' is only right for single-byte types.
        if (descr[0] == '|' && entry.descr[0] != '|') break;
        return entry.dtype;
      }
    }
  }
  if (!descr.empty() && descr[0] == '>') bad("big-endian data ('" + std::string(descr) + "') is not supported");
  bad("unsupported dtype '" + std::string(descr) + "' (supported: f16 f32 f64 i8 u8 i32 i64 bool)");
}

const char* descr_of_dtype(keel_dtype_t dtype) {
  for (const DescrEntry& entry : kDescrs) {
    if (entry.dtype == dtype) return entry.descr;
  }
  fail_invalid(std::string(".npy: dtype ") + dtype_text(dtype) + " has no numpy equivalent");
}

// A tiny reader of the header's Python dict literal: {'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }
class HeaderParser {
 public:
  explicit HeaderParser(std::string_view text) : text_(text) {}

  void parse(std::string* descr, bool* fortran, std::vector<int64_t>* shape) {
    bool have_descr = false, have_order = false, have_shape = false;
    expect('{');
    while (true) {
      skip_space();
      if (peek() == '}') break;
      const std::string key = quoted();
      expect(':');
      if (key == "descr") {
        *descr = quoted();
        have_descr = true;
      } else if (key == "fortran_order") {
        *fortran = boolean();
        have_order = true;
      } else if (key == "shape") {
        *shape = tuple();
        have_shape = true;
      } else {
        bad("unknown header key '" + key + "'");
      }
      skip_space();
      if (peek() == ',') ++pos_;
    }
    if (!have_descr || !have_order || !have_shape) bad("header lacks 'descr', 'fortran_order' or 'shape'");
  }

 private:
  char peek() {
    if (pos_ >= text_.size()) bad("header ends early");
    return text_[pos_];
  }
  void skip_space() {
    while (pos_ < text_.size() && std::isspace(static_cast<unsigned char>(text_[pos_]))) ++pos_;
  }
  void expect(char c) {
    skip_space();
    if (peek() != c) bad(std::string("header: expected '") + c + "' at offset " + std::to_string(pos_));
    ++pos_;
  }
  std::string quoted() {
    skip_space();
    const char quote = peek();
    if (quote != '\'' && quote != '"') bad("header: expected a quoted string at offset " + std::to_string(pos_));
    const size_t end = text_.find(quote, pos_ + 1);
    if (end == std::string_view::npos) bad("header: unterminated string");
    std::string out(text_.substr(pos_ + 1, end - pos_ - 1));
    pos_ = end + 1;
    return out;
  }
  bool boolean() {
    skip_space();
    if (text_.substr(pos_, 4) == "True") {
      pos_ += 4;
      return true;
    }
    if (text_.substr(pos_, 5) == "False") {
      pos_ += 5;
      return false;
    }
    bad("header: fortran_order is not True or False");
  }
  std::vector<int64_t> tuple() {
    expect('(');
    std::vector<int64_t> dims;
    while (true) {
      skip_space();
      if (peek() == ')') break;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) bad("header: shape entries must be non-negative integers");
      int64_t dim = 0;
      while (pos_ < text_.size() && std::isdigit(static_cast<unsigned char>(text_[pos_]))) {
        if (dim > (INT64_MAX - 9) / 10) bad("header: a dimension is too large");
        dim = dim * 10 + (text_[pos_++] - '0');
      }
      dims.push_back(dim);
      skip_space();
      if (peek() == ',') ++pos_;
      if (dims.size() > KEEL_MAX_RANK) bad("header: rank above " + std::to_string(KEEL_MAX_RANK));
    }
    ++pos_;
    return dims;
  }

  std::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

HostTensor read_npy_bytes(std::span<const uint8_t> bytes) {
  if (bytes.size() < 10 || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) bad("not a .npy file (bad magic)");
  const uint8_t major = bytes[6];
  size_t header_len = 0, header_start = 0;
  if (major == 1) {
    header_len = size_t{bytes[8]} | size_t{bytes[9]} << 8;
    header_start = 10;
  } else if (major == 2 || major == 3) {
    if (bytes.size() < 12) bad("truncated header length");
    header_len = size_t{bytes[8]} | size_t{bytes[9]} << 8 | size_t{bytes[10]} << 16 | size_t{bytes[11]} << 24;
    header_start = 12;
  } else {
    bad("unsupported format version " + std::to_string(major) + "." + std::to_string(bytes[7]));
  }
  if (header_len > bytes.size() - header_start)
    bad("truncated header (" + std::to_string(header_len) + " bytes declared)");
  const std::string_view header(reinterpret_cast<const char*>(bytes.data() + header_start), header_len);

  std::string descr;
  bool fortran = false;
  std::vector<int64_t> shape;
  HeaderParser(header).parse(&descr, &fortran, &shape);
  const keel_dtype_t dtype = dtype_of_descr(descr);
  const int64_t count = element_count(shape);
  if (count < 0) bad("shape " + format_shape(shape) + " overflows");
  if (fortran && shape.size() > 1) bad("Fortran-order arrays are not supported (save with C order)");

  const size_t data_start = header_start + header_len;
  const uint64_t available = bytes.size() - data_start;
  const uint64_t size = dtype_bytes(dtype);
  if (static_cast<uint64_t>(count) > available / size) {
    bad("truncated data: shape " + format_shape(shape) + " of " + dtype_text(dtype) + " needs " +
        std::to_string(static_cast<uint64_t>(count) * size) + " bytes, the file holds " + std::to_string(available));
  }
  if (static_cast<uint64_t>(count) * size != available) {
    bad(std::to_string(available - static_cast<uint64_t>(count) * size) + " bytes after the data");
  }
  std::vector<uint8_t> data(bytes.begin() + static_cast<std::ptrdiff_t>(data_start), bytes.end());
  if (dtype == KEEL_DTYPE_BOOL) {
    for (uint8_t b : data) {
      if (b > 1) bad("a bool element is neither 0 nor 1");
    }
  }
  return HostTensor(dtype, std::move(shape), std::move(data));
}

std::vector<uint8_t> write_npy_bytes(const HostTensor& tensor) {
  std::string header =
      std::string("{'descr': '") + descr_of_dtype(tensor.dtype()) + "', 'fortran_order': False, 'shape': (";
  for (size_t i = 0; i < tensor.rank(); ++i) {
    header += std::to_string(tensor.shape()[i]) + (tensor.rank() == 1 ? "," : i + 1 < tensor.rank() ? ", " : "");
  }
  header += "), }";
  // Pad with spaces and a final newline so the data starts on a 64-byte boundary.
  const bool v2 = header.size() + 1 + 10 > 65535;
  const size_t prefix = v2 ? 12 : 10;
  const size_t total = (prefix + header.size() + 1 + 63) / 64 * 64;
  header.append(total - prefix - header.size() - 1, ' ');
  header += '\n';

  std::vector<uint8_t> out(kMagic, kMagic + sizeof(kMagic));
  out.push_back(v2 ? 2 : 1);
  out.push_back(0);
  const size_t len = header.size();
  for (size_t i = 0; i < (v2 ? 4u : 2u); ++i) out.push_back(static_cast<uint8_t>(len >> (8 * i)));
  out.insert(out.end(), header.begin(), header.end());
  out.insert(out.end(), tensor.bytes().begin(), tensor.bytes().end());
  return out;
}

HostTensor read_npy(const std::string& path) {
  try {
    return read_npy_bytes(read_file_bytes(path));
  } catch (const Error& error) {
    throw Error(error.code(), path + ": " + error_text(error), error.source());
  }
}

void write_npy(const HostTensor& tensor, const std::string& path) { write_file_bytes(path, write_npy_bytes(tensor)); }

}  // namespace keel::graph
