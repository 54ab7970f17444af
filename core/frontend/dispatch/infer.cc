#include "dispatch/infer.h"

#include <algorithm>
#include <cstring>
#include <string>
#include <string_view>

#include "dispatch/attrs.h"
#include "dispatch/op_table.h"
#include "tensor/make.h"

namespace keel::detail {
namespace {

constexpr size_t kMaxKey = 48;       // words; longer signatures are not cached
constexpr size_t kMaxCached = OutputMetas::kInline;  // outputs per cached entry
constexpr size_t kSlots = 256;       // per thread, direct-mapped with a short probe
constexpr size_t kProbe = 4;

struct Key {
  int64_t words[kMaxKey];
  size_t size = 0;
  bool fits = true;
  void push(int64_t w) {
    if (size < kMaxKey) {
      words[size++] = w;
    } else {
      fits = false;
    }
  }
  uint64_t hash() const {
    uint64_t h = 0x9E3779B97F4A7C15ull;
    for (size_t i = 0; i < size; ++i) {
      h ^= static_cast<uint64_t>(words[i]) + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
    }
    return h;
  }
};

struct Entry {
  uint64_t hash = 0;
  size_t key_size = 0;  // 0: empty
  int64_t key[kMaxKey];
  size_t count = 0;
  OutputMeta metas[kMaxCached];
};

struct Cache {
  Entry slots[kSlots];
  size_t next_victim = 0;
};

Cache& cache() {
  thread_local auto instance = std::make_unique<Cache>();
  return *instance;
}

int64_t bits_of(double value) {
  int64_t w;
  std::memcpy(&w, &value, sizeof(w));
  return w;
}

void make_key(int32_t op_index, const void* attrs, Inputs inputs, Key& key) {
  const OpEntry& op = op_table()[op_index];
  key.push(op_index);
  for (uint32_t i = 0; i < op.attr_count; ++i) {
    switch (op.attrs[i].kind) {
      case AttrKind::kFloat: key.push(bits_of(attr_float(op, attrs, i))); break;
      case AttrKind::kInts: {
        std::span<const int64_t> v = attr_ints(op, attrs, i);
        key.push(static_cast<int64_t>(v.size()));
        for (int64_t x : v) key.push(x);
        break;
      }
      case AttrKind::kFloats: {
        std::span<const double> v = attr_floats(op, attrs, i);
        key.push(static_cast<int64_t>(v.size()));
        for (double x : v) key.push(bits_of(x));
        break;
      }
      default: key.push(attr_int(op, attrs, i)); break;
    }
  }
  key.push(static_cast<int64_t>(inputs.size()));
  for (const Tensor* t : inputs) {
    if (!t->defined()) {
      key.push(-1);
      continue;
    }
    key.push(static_cast<int64_t>(t->dtype()) << 8 | t->rank());
    for (int64_t d : t->shape()) key.push(d);
  }
}

void infer_uncached(int32_t op_index, const void* attrs, Inputs inputs, OutputMetas& out) {
  const OpEntry& op = op_table()[op_index];
  std::vector<keel_tensor_t> in(inputs.size());
  for (size_t i = 0; i < inputs.size(); ++i) {
    in[i] = c_tensor(*inputs[i]);
    in[i].buffer = nullptr;
  }
  size_t count = op.output_count;
  if (op.variadic_output) count = op.output_count - 1 + variadic_count(op_index, attrs);
  std::vector<keel_tensor_t> outs(count);
  check(keel_op_infer(c_op(op_index), attrs, in.data(), in.size(), outs.data(), outs.size()));
  OutputMeta* metas = out.resize(count);
  for (size_t i = 0; i < count; ++i) {
    metas[i].dtype = outs[i].dtype;
    metas[i].rank = outs[i].rank;
    std::memcpy(metas[i].dims, outs[i].shape, sizeof(metas[i].dims));
  }
}

}  // namespace

size_t variadic_count(int32_t op_index, const void* attrs) {
  const OpEntry& op = op_table()[op_index];
  if (std::string_view(op.count_rule) == "split_count") {
    // split_count(sizes, num_outputs): the entries of sizes when it is not empty, else the count attribute.
    const size_t sizes = attr_ints(op, attrs, op.count_args[0]).size();
    const int64_t n = attr_int(op, attrs, op.count_args[1]);
    return sizes > 0 ? sizes : static_cast<size_t>(n > 0 ? n : 0);
  }
  fail(KEEL_STATUS_UNIMPLEMENTED, std::string(op.name) + ": the front end does not know count rule '" +
                                      op.count_rule + "'");
}

void infer_outputs(int32_t op_index, const void* attrs, Inputs inputs, OutputMetas& out) {
  Key key;
  make_key(op_index, attrs, inputs, key);
  if (!key.fits) return infer_uncached(op_index, attrs, inputs, out);
  Cache& c = cache();
  const uint64_t hash = key.hash();
  const size_t home = hash % kSlots;
  for (size_t p = 0; p < kProbe; ++p) {
    const Entry& e = c.slots[(home + p) % kSlots];
    if (e.key_size == key.size && e.hash == hash && std::memcmp(e.key, key.words, key.size * sizeof(int64_t)) == 0) {
      std::copy(e.metas, e.metas + e.count, out.resize(e.count));
      return;
    }
  }
  infer_uncached(op_index, attrs, inputs, out);
  if (out.size() > kMaxCached) return;
  size_t slot = (home + c.next_victim++ % kProbe) % kSlots;
  for (size_t p = 0; p < kProbe; ++p) {
    if (c.slots[(home + p) % kSlots].key_size == 0) {
      slot = (home + p) % kSlots;
      break;
    }
  }
  Entry& e = c.slots[slot];
  e.hash = hash;
  e.key_size = key.size;
  std::memcpy(e.key, key.words, key.size * sizeof(int64_t));
  e.count = out.size();
  std::copy(out.data(), out.data() + out.size(), e.metas);
}

}  // namespace keel::detail
