// Parameter-free layers: ReLU, GELU and Dropout.
#include <string>

#include "keel/nn.hpp"
#include "keel/ops.hpp"

namespace keel::nn {

Tensor ReLU::forward(const Tensor& input) { return ops::relu(input); }

Tensor GELU::forward(const Tensor& input) {
  return ops::gelu(input,
                   {.approximate = tanh_ ? ops::GeluOptions::Approximate::tanh : ops::GeluOptions::Approximate::none});
}

Dropout::Dropout(const DropoutOptions& options) : Module("Dropout"), p_(options.p), generator_(options.seed) {
  if (!(options.p >= 0 && options.p <= 1)) fail("p must lie in [0, 1], not " + std::to_string(options.p));
}

Tensor Dropout::forward(const Tensor& input) {
  if (!is_training() || p_ == 0) return input;
  // The spec's dropout uses one Philox word per element, four per block.
  const auto blocks = static_cast<uint64_t>((input.numel() + 3) / 4);
  const uint64_t offset = generator_.take(blocks);
  return ops::dropout(input, {.ratio = p_,
                              .training = true,
                              .seed = static_cast<int64_t>(generator_.seed()),
                              .offset = static_cast<int64_t>(offset)})
      .y;
}

}  // namespace keel::nn
