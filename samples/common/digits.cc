// Loading digits.csv.gz with zlib and the seeded split.
#include "digits.h"

#include <zlib.h>

#include <cstdlib>
#include <memory>
#include <sstream>
#include <stdexcept>
#include <string>
#include <utility>

namespace keel::samples {
namespace {

// The whole decompressed file.
std::string read_gzip(const std::string& path) {
  const std::unique_ptr<gzFile_s, int (*)(gzFile)> file(gzopen(path.c_str(), "rb"), gzclose);
  if (!file) throw std::runtime_error(path + ": cannot open");
  std::string text;
  char buffer[1 << 15];
  for (;;) {
    const int read = gzread(file.get(), buffer, sizeof(buffer));
    if (read < 0) {
      int code = 0;
      throw std::runtime_error(path + ": gzip error: " + gzerror(file.get(), &code));
    }
    if (read == 0) break;
    text.append(buffer, static_cast<size_t>(read));
  }
  return text;
}

// splitmix64: a small, portable generator for the shuffle.
uint64_t next(uint64_t& state) {
  uint64_t z = (state += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

}  // namespace

Digits load_digits(const std::string& path) {
  std::istringstream lines(read_gzip(path));
  Digits digits;
  std::string line;
  int64_t number = 0;
  while (std::getline(lines, line)) {
    ++number;
    if (line.empty() || line == "\r") continue;
    const auto fail = [&](const std::string& why) {
      throw std::runtime_error(path + ": line " + std::to_string(number) + ": " + why);
    };
    std::istringstream fields(line);
    std::string field;
    std::vector<double> row;
    while (std::getline(fields, field, ',')) {
      char* end = nullptr;
      const double value = std::strtod(field.c_str(), &end);
      if (end == field.c_str()) fail("'" + field + "' is not a number");
      row.push_back(value);
    }
    if (row.size() != static_cast<size_t>(kDigitPixels + 1)) {
      fail("expected " + std::to_string(kDigitPixels + 1) + " values, found " + std::to_string(row.size()));
    }
    const double label = row.back();
    if (label < 0 || label >= kDigitClasses || label != static_cast<double>(static_cast<int64_t>(label))) {
      fail("the label must be an integer 0..9");
    }
    for (int64_t i = 0; i < kDigitPixels; ++i) digits.images.push_back(static_cast<float>(row[size_t(i)] / 16.0));
    digits.labels.push_back(static_cast<int64_t>(label));
    ++digits.count;
  }
  if (digits.count == 0) throw std::runtime_error(path + ": no samples");
  return digits;
}

std::vector<int64_t> permutation(int64_t count, uint64_t seed) {
  std::vector<int64_t> order(static_cast<size_t>(count));
  for (int64_t i = 0; i < count; ++i) order[size_t(i)] = i;
  uint64_t state = seed;
  for (int64_t i = count - 1; i > 0; --i) {
    const auto j = static_cast<int64_t>(next(state) % static_cast<uint64_t>(i + 1));
    std::swap(order[size_t(i)], order[size_t(j)]);
  }
  return order;
}

Split split_digits(int64_t count, double test_fraction, uint64_t seed) {
  const std::vector<int64_t> order = permutation(count, seed);
  const auto test = static_cast<int64_t>(static_cast<double>(count) * test_fraction);
  Split split;
  split.train.assign(order.begin(), order.end() - test);
  split.test.assign(order.end() - test, order.end());
  return split;
}

}  // namespace keel::samples
