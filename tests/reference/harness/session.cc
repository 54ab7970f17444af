#include "session.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <set>

namespace keel::reference_test {
namespace {

constexpr std::byte kFill{0xA5};

bool contains(const std::vector<int>& axes, size_t axis) {
  return std::find(axes.begin(), axes.end(), static_cast<int>(axis)) != axes.end();
}

}  // namespace

Layout Layout::transposed(size_t rank) {
  Layout layout;
  layout.label = "transposed";
  for (size_t k = rank; k-- > 0;) layout.order.push_back(static_cast<int>(k));
  return layout;
}

Layout Layout::scrambled(size_t rank) {
  Layout layout;
  layout.label = "scrambled";
  for (size_t k = 0; k < rank; ++k) layout.reversed.push_back(static_cast<int>(k));
  // Rotate the memory order by one so it is neither row- nor column-major.
  for (size_t k = 0; k < rank; ++k) layout.order.push_back(static_cast<int>((k + 1) % rank));
  layout.gap = 2;
  layout.pad = 3;
  layout.offset = 3;
  return layout;
}

std::vector<Layout> Layout::all(size_t rank) {
  std::vector<Layout> layouts = {dense()};
  if (rank >= 2) layouts.push_back(transposed(rank));
  Layout reversed;
  reversed.label = "reversed";
  for (size_t k = 0; k < rank; ++k) reversed.reversed.push_back(static_cast<int>(k));
  layouts.push_back(reversed);
  Layout padded;
  padded.label = "padded+offset";
  padded.gap = 3;
  padded.pad = 1;
  padded.offset = 5;
  layouts.push_back(padded);
  if (rank >= 2) layouts.push_back(scrambled(rank));
  return layouts;
}

Session::Session(const std::string& backend_kind) : kind_(backend_kind), backend_(make_backend(backend_kind)) {}

Session::~Session() {
  for (void* buffer : buffers_) backend_->release(buffer);
}

DeviceTensor Session::place(keel_dtype_t dtype, const Dims& shape, const Layout& layout) {
  const size_t rank = shape.size();
  std::vector<int> order = layout.order;
  if (order.empty()) {
    for (size_t k = 0; k < rank; ++k) order.push_back(static_cast<int>(k));
  }
  DeviceTensor tensor;
  tensor.dtype = dtype;
  tensor.shape = shape;
  tensor.strides.assign(rank, 0);
  // Strides, innermost axis first.
  int64_t running = layout.gap;
  for (size_t i = rank; i-- > 0;) {
    const size_t axis = static_cast<size_t>(order[i]);
    if (contains(layout.repeated, axis)) continue;
    tensor.strides[axis] = running;
    running = running * std::max<int64_t>(shape[axis], 1) + layout.pad;
  }
  int64_t lowest = 0;
  int64_t highest = 0;
  for (size_t k = 0; k < rank; ++k) {
    if (contains(layout.reversed, k)) tensor.strides[k] = -tensor.strides[k];
    const int64_t extent = std::max<int64_t>(shape[k] - 1, 0) * tensor.strides[k];
    (extent < 0 ? lowest : highest) += extent;
  }
  const uint64_t size = size_of(dtype);
  tensor.byte_offset = layout.misalign + (layout.offset + static_cast<uint64_t>(-lowest)) * size;
  tensor.buffer_size = tensor.byte_offset + static_cast<uint64_t>(highest + 1) * size + 7;
  tensor.buffer = backend_->allocate(tensor.buffer_size);
  buffers_.push_back(tensor.buffer);
  return tensor;
}

std::vector<uint64_t> element_offsets(const DeviceTensor& tensor) {
  std::vector<uint64_t> offsets;
  const int64_t count = count_of(tensor.shape);
  const int64_t size = static_cast<int64_t>(size_of(tensor.dtype));
  for (int64_t i = 0; i < count; ++i) {
    const Dims index = unravel(i, tensor.shape);
    int64_t offset = static_cast<int64_t>(tensor.byte_offset);
    for (size_t k = 0; k < index.size(); ++k) offset += index[k] * tensor.strides[k] * size;
    offsets.push_back(static_cast<uint64_t>(offset));
  }
  return offsets;
}

HostTensor seen_through(const HostTensor& host, const Layout& layout) {
  HostTensor result = host;
  const size_t size = size_of(host.dtype);
  for (int64_t i = 0; i < host.count(); ++i) {
    Dims index = unravel(i, host.shape);
    for (const int axis : layout.repeated) index[static_cast<size_t>(axis)] = host.shape[static_cast<size_t>(axis)] - 1;
    std::memcpy(result.bytes.data() + static_cast<size_t>(i) * size,
                host.bytes.data() + static_cast<size_t>(ravel(index, host.shape)) * size, size);
  }
  return result;
}

DeviceTensor Session::upload(const HostTensor& host, const Layout& layout) {
  if (host.dtype == KEEL_DTYPE_INVALID) return DeviceTensor{};  // an absent optional input
  DeviceTensor tensor = place(host.dtype, host.shape, layout);
  std::vector<std::byte> bytes(tensor.buffer_size, kFill);
  const size_t size = size_of(host.dtype);
  const std::vector<uint64_t> offsets = element_offsets(tensor);
  for (size_t i = 0; i < offsets.size(); ++i)
    std::memcpy(bytes.data() + offsets[i], host.bytes.data() + i * size, size);
  backend_->write(tensor.buffer, bytes);
  return tensor;
}

DeviceTensor Session::output(keel_dtype_t dtype, const Dims& shape, const Layout& layout) {
  DeviceTensor tensor = place(dtype, shape, layout);
  std::vector<std::byte> bytes(tensor.buffer_size, kFill);
  backend_->write(tensor.buffer, bytes);
  initial_[tensor.buffer] = std::move(bytes);
  return tensor;
}

HostTensor Session::download(const DeviceTensor& tensor) {
  const std::vector<std::byte> bytes = backend_->read(tensor.buffer, tensor.buffer_size);
  HostTensor host = HostTensor::zeros(tensor.dtype, tensor.shape);
  const size_t size = size_of(tensor.dtype);
  const std::vector<uint64_t> offsets = element_offsets(tensor);
  for (size_t i = 0; i < offsets.size(); ++i)
    std::memcpy(host.bytes.data() + i * size, bytes.data() + offsets[i], size);

  const auto initial = initial_.find(tensor.buffer);
  if (initial != initial_.end()) {
    std::set<uint64_t> inside;
    for (const uint64_t offset : offsets) {
      for (uint64_t b = 0; b < size; ++b) inside.insert(offset + b);
    }
    size_t touched = 0;
    for (uint64_t b = 0; b < bytes.size(); ++b) {
      if (!inside.contains(b) && bytes[b] != initial->second[b]) ++touched;
    }
    EXPECT_EQ(touched, 0u) << "bytes outside the output view were written";
  }
  return host;
}

}  // namespace keel::reference_test
