// train_mlp: a multilayer perceptron (64 -> 128 -> ReLU -> 10) learns the 8x8 handwritten digits with Adam and
// cross-entropy on any Keel device. See docs/samples.md.
//
//   build/bin/train_mlp --device reference:0 --epochs 15 --csv mlp.csv
#include <cstdint>
#include <memory>
#include <vector>

#include "keel/nn.hpp"
#include "trainer.h"

int main(int argc, char** argv) {
  using namespace keel;
  const samples::SampleSpec spec{
      .name = "train_mlp",
      .description = "a two-layer perceptron on the 8x8 digits",
      .default_epochs = 15,
      .batch_size = 32,
      .lr = 3e-3,
      .input_shape = {samples::kDigitPixels},
      .make_model = [](uint64_t seed) -> nn::ModulePtr {
        return std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
            std::make_shared<nn::Linear>(samples::kDigitPixels, 128, nn::LinearOptions{.seed = seed}),
            std::make_shared<nn::ReLU>(),
            std::make_shared<nn::Linear>(128, samples::kDigitClasses, nn::LinearOptions{.seed = seed + 1})});
      }};
  return samples::run_sample(argc, argv, spec);
}
