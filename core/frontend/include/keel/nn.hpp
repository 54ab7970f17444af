// keel::nn: neural-network modules, losses and weight initialization over keel::Tensor, in the manner of
// torch.nn. Modules call the spec operators of keel/ops.hpp, so autograd differentiates through them.
//
//   auto model = std::make_shared<keel::nn::Sequential>(std::vector<keel::nn::ModulePtr>{
//       std::make_shared<keel::nn::Linear>(64, 32, keel::nn::LinearOptions{.seed = 1}),
//       std::make_shared<keel::nn::ReLU>(),
//       std::make_shared<keel::nn::Linear>(32, 10, keel::nn::LinearOptions{.seed = 2})});
//   keel::optim::Adam opt(model->parameters(), {.lr = 1e-2});
//   keel::nn::CrossEntropyLoss loss_fn;
//   loss_fn(model->forward(x), labels).backward();
//   opt.step();
//
// A module owns its parameters (trainable leaves) and buffers (state such as running statistics) as public
// Tensor members, registered under names; children are registered modules, and names nest with dots
// ("0.weight", "features.1.running_mean"). Modules are not copyable: share them with std::shared_ptr.
// Random initialization is explicit: every module that draws numbers takes a seed in its options.
// Invalid arguments throw keel::Error (INVALID_ARGUMENT) naming the module and the argument.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "keel/tensor.hpp"

namespace keel::nn {

// ---- Module base ------------------------------------------------------------------------------------------

class Module;
using ModulePtr = std::shared_ptr<Module>;

class Module {
 public:
  virtual ~Module() = default;
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  virtual Tensor forward(const Tensor& input) = 0;
  Tensor operator()(const Tensor& input) { return forward(input); }
  // The type name, e.g. "Linear" (error messages and printing).
  const std::string& type_name() const { return type_name_; }

  // Every parameter of this module and its children, depth first in registration order (for optimizers).
  std::vector<Tensor> parameters() const;
  std::vector<std::pair<std::string, Tensor>> named_parameters() const;
  std::vector<std::pair<std::string, Tensor>> named_buffers() const;
  // Parameters then buffers: what save/load stores (keel/serialize.hpp).
  std::vector<std::pair<std::string, Tensor>> state() const;
  // The registered tensor with this dotted name (a parameter or a buffer), replaceable in place; throws
  // NOT_FOUND naming it.
  Tensor& state_entry(const std::string& name);
  const std::vector<std::pair<std::string, ModulePtr>>& children() const { return children_; }

  // Training mode (the default) or evaluation mode, for this module and its children: Dropout and
  // BatchNorm2d behave differently.
  void train(bool on = true);
  void eval() { train(false); }
  bool is_training() const { return training_; }

  // Moves every parameter and buffer to `device` (new leaf tensors there; parameters keep requires_grad).
  // Optimizers hold the old tensors: make them after moving the module.
  void to(const Device& device);

 protected:
  explicit Module(std::string type_name) : type_name_(std::move(type_name)) {}
  // Registers a member tensor; the module must keep `slot` alive and in place (it is a member).
  // A parameter becomes a leaf that requires grad.
  void register_parameter(std::string name, Tensor& slot);
  void register_buffer(std::string name, Tensor& slot);
  template <class M>
  std::shared_ptr<M> register_module(std::string name, std::shared_ptr<M> child) {
    add_child(std::move(name), child);
    return child;
  }
  // Throws INVALID_ARGUMENT: "<Type>: <message>".
  [[noreturn]] void fail(const std::string& message) const;

 private:
  void add_child(std::string name, ModulePtr child);
  void collect(const std::string& prefix, bool parameters, std::vector<std::pair<std::string, Tensor*>>& out) const;

  std::string type_name_;
  std::vector<std::pair<std::string, Tensor*>> parameters_;
  std::vector<std::pair<std::string, Tensor*>> buffers_;
  std::vector<std::pair<std::string, ModulePtr>> children_;
  bool training_ = true;
};

// Where a module's tensors are created.
struct ModuleTensorOptions {
  Dtype dtype = Dtype::f32;      // floating point
  std::optional<Device> device;  // default_device() when empty
};

// ---- Containers -------------------------------------------------------------------------------------------

// Applies its children in order; they are named "0", "1", ...
class Sequential : public Module {
 public:
  Sequential() : Module("Sequential") {}
  explicit Sequential(std::vector<ModulePtr> modules);
  void push_back(ModulePtr module);
  size_t size() const { return children().size(); }
  Tensor forward(const Tensor& input) override;
};

// ---- Layers -----------------------------------------------------------------------------------------------

// y = x·Wᵀ + b; weight [out, in], bias [out]. Initialized as PyTorch's Linear: weight by kaiming_uniform
// with a = √5 (bound 1/√in), bias uniform in ±1/√in.
struct LinearOptions {
  bool bias = true;
  uint64_t seed = 0;
  ModuleTensorOptions tensor;
};
class Linear : public Module {
 public:
  Linear(int64_t in_features, int64_t out_features, const LinearOptions& options = {});
  Tensor forward(const Tensor& input) override;  // [..., in] -> [..., out]
  Tensor weight;
  Tensor bias;  // undefined without bias
};

// 2-D convolution over [N, C_in, H, W]; weight [C_out, C_in / groups, kH, kW]. Initialized as PyTorch's
// Conv2d (bound 1/√fan_in for both weight and bias).
struct Conv2dOptions {
  int64_t stride = 1;
  int64_t padding = 0;  // on every side
  int64_t dilation = 1;
  int64_t groups = 1;
  bool bias = true;
  uint64_t seed = 0;
  ModuleTensorOptions tensor;
};
class Conv2d : public Module {
 public:
  Conv2d(int64_t in_channels, int64_t out_channels, int64_t kernel_size, const Conv2dOptions& options = {});
  Tensor forward(const Tensor& input) override;
  Tensor weight;
  Tensor bias;

 private:
  Conv2dOptions options_;
};

// Pooling over [N, C, H, W] with square windows; stride 0 means the kernel size (as PyTorch's default).
struct Pool2dOptions {
  int64_t stride = 0;
  int64_t padding = 0;
  bool ceil_mode = false;
  bool count_include_pad = true;  // AvgPool2d only (PyTorch's default)
};
class MaxPool2d : public Module {
 public:
  explicit MaxPool2d(int64_t kernel_size, const Pool2dOptions& options = {});
  Tensor forward(const Tensor& input) override;

 private:
  int64_t kernel_;
  Pool2dOptions options_;
};
class AvgPool2d : public Module {
 public:
  explicit AvgPool2d(int64_t kernel_size, const Pool2dOptions& options = {});
  Tensor forward(const Tensor& input) override;

 private:
  int64_t kernel_;
  Pool2dOptions options_;
};

// Batch normalization over [N, C, H, W] per channel. Training mode normalizes with the batch statistics and
// updates running_mean = (1 - momentum)·running_mean + momentum·mean and running_var likewise with the
// unbiased batch variance (as PyTorch); evaluation mode normalizes with the running statistics.
struct BatchNorm2dOptions {
  double eps = 1e-5;
  double momentum = 0.1;
  bool affine = true;  // learnable weight (ones) and bias (zeros)
  ModuleTensorOptions tensor;
};
class BatchNorm2d : public Module {
 public:
  explicit BatchNorm2d(int64_t num_features, const BatchNorm2dOptions& options = {});
  Tensor forward(const Tensor& input) override;
  Tensor weight;
  Tensor bias;
  Tensor running_mean;  // buffer, zeros
  Tensor running_var;   // buffer, ones

 private:
  int64_t num_features_;
  BatchNorm2dOptions options_;
};

// Layer normalization over the trailing axes given by normalized_shape, with elementwise weight and bias.
struct LayerNormOptions {
  double eps = 1e-5;
  bool elementwise_affine = true;
  ModuleTensorOptions tensor;
};
class LayerNorm : public Module {
 public:
  explicit LayerNorm(Shape normalized_shape, const LayerNormOptions& options = {});
  Tensor forward(const Tensor& input) override;
  Tensor weight;
  Tensor bias;

 private:
  Shape normalized_shape_;
  LayerNormOptions options_;
};

// Zeroes each element with probability p and scales the rest by 1/(1 - p) (the spec's Philox dropout); the
// identity in evaluation mode. Each training call draws fresh numbers from the generator seeded by `seed`.
struct DropoutOptions {
  double p = 0.5;
  uint64_t seed = 0;
};
class Dropout : public Module {
 public:
  explicit Dropout(const DropoutOptions& options = {});
  Tensor forward(const Tensor& input) override;
  const Generator& generator() const { return generator_; }

 private:
  double p_;
  Generator generator_;
};

// A lookup table [num_embeddings, dim]: integer indices of any shape -> [..., dim]. Initialized N(0, 1).
struct EmbeddingOptions {
  uint64_t seed = 0;
  ModuleTensorOptions tensor;
};
class Embedding : public Module {
 public:
  Embedding(int64_t num_embeddings, int64_t embedding_dim, const EmbeddingOptions& options = {});
  Tensor forward(const Tensor& indices) override;
  Tensor weight;
};

class ReLU : public Module {
 public:
  ReLU() : Module("ReLU") {}
  Tensor forward(const Tensor& input) override;
};

class GELU : public Module {
 public:
  explicit GELU(bool tanh_approximation = false) : Module("GELU"), tanh_(tanh_approximation) {}
  Tensor forward(const Tensor& input) override;

 private:
  bool tanh_;
};

// ---- Losses -----------------------------------------------------------------------------------------------

enum class Reduction { none, mean, sum };

// Softmax cross-entropy of logits [N, C, ...] against integer class indices [N, ...].
struct CrossEntropyLossOptions {
  Reduction reduction = Reduction::mean;
  int64_t ignore_index = -100;
  double label_smoothing = 0.0;
  Tensor weight;  // per class [C]; undefined: all 1
};
class CrossEntropyLoss {
 public:
  explicit CrossEntropyLoss(CrossEntropyLossOptions options = {}) : options_(std::move(options)) {}
  Tensor operator()(const Tensor& logits, const Tensor& target) const;

 private:
  CrossEntropyLossOptions options_;
};

// Negative log-likelihood of log-probabilities [N, C, ...] at integer class indices [N, ...].
struct NLLLossOptions {
  Reduction reduction = Reduction::mean;
  int64_t ignore_index = -100;
  Tensor weight;
};
class NLLLoss {
 public:
  explicit NLLLoss(NLLLossOptions options = {}) : options_(std::move(options)) {}
  Tensor operator()(const Tensor& log_probs, const Tensor& target) const;

 private:
  NLLLossOptions options_;
};

// (input - target)², combined by the reduction; the shapes must match.
class MSELoss {
 public:
  explicit MSELoss(Reduction reduction = Reduction::mean) : reduction_(reduction) {}
  Tensor operator()(const Tensor& input, const Tensor& target) const;

 private:
  Reduction reduction_;
};

// ---- Initialization ---------------------------------------------------------------------------------------
// In place (under autograd::NoGrad), following torch.nn.init: fan_in = size(1)·receptive field, fan_out =
// size(0)·receptive field (receptive field = product of the axes after the first two); tensors of rank < 2
// are rejected. Numbers come from `generator` (Philox), which advances.

enum class FanMode { fan_in, fan_out };
enum class Nonlinearity { linear, sigmoid, tanh, relu, leaky_relu };

// torch.nn.init.calculate_gain: 1, 1, 5/3, √2, √(2 / (1 + a²)).
double calculate_gain(Nonlinearity nonlinearity, double a = 0.0);
// (fan_in, fan_out) of a weight shape.
std::pair<int64_t, int64_t> fans(std::span<const int64_t> shape);

struct KaimingOptions {
  double a = 0.0;  // negative slope of leaky_relu
  FanMode mode = FanMode::fan_in;
  Nonlinearity nonlinearity = Nonlinearity::leaky_relu;
};
// U(-b, b) with b = gain·√(3 / fan).
Tensor& kaiming_uniform_(Tensor& tensor, Generator& generator, const KaimingOptions& options = {});
// N(0, std²) with std = gain / √fan.
Tensor& kaiming_normal_(Tensor& tensor, Generator& generator, const KaimingOptions& options = {});
// U(-b, b) with b = gain·√(6 / (fan_in + fan_out)).
Tensor& xavier_uniform_(Tensor& tensor, Generator& generator, double gain = 1.0);
// N(0, std²) with std = gain·√(2 / (fan_in + fan_out)).
Tensor& xavier_normal_(Tensor& tensor, Generator& generator, double gain = 1.0);
Tensor& uniform_(Tensor& tensor, Generator& generator, double low, double high);
Tensor& normal_(Tensor& tensor, Generator& generator, double mean, double std);

}  // namespace keel::nn
