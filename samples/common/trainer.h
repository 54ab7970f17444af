// The command line and training loop shared by the digit-classification samples: parse the options, load and
// split the data set, standardize the pixels, train a model with Adam and cross-entropy, report the loss and test
// accuracy per epoch (on stdout and optionally as CSV), and optionally save the trained parameters.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "digits.h"
#include "keel/nn.hpp"

namespace keel::samples {

// Exit codes of the samples.
inline constexpr int kExitOk = 0;
inline constexpr int kExitError = 1;   // a Keel or I/O error (printed)
inline constexpr int kExitUsage = 2;   // bad command line
inline constexpr int kExitNoData = 3;  // digits.csv.gz not found (the message says how to get it)

struct SampleSpec {
  const char* name;         // program name, for usage and messages
  const char* description;  // one line
  int default_epochs;
  int64_t batch_size;
  double lr;          // Adam's initial learning rate (cosine-annealed to 0 over the epochs)
  Shape input_shape;  // one sample's shape, e.g. {64} or {1, 8, 8}
  std::function<nn::ModulePtr(uint64_t seed)> make_model;  // created on the default device
};

// Runs the sample; returns the process exit code.
int run_sample(int argc, char** argv, const SampleSpec& spec);

}  // namespace keel::samples
