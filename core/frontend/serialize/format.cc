// The parameter file format: encoding and checked decoding (docs/parameter-format.md).
#include <array>
#include <bit>
#include <cstring>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "keel/serialize.hpp"

namespace keel::serialize {
namespace {

// Tensor bytes are written as the host holds them; the format is little-endian.
static_assert(std::endian::native == std::endian::little, "the parameter format needs a little-endian host");

constexpr uint32_t kMaxNameBytes = 4096;

// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320; the checksum of zlib and PNG).
constexpr std::array<uint32_t, 256> make_crc_table() {
  std::array<uint32_t, 256> table{};
  for (uint32_t i = 0; i < 256; ++i) {
    uint32_t c = i;
    for (int k = 0; k < 8; ++k) c = (c & 1U) != 0 ? 0xEDB88320U ^ (c >> 1) : c >> 1;
    table[i] = c;
  }
  return table;
}

uint32_t crc32(std::string_view bytes) {
  static constexpr std::array<uint32_t, 256> table = make_crc_table();
  uint32_t c = 0xFFFFFFFFU;
  for (const char byte : bytes) c = table[(c ^ static_cast<uint8_t>(byte)) & 0xFFU] ^ (c >> 8);
  return c ^ 0xFFFFFFFFU;
}

template <class T>
void put(std::string& out, T value) {
  char bytes[sizeof(T)];
  std::memcpy(bytes, &value, sizeof(T));
  out.append(bytes, sizeof(T));
}

bool known_dtype(uint32_t code) { return code >= KEEL_DTYPE_BOOL && code <= KEEL_DTYPE_F64; }

// Bounds-checked reading; every problem is a DATA_LOSS error naming the source and the offset.
class Reader {
 public:
  Reader(std::string_view bytes, std::string_view source) : bytes_(bytes), source_(source) {}

  [[noreturn]] void fail(const std::string& message) const {
    throw Error(KEEL_STATUS_DATA_LOSS, std::string(source_) + ": " + message, "keel");
  }
  size_t offset() const { return offset_; }
  size_t remaining() const { return bytes_.size() - offset_; }

  std::string_view take(size_t count, const std::string& what) {
    if (count > remaining()) {
      fail("truncated: " + what + " needs " + std::to_string(count) + " bytes at offset " + std::to_string(offset_) +
           ", but only " + std::to_string(remaining()) + " remain");
    }
    const std::string_view out = bytes_.substr(offset_, count);
    offset_ += count;
    return out;
  }
  template <class T>
  T get(const std::string& what) {
    T value;
    std::memcpy(&value, take(sizeof(T), what).data(), sizeof(T));
    return value;
  }

 private:
  std::string_view bytes_;
  std::string_view source_;
  size_t offset_ = 0;
};

}  // namespace

std::string encode(std::span<const NamedTensor> tensors) {
  std::string out(kMagic, sizeof(kMagic));
  put<uint32_t>(out, kFormatVersion);
  put<uint32_t>(out, 0);  // flags, reserved
  put<uint64_t>(out, tensors.size());
  std::set<std::string_view> names;
  for (const NamedTensor& entry : tensors) {
    if (entry.name.empty() || entry.name.size() > kMaxNameBytes) {
      throw Error(KEEL_STATUS_INVALID_ARGUMENT,
                  "encode: tensor names must have 1 to " + std::to_string(kMaxNameBytes) + " bytes", "keel");
    }
    if (!names.insert(entry.name).second) {
      throw Error(KEEL_STATUS_INVALID_ARGUMENT, "encode: the name '" + entry.name + "' appears twice", "keel");
    }
    if (!entry.tensor.defined()) {
      throw Error(KEEL_STATUS_INVALID_ARGUMENT, "encode: tensor '" + entry.name + "' is undefined", "keel");
    }
    const Tensor dense = entry.tensor.detach().contiguous();
    put<uint32_t>(out, static_cast<uint32_t>(entry.name.size()));
    out += entry.name;
    put<uint32_t>(out, static_cast<uint32_t>(dense.dtype()));
    put<uint32_t>(out, static_cast<uint32_t>(dense.rank()));
    for (const int64_t size : dense.shape()) put<int64_t>(out, size);
    const uint64_t data_bytes = static_cast<uint64_t>(dense.numel()) * dtype_size(dense.dtype());
    put<uint64_t>(out, data_bytes);
    const size_t at = out.size();
    out.resize(at + data_bytes);
    if (data_bytes > 0) detail::read_bytes(dense, out.data() + at);
  }
  put<uint32_t>(out, crc32(out));
  return out;
}

std::vector<NamedTensor> decode(std::string_view bytes, const std::optional<Device>& device, std::string_view source) {
  Reader in(bytes, source);
  if (bytes.size() < sizeof(kMagic) || std::memcmp(bytes.data(), kMagic, sizeof(kMagic)) != 0) {
    in.fail("not a Keel parameter file (the magic 'KEELPARM' is missing)");
  }
  in.take(sizeof(kMagic), "the magic");
  const auto version = in.get<uint32_t>("the version");
  if (version != kFormatVersion) {
    throw Error(KEEL_STATUS_UNIMPLEMENTED,
                std::string(source) + ": unsupported parameter format version " + std::to_string(version) +
                    " (this build reads version " + std::to_string(kFormatVersion) + ")",
                "keel");
  }
  if (const auto flags = in.get<uint32_t>("the flags"); flags != 0) {
    in.fail("unknown flags " + std::to_string(flags) + " in the header (must be 0)");
  }
  const auto count = in.get<uint64_t>("the tensor count");
  // Each record takes at least 20 bytes: reject absurd counts before reserving anything.
  if (count > bytes.size() / 20) in.fail("truncated: the header announces " + std::to_string(count) + " tensors");

  // Records are checked first and uploaded only once the checksum matches.
  struct Record {
    std::string name;
    Dtype dtype;
    Shape shape;
    std::string_view data;
  };
  std::vector<Record> records;
  records.reserve(count);
  std::set<std::string> names;
  for (uint64_t i = 0; i < count; ++i) {
    const std::string record = "tensor " + std::to_string(i);
    const auto name_bytes = in.get<uint32_t>(record + "'s name length");
    if (name_bytes == 0 || name_bytes > kMaxNameBytes) {
      in.fail(record + " has a name length of " + std::to_string(name_bytes) + " (1 to " +
              std::to_string(kMaxNameBytes) + ")");
    }
    std::string name(in.take(name_bytes, record + "'s name"));
    const std::string what = "tensor '" + name + "'";
    if (!names.insert(name).second) in.fail(what + " appears twice");
    const auto dtype_code = in.get<uint32_t>(what + "'s dtype");
    if (!known_dtype(dtype_code)) in.fail(what + " has an unknown dtype code " + std::to_string(dtype_code));
    const auto rank = in.get<uint32_t>(what + "'s rank");
    if (rank > KEEL_MAX_RANK)
      in.fail(what + " has rank " + std::to_string(rank) + " (at most " + std::to_string(KEEL_MAX_RANK) + ")");
    Shape shape(rank);
    uint64_t numel = 1;
    for (uint32_t axis = 0; axis < rank; ++axis) {
      shape[axis] = in.get<int64_t>(what + "'s shape");
      if (shape[axis] < 0 || (shape[axis] > 0 && numel > bytes.size() / static_cast<uint64_t>(shape[axis]))) {
        in.fail(what + " has an impossible size " + std::to_string(shape[axis]) + " on axis " + std::to_string(axis));
      }
      numel *= static_cast<uint64_t>(shape[axis]);
    }
    const auto dtype = static_cast<Dtype>(dtype_code);
    const auto data_bytes = in.get<uint64_t>(what + "'s data size");
    if (data_bytes != numel * dtype_size(dtype)) {
      in.fail(what + " declares " + std::to_string(data_bytes) + " data bytes, but its shape and dtype need " +
              std::to_string(numel * dtype_size(dtype)));
    }
    const std::string_view data = in.take(data_bytes, what + "'s data");
    records.push_back({std::move(name), dtype, std::move(shape), data});
  }
  const size_t body = in.offset();
  const auto stored = in.get<uint32_t>("the checksum");
  if (in.remaining() != 0) in.fail(std::to_string(in.remaining()) + " unexpected bytes after the checksum");
  if (const uint32_t actual = crc32(bytes.substr(0, body)); actual != stored) {
    in.fail("checksum mismatch (stored " + std::to_string(stored) + ", computed " + std::to_string(actual) +
            "): the file is corrupt");
  }
  std::vector<NamedTensor> out;
  out.reserve(records.size());
  for (Record& record : records) {
    out.push_back({std::move(record.name),
                   detail::upload(record.data.data(), record.dtype, std::move(record.shape), {.device = device})});
  }
  return out;
}

}  // namespace keel::serialize
