// Linear and Embedding: the layers that hold a weight matrix.
#include <cmath>
#include <string>

#include "keel/nn.hpp"
#include "keel/ops.hpp"
#include "nn/detail.h"

namespace keel::nn {

Linear::Linear(int64_t in_features, int64_t out_features, const LinearOptions& options) : Module("Linear") {
  if (in_features < 1 || out_features < 1) {
    fail("in_features and out_features must be >= 1, not " + std::to_string(in_features) + " and " +
         std::to_string(out_features));
  }
  if (!is_floating_point(options.tensor.dtype)) fail("the dtype must be floating point");
  Generator generator(options.seed);
  weight = empty({out_features, in_features}, detail::options_of(options.tensor));
  // PyTorch's default: kaiming_uniform with a = √5 gives the bound 1/√in_features.
  kaiming_uniform_(weight, generator, {.a = std::sqrt(5.0)});
  register_parameter("weight", weight);
  if (options.bias) {
    const double bound = 1.0 / std::sqrt(static_cast<double>(in_features));
    bias = empty({out_features}, detail::options_of(options.tensor));
    uniform_(bias, generator, -bound, bound);
    register_parameter("bias", bias);
  }
}

Tensor Linear::forward(const Tensor& input) {
  if (input.rank() < 1 || input.size(-1) != weight.size(1)) {
    fail("input's last axis must have " + std::to_string(weight.size(1)) + " features");
  }
  if (input.rank() == 2)
    return bias.defined() ? ops::gemm(input, weight, bias, {.trans_b = true})
                          : ops::gemm(input, weight, {.trans_b = true});
  const Tensor y = ops::matmul(input, weight.transpose(0, 1));
  return bias.defined() ? y + bias : y;
}

Embedding::Embedding(int64_t num_embeddings, int64_t embedding_dim, const EmbeddingOptions& options)
    : Module("Embedding") {
  if (num_embeddings < 1 || embedding_dim < 1) fail("num_embeddings and embedding_dim must be >= 1");
  if (!is_floating_point(options.tensor.dtype)) fail("the dtype must be floating point");
  Generator generator(options.seed);
  weight = empty({num_embeddings, embedding_dim}, detail::options_of(options.tensor));
  normal_(weight, generator, 0.0, 1.0);
  register_parameter("weight", weight);
}

Tensor Embedding::forward(const Tensor& indices) {
  if (indices.dtype() != Dtype::i32 && indices.dtype() != Dtype::i64) {
    fail(std::string("indices must be i32 or i64, not ") + dtype_name(indices.dtype()));
  }
  return ops::gather(weight, indices, {.axis = 0});
}

}  // namespace keel::nn
