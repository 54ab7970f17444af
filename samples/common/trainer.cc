// The samples' command line, data lookup and training loop.
#include "trainer.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "digits.h"
#include "keel/autograd.hpp"
#include "keel/optim.hpp"
#include "keel/serialize.hpp"

namespace keel::samples {
namespace {

struct Options {
  std::string device;  // empty: the default device
  int epochs = 0;
  uint64_t seed = 0;
  std::string csv;
  std::string data;
  std::string save;
  double lr = 0;
  int64_t batch_size = 0;
};

void usage(const SampleSpec& spec, std::ostream& out) {
  out << spec.name << ": " << spec.description << "\n\n"
      << "usage: " << spec.name << " [--device NAME] [--epochs N] [--seed S] [--lr X] [--batch-size N]\n"
      << "       [--csv PATH] [--data PATH] [--save PATH]\n"
      << "  --device NAME  Keel device, e.g. reference:0 or onednn:0 (default: KEEL_DEVICE or the best plugin)\n"
      << "  --epochs N     training epochs (default " << spec.default_epochs << ")\n"
      << "  --lr X         Adam's learning rate (default " << spec.lr << ")\n"
      << "  --batch-size N minibatch size (default " << spec.batch_size << ")\n"
      << "  --seed S       seeds the train/test split, the initialization and the batch order (default 0)\n"
      << "  --csv PATH     write the loss curve: epoch,train_loss,test_accuracy\n"
      << "  --data PATH    digits.csv.gz (default: $KEEL_DATA_DIR/digits.csv.gz, then the build's data/)\n"
      << "  --save PATH    save the trained parameters (docs/parameter-format.md)\n";
}

// Parses the command line; nullopt after printing the problem (or the help, with *help set).
std::optional<Options> parse(int argc, char** argv, const SampleSpec& spec, bool* help) {
  Options options;
  options.epochs = spec.default_epochs;
  options.lr = spec.lr;
  options.batch_size = spec.batch_size;
  for (int i = 1; i < argc; ++i) {
    const std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      usage(spec, std::cout);
      *help = true;
      return std::nullopt;
    }
    if (i + 1 >= argc) {
      std::cerr << spec.name << ": " << arg << (arg.starts_with("--") ? " needs a value" : ": unknown argument")
                << " (see --help)\n";
      return std::nullopt;
    }
    const std::string value = argv[++i];
    char* end = nullptr;
    if (arg == "--device") {
      options.device = value;
    } else if (arg == "--epochs") {
      const long epochs = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || epochs < 1 || epochs > 100000) {
        std::cerr << spec.name << ": --epochs must be a positive integer, not '" << value << "'\n";
        return std::nullopt;
      }
      options.epochs = static_cast<int>(epochs);
    } else if (arg == "--lr") {
      options.lr = std::strtod(value.c_str(), &end);
      if (*end != '\0' || !(options.lr > 0)) {
        std::cerr << spec.name << ": --lr must be a positive number, not '" << value << "'\n";
        return std::nullopt;
      }
    } else if (arg == "--batch-size") {
      options.batch_size = std::strtol(value.c_str(), &end, 10);
      if (*end != '\0' || options.batch_size < 1) {
        std::cerr << spec.name << ": --batch-size must be a positive integer, not '" << value << "'\n";
        return std::nullopt;
      }
    } else if (arg == "--seed") {
      options.seed = std::strtoull(value.c_str(), &end, 10);
      if (*end != '\0' || value.empty() || value[0] == '-') {
        std::cerr << spec.name << ": --seed must be a non-negative integer, not '" << value << "'\n";
        return std::nullopt;
      }
    } else if (arg == "--csv") {
      options.csv = value;
    } else if (arg == "--data") {
      options.data = value;
    } else if (arg == "--save") {
      options.save = value;
    } else {
      std::cerr << spec.name << ": unknown option '" << arg << "' (see --help)\n";
      return std::nullopt;
    }
  }
  return options;
}

// The candidate locations of digits.csv.gz, in order.
std::vector<std::string> data_candidates(const Options& options) {
  if (!options.data.empty()) return {options.data};
  std::vector<std::string> out;
  if (const char* dir = std::getenv("KEEL_DATA_DIR"); dir != nullptr && *dir != '\0') {
    out.push_back(std::string(dir) + "/digits.csv.gz");
  }
  out.push_back(std::string(KEEL_SAMPLES_BUILD_DATA_DIR) + "/digits.csv.gz");
  out.push_back(std::string(KEEL_SAMPLES_DEFAULT_DATA_DIR) + "/digits.csv.gz");
  return out;
}

void explain_missing_data(const SampleSpec& spec, const std::vector<std::string>& candidates) {
  std::cerr << spec.name << ": the digits data set (digits.csv.gz) was not found; looked for:\n";
  for (const std::string& path : candidates) std::cerr << "  " << path << "\n";
  std::cerr << "Get it with tools/setup.sh (it extracts the file from Debian's python3-sklearn package into "
               "build/data/), or by hand:\n"
               "  apt-get download python3-sklearn && dpkg -x python3-sklearn_*.deb sklearn-deb\n"
               "  cp sklearn-deb/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz <dir>/\n"
               "and pass --data <dir>/digits.csv.gz or set KEEL_DATA_DIR=<dir>.\n";
}

// Rows `indices[begin, end)` of the data set as a batch [n, input_shape...] and its labels [n].
std::pair<Tensor, Tensor> batch(const Digits& digits, const std::vector<int64_t>& indices, size_t begin, size_t end,
                                const Shape& input_shape) {
  std::vector<float> images;
  std::vector<int64_t> labels;
  images.reserve((end - begin) * size_t(kDigitPixels));
  for (size_t i = begin; i < end; ++i) {
    const auto row = static_cast<size_t>(indices[i]);
    images.insert(images.end(), digits.images.begin() + long(row * kDigitPixels),
                  digits.images.begin() + long((row + 1) * kDigitPixels));
    labels.push_back(digits.labels[row]);
  }
  Shape shape = {static_cast<int64_t>(end - begin)};
  shape.insert(shape.end(), input_shape.begin(), input_shape.end());
  return {from_vector(images, shape), from_vector(labels, {static_cast<int64_t>(end - begin)})};
}

double accuracy(nn::Module& model, const Digits& digits, const std::vector<int64_t>& test, const Shape& input_shape) {
  const autograd::NoGrad no_grad;
  model.eval();
  const auto [x, y] = batch(digits, test, 0, test.size(), input_shape);
  const std::vector<int64_t> predicted = model(x).argmax(1).to_vector<int64_t>();
  const std::vector<int64_t> labels = y.to_vector<int64_t>();
  model.train();
  size_t correct = 0;
  for (size_t i = 0; i < labels.size(); ++i) correct += predicted[i] == labels[i] ? 1 : 0;
  return static_cast<double>(correct) / static_cast<double>(labels.size());
}

// Standardizes every pixel with the training part's mean and standard deviation (constant pixels stay 0).
void standardize(Digits& digits, const std::vector<int64_t>& train) {
  for (int64_t pixel = 0; pixel < kDigitPixels; ++pixel) {
    double sum = 0, squares = 0;
    for (const int64_t row : train) {
      const double v = digits.images[size_t(row * kDigitPixels + pixel)];
      sum += v;
      squares += v * v;
    }
    const double n = static_cast<double>(train.size());
    const double mean = sum / n;
    const double std = std::sqrt(std::max(0.0, squares / n - mean * mean));
    for (int64_t row = 0; row < digits.count; ++row) {
      float& v = digits.images[size_t(row * kDigitPixels + pixel)];
      v = std > 1e-6 ? static_cast<float>((v - mean) / std) : 0.0f;
    }
  }
}

int train(const Options& options, const SampleSpec& spec, const std::string& data_path) {
  Digits digits = load_digits(data_path);
  const Split split = split_digits(digits.count, 0.2, options.seed);
  standardize(digits, split.train);
  if (!options.device.empty()) set_default_device(device(options.device));
  const Device dev = default_device();
  std::cout << spec.name << ": " << digits.count << " digits (" << split.train.size() << " train, " << split.test.size()
            << " test) from " << data_path << "; device " << dev.name() << "\n";

  const nn::ModulePtr model = spec.make_model(options.seed);
  optim::Adam optimizer(model->parameters(), {.lr = options.lr});
  // The learning rate follows a cosine from lr down to 0 over the run, which steadies the last epochs.
  optim::CosineAnnealingLR schedule(optimizer, {.t_max = options.epochs});
  nn::CrossEntropyLoss loss_fn;
  std::ofstream csv;
  if (!options.csv.empty()) {
    csv.open(options.csv);
    if (!csv) throw std::runtime_error(options.csv + ": cannot open for writing");
    csv << "epoch,train_loss,test_accuracy\n";
  }
  std::vector<int64_t> order;
  double final_accuracy = 0;
  const auto start = std::chrono::steady_clock::now();
  for (int epoch = 1; epoch <= options.epochs; ++epoch) {
    // A fresh batch order every epoch, fixed by the seed.
    order = permutation(static_cast<int64_t>(split.train.size()), options.seed * 1000003 + uint64_t(epoch));
    for (int64_t& index : order) index = split.train[size_t(index)];
    double loss_sum = 0;
    for (size_t begin = 0; begin < order.size(); begin += size_t(options.batch_size)) {
      const size_t end = std::min(order.size(), begin + size_t(options.batch_size));
      const auto [x, y] = batch(digits, order, begin, end, spec.input_shape);
      optimizer.zero_grad();
      const Tensor loss = loss_fn((*model)(x), y);
      loss.backward();
      optimizer.step();
      loss_sum += loss.item() * static_cast<double>(end - begin);
    }
    schedule.step();
    const double train_loss = loss_sum / static_cast<double>(order.size());
    final_accuracy = accuracy(*model, digits, split.test, spec.input_shape);
    const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    std::printf("epoch %3d/%d  train_loss %.4f  test_accuracy %.2f%%  (%.1f s)\n", epoch, options.epochs, train_loss,
                100 * final_accuracy, seconds);
    std::fflush(stdout);
    if (csv.is_open()) csv << epoch << ',' << train_loss << ',' << final_accuracy << '\n';
  }
  std::printf("final test accuracy: %.2f%%\n", 100 * final_accuracy);
  if (!options.save.empty()) {
    serialize::save(*model, options.save);
    std::cout << "saved the parameters to " << options.save << "\n";
  }
  return kExitOk;
}

}  // namespace

int run_sample(int argc, char** argv, const SampleSpec& spec) {
  bool help = false;
  const std::optional<Options> options = parse(argc, argv, spec, &help);
  if (!options) return help ? kExitOk : kExitUsage;
  const std::vector<std::string> candidates = data_candidates(*options);
  std::string data_path;
  for (const std::string& path : candidates) {
    if (std::filesystem::is_regular_file(path)) {
      data_path = path;
      break;
    }
  }
  if (data_path.empty()) {
    explain_missing_data(spec, candidates);
    return kExitNoData;
  }
  try {
    return train(*options, spec, data_path);
  } catch (const std::exception& error) {
    std::cerr << spec.name << ": " << error.what() << "\n";
    return kExitError;
  }
}

}  // namespace keel::samples
