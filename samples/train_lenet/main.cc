// train_lenet: a LeNet-style convolutional network learns the 8x8 handwritten digits with Adam and
// cross-entropy on any Keel device. The 5x5 convolutions are padded to keep 8x8 and 4x4 maps:
//   [N,1,8,8] conv5x5(8) BatchNorm ReLU maxpool2 -> [N,8,4,4] conv5x5(16) BatchNorm ReLU maxpool2
//   -> [N,16,2,2] -> flatten 64 -> linear 64 -> ReLU -> dropout 0.25 -> linear 10.
// See docs/samples.md.
//
//   build/bin/train_lenet --device onednn:0 --epochs 12 --csv lenet.csv
#include <cstdint>
#include <memory>
#include <vector>

#include "keel/nn.hpp"
#include "trainer.h"

namespace {

using namespace keel;

// A custom module: convolutional features, then a classifier on the flattened maps.
class LeNet : public nn::Module {
 public:
  explicit LeNet(uint64_t seed) : Module("LeNet") {
    features_ = register_module(
        "features",
        std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
            std::make_shared<nn::Conv2d>(1, 8, 5, nn::Conv2dOptions{.padding = 2, .seed = seed}),
            std::make_shared<nn::BatchNorm2d>(8), std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(2),
            std::make_shared<nn::Conv2d>(8, 16, 5, nn::Conv2dOptions{.padding = 2, .seed = seed + 1}),
            std::make_shared<nn::BatchNorm2d>(16), std::make_shared<nn::ReLU>(), std::make_shared<nn::MaxPool2d>(2)}));
    classifier_ = register_module(
        "classifier",
        std::make_shared<nn::Sequential>(std::vector<nn::ModulePtr>{
            std::make_shared<nn::Linear>(64, 64, nn::LinearOptions{.seed = seed + 2}), std::make_shared<nn::ReLU>(),
            std::make_shared<nn::Dropout>(nn::DropoutOptions{.p = 0.25, .seed = seed + 4}),
            std::make_shared<nn::Linear>(64, samples::kDigitClasses, nn::LinearOptions{.seed = seed + 3})}));
  }
  Tensor forward(const Tensor& input) override { return classifier_->forward(features_->forward(input).flatten(1)); }

 private:
  std::shared_ptr<nn::Sequential> features_;
  std::shared_ptr<nn::Sequential> classifier_;
};

}  // namespace

int main(int argc, char** argv) {
  const samples::SampleSpec spec{
      .name = "train_lenet",
      .description = "a LeNet-style convolutional network on the 8x8 digits",
      .default_epochs = 12,
      .batch_size = 32,
      .lr = 3e-3,
      .input_shape = {1, 8, 8},
      .make_model = [](uint64_t seed) -> nn::ModulePtr { return std::make_shared<LeNet>(seed); }};
  return samples::run_sample(argc, argv, spec);
}
