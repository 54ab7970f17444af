// compare_curves A.csv B.csv REL_TOL: the same sample's loss curves from two devices agree. Every epoch's
// train_loss must match within REL_TOL relative to the larger of the two (both are f32 training runs whose
// kernels round differently, so bitwise equality is not expected); the epochs must be the same. Prints each
// epoch's losses and their relative difference; exits 0 when every epoch agrees, 1 otherwise, 2 on bad input.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

namespace {

// The train_loss column (the second) of every row after the header; empty when the file is unreadable.
std::vector<double> train_losses(const char* path) {
  std::ifstream file(path);
  std::vector<double> losses;
  std::string line;
  if (!std::getline(file, line)) return losses;  // header
  while (std::getline(file, line)) {
    std::istringstream row(line);
    std::string epoch, loss;
    if (!std::getline(row, epoch, ',') || !std::getline(row, loss, ',')) return {};
    char* end = nullptr;
    const double value = std::strtod(loss.c_str(), &end);
    if (end == loss.c_str()) return {};
    losses.push_back(value);
  }
  return losses;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 4) {
    std::fprintf(stderr, "usage: compare_curves A.csv B.csv REL_TOL\n");
    return 2;
  }
  const std::vector<double> a = train_losses(argv[1]);
  const std::vector<double> b = train_losses(argv[2]);
  const double tolerance = std::strtod(argv[3], nullptr);
  if (a.empty() || b.empty() || a.size() != b.size() || !(tolerance > 0)) {
    std::fprintf(stderr, "compare_curves: unreadable curves or different epoch counts (%zu vs %zu)\n", a.size(), b.size());
    return 2;
  }
  bool agree = true;
  for (size_t e = 0; e < a.size(); ++e) {
    const double difference = std::fabs(a[e] - b[e]) / std::max(std::fabs(a[e]), std::fabs(b[e]));
    const bool ok = difference <= tolerance;
    agree = agree && ok;
    std::printf("epoch %zu: %.6f vs %.6f, relative difference %.2e %s\n", e + 1, a[e], b[e], difference, ok ? "" : "(outside)");
  }
  std::printf("%s\n", agree ? "the loss curves agree" : "the loss curves differ");
  return agree ? 0 : 1;
}
