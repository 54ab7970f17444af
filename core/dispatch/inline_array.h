// A fixed-capacity array that lives on the stack and moves to the heap only when a call has more elements
// than usual (e.g. a concat of many inputs), so the common dispatch path does not allocate. The inline
// storage is left uninitialized until resize() (which initializes just the elements in use): dispatch
// builds several of these per call, and zeroing all of them would cost more than the rest of the call.
#pragma once

#include <cstddef>
#include <memory>
#include <new>
#include <span>
#include <type_traits>

namespace keel::dispatch {

template <class T, size_t N>
class InlineArray {
  static_assert(std::is_trivially_destructible_v<T>, "InlineArray holds plain data only");

 public:
  InlineArray() = default;
  InlineArray(const InlineArray&) = delete;
  InlineArray& operator=(const InlineArray&) = delete;

  // Discards the contents; the `size` elements are left uninitialized, for a caller that writes every one
  // of them (value-initializing first is a memset per element on the dispatch path).
  void resize_for_overwrite(size_t size) {
    size_ = size;
    if (size <= N) {
      data_ = reinterpret_cast<T*>(inline_);
    } else {
      heap_ = std::make_unique_for_overwrite<T[]>(size);
      data_ = heap_.get();
    }
  }

  // Discards the contents; the `size` elements are value-initialized.
  void resize(size_t size) {
    size_ = size;
    if (size <= N) {
      data_ = reinterpret_cast<T*>(inline_);
      for (size_t i = 0; i < size; ++i) new (data_ + i) T{};
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
  alignas(T) unsigned char inline_[N * sizeof(T)];
  std::unique_ptr<T[]> heap_;
  T* data_ = reinterpret_cast<T*>(inline_);
  size_t size_ = 0;
};

}  // namespace keel::dispatch
