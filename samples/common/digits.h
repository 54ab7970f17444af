// The 8x8 handwritten digits (1797 images, UCI ML digits as shipped by scikit-learn in digits.csv.gz): loading
// and a fixed, seeded train/test split.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace keel::samples {

inline constexpr int64_t kDigitPixels = 64;  // 8x8
inline constexpr int64_t kDigitClasses = 10;

struct Digits {
  std::vector<float> images;    // [count, 64], pixel values scaled from 0..16 to [0, 1]
  std::vector<int64_t> labels;  // [count], 0..9
  int64_t count = 0;
};

// Reads digits.csv.gz (64 pixel columns then the label per line; gzip read with zlib). Throws
// std::runtime_error naming the file and the line on malformed input.
Digits load_digits(const std::string& path);

// A permutation of 0..count-1 by `seed`, the same on every platform (Fisher-Yates with splitmix64).
std::vector<int64_t> permutation(int64_t count, uint64_t seed);

// permutation(count, seed) cut into a training part and the last
// test_fraction as the test part.
struct Split {
  std::vector<int64_t> train;
  std::vector<int64_t> test;
};
Split split_digits(int64_t count, double test_fraction, uint64_t seed);

}  // namespace keel::samples
