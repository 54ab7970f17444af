// A test's connection to the reference plugin: a Backend plus the buffers it allocated, with helpers that
// place host tensors into buffers under arbitrary strided layouts and read them back.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "backend.h"
#include "host_tensor.h"

namespace keel::reference_test {

// How a tensor sits in its buffer. The default is dense row-major at offset 0.
struct Layout {
  std::string label = "dense";
  std::vector<int> order;     // memory order of the axes, outermost first; empty means row-major
  std::vector<int> reversed;  // axes walked backwards (negative strides)
  std::vector<int> repeated;  // axes with stride 0: every index along them is the same element (inputs only)
  int64_t gap = 1;            // elements between neighbours along the innermost axis
  int64_t pad = 0;            // unused elements after each step of the outer axes
  uint64_t offset = 0;        // elements before the view's lowest element
  uint64_t misalign = 0;      // extra bytes on top, which leave every element unaligned. keel_types.h allows
                              // any byte_offset, but libkeel refuses such views, so only the direct backend
                              // is given them.

  static Layout dense() { return {}; }
  // Column-major: the axes in reverse memory order (a transposed view).
  static Layout transposed(size_t rank);
  // Every axis negative, with gaps and padding, an odd byte offset.
  static Layout scrambled(size_t rank);
  // The layouts every elementwise test runs through (dense, transposed, reversed, padded, offset).
  static std::vector<Layout> all(size_t rank);
};

class Session {
 public:
  explicit Session(const std::string& backend_kind);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  Backend& backend() { return *backend_; }
  const std::string& kind() const { return kind_; }

  // A device tensor holding `host` under `layout`; bytes outside the view hold a fill pattern. A host tensor
  // of dtype KEEL_DTYPE_INVALID stands for an absent optional input: no buffer, dtype invalid.
  DeviceTensor upload(const HostTensor& host, const Layout& layout = Layout::dense());
  // An output tensor full of the fill pattern.
  DeviceTensor output(keel_dtype_t dtype, const Dims& shape, const Layout& layout = Layout::dense());
  // The view's elements in row-major order. For outputs, also checks (with gtest) that the bytes outside
  // the view were left alone.
  HostTensor download(const DeviceTensor& tensor);

  Outcome run(const std::string& op, const void* attrs, const std::vector<DeviceTensor>& inputs,
              const std::vector<DeviceTensor>& outputs) {
    return backend_->run(op, attrs, inputs, outputs);
  }

 private:
  DeviceTensor place(keel_dtype_t dtype, const Dims& shape, const Layout& layout);

  std::string kind_;
  std::unique_ptr<Backend> backend_;
  std::vector<void*> buffers_;
  std::map<void*, std::vector<std::byte>> initial_;  // output buffers as created
};

// What a view under `layout` reads back for `host`: along `repeated` axes every index shows the element that
// upload() wrote last (the one at the end of those axes).
HostTensor seen_through(const HostTensor& host, const Layout& layout);

// The byte offsets of a view's elements, row-major.
std::vector<uint64_t> element_offsets(const DeviceTensor& tensor);

}  // namespace keel::reference_test
