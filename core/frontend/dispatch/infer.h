// Output dtypes and shapes of a call. keel_op_infer validates and infers; its answers are cached per thread
// and call signature (operator, attribute values, input dtypes and shapes), so a repeated eager call skips it.
#pragma once

#include <cstdint>
#include <vector>

#include "dispatch/dispatch.h"
#include "keel/keel_runtime.h"

namespace keel::detail {

// Plain data without member initializers, so that a list of them can be left uninitialized until filled.
struct OutputMeta {
  keel_dtype_t dtype;
  uint32_t rank;
  int64_t dims[KEEL_MAX_RANK];
};

// The inferred outputs of one call. Up to kInline of them are held in place, so the eager path does not
// allocate for them; a call with more (a split into many pieces) spills to the heap. The in-place entries
// start uninitialized (zeroing them costs more than the rest of a cached inference): resize() hands them to
// the caller to fill.
class OutputMetas {
 public:
  static constexpr size_t kInline = 4;

  OutputMetas() {}  // user-provided: not even `OutputMetas metas{}` zeroes the entries
  OutputMetas(const OutputMetas&) = delete;
  OutputMetas& operator=(const OutputMetas&) = delete;

  // Discards the contents; returns the `count` entries, which the caller must fill.
  OutputMeta* resize(size_t count) {
    size_ = count;
    if (count <= kInline) return held_;
    spill_.resize(count);
    return spill_.data();
  }
  size_t size() const { return size_; }
  const OutputMeta* data() const { return size_ <= kInline ? held_ : spill_.data(); }
  const OutputMeta& operator[](size_t i) const { return data()[i]; }

 private:
  OutputMeta held_[kInline];
  std::vector<OutputMeta> spill_;
  size_t size_ = 0;
};

// Fills `out` with one entry per output; throws keel::Error with libkeel's message for an invalid call.
void infer_outputs(int32_t op, const void* attrs, Inputs inputs, OutputMetas& out);

// How many tensors a variadic output holds for these attributes (the spec's count rule).
size_t variadic_count(int32_t op, const void* attrs);

}  // namespace keel::detail
