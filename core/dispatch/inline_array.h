// A fixed-capacity array that lives on the stack and moves to the heap only when a call has more elements
// than usual (e.g. a concat of many inputs), so the common dispatch path does not allocate.
#pragma once

#include <cstddef>
#include <memory>
#include <span>

namespace keel::dispatch {

template <class T, size_t N>
class InlineArray {
 public:
  InlineArray() = default;
  InlineArray(const InlineArray&) = delete;
  InlineArray& operator=(const InlineArray&) = delete;

  // Discards the contents; elements are value-initialized.
  void resize(size_t size) {
    size_ = size;
    if (size <= N) {
      data_ = inline_;
      for (size_t i = 0; i < size; ++i) inline_[i] = T{};
    } else {
      heap_ = std::make_unique<T[]>(size);
      data_ = heap_.get();
    }
  }
  size_t size() const { return size_; }
  T* data() { return data_; }
  const T* data() const { return data_; }
  T& operator[](size_t i) { return data_[i]; }
  const T& operator[](size_t i) const { return data_[i]; }
  std::span<T> span() { return {data_, size_}; }
  std::span<const T> span() const { return {data_, size_}; }

 private:
  T inline_[N]{};
  std::unique_ptr<T[]> heap_;
  T* data_ = inline_;
  size_t size_ = 0;
};

}  // namespace keel::dispatch
