// The public autograd API: grad mode, grad/backward, and the function transforms (grad, vjp, jvp, jacobian,
// hessian, hvp), all built on the engine and on forward-mode levels.
#include <string>

#include "autograd/engine.h"
#include "autograd/forward.h"
#include "autograd/hooks.h"
#include "keel/autograd.hpp"
#include "keel/ops.hpp"
#include "tensor/make.h"

namespace keel::autograd {
namespace {

using detail::fail;

// A leaf to differentiate with respect to: x itself when it already requires grad (so the result stays
// connected to x's graph), else a fresh alias that requires grad and keeps x's tangents (forward over reverse).
Tensor leaf_for(const Tensor& x) {
  if (detail::needs_grad(x)) return x;
  Tensor leaf = detail::alias(x);
  detail::AutogradMeta& meta = detail::autograd_meta(leaf);
  meta.requires_grad = true;
  if (const detail::AutogradMeta* source = detail::autograd_meta_if(x)) meta.tangents = source->tangents;
  return leaf;
}

Tensor ones_for(const Tensor& output) {
  if (output.numel() != 1) {
    fail(KEEL_STATUS_INVALID_ARGUMENT, "a gradient can be implied only for a one-element output (this one has " +
                                           std::to_string(output.numel()) + " elements); pass grad_outputs");
  }
  return detail::full_on(detail::device_of(output), output.dtype(), output.shape(), 1.0);
}

std::vector<detail::Edge> root_edges(std::span<const Tensor> outputs) {
  std::vector<detail::Edge> roots;
  for (const Tensor& y : outputs) {
    detail::Edge e = detail::gradient_edge(y);
    if (!e.valid()) fail(KEEL_STATUS_INVALID_ARGUMENT, "an output does not require grad: nothing recorded it");
    roots.push_back(e);
  }
  return roots;
}

std::vector<Tensor> root_grads(std::span<const Tensor> outputs, std::span<const Tensor> grad_outputs) {
  std::vector<Tensor> grads;
  for (size_t i = 0; i < outputs.size(); ++i) {
    grads.push_back(i < grad_outputs.size() && grad_outputs[i].defined() ? grad_outputs[i] : ones_for(outputs[i]));
  }
  return grads;
}

// Row j of an n×n identity (in `like`'s dtype and device), shaped `shape`.
Tensor basis(const Tensor& identity, int64_t j, std::span<const int64_t> shape) {
  return identity.select(0, j).reshape(Shape(shape.begin(), shape.end()));
}

Shape concat_shapes(std::span<const int64_t> a, std::span<const int64_t> b) {
  Shape s(a.begin(), a.end());
  s.insert(s.end(), b.begin(), b.end());
  return s;
}

}  // namespace

bool is_grad_enabled() { return detail::grad_enabled(); }
NoGrad::NoGrad() : previous_(detail::grad_enabled()) { detail::set_grad_enabled(false); }
NoGrad::~NoGrad() { detail::set_grad_enabled(previous_); }
EnableGrad::EnableGrad() : previous_(detail::grad_enabled()) { detail::set_grad_enabled(true); }
EnableGrad::~EnableGrad() { detail::set_grad_enabled(previous_); }

std::vector<Tensor> grad(std::span<const Tensor> outputs, std::span<const Tensor> inputs,
                         std::span<const Tensor> grad_outputs, const GradOptions& options) {
  std::vector<detail::Edge> targets;
  for (const Tensor& x : inputs) {
    detail::Edge e = detail::gradient_edge(x);
    if (!e.valid()) fail(KEEL_STATUS_INVALID_ARGUMENT, "grad(): an input does not require grad");
    targets.push_back(e);
  }
  detail::BackwardRequest request;
  request.retain_graph = options.retain_graph;
  request.create_graph = options.create_graph;
  request.targets = &targets;
  std::vector<Tensor> result = detail::run_backward(root_edges(outputs), root_grads(outputs, grad_outputs), request);
  for (const Tensor& g : result) {
    if (!g.defined() && !options.allow_unused) {
      fail(KEEL_STATUS_INVALID_ARGUMENT,
           "grad(): an input does not influence the outputs (pass allow_unused to get an undefined gradient)");
    }
  }
  return result;
}

void backward(std::span<const Tensor> outputs, std::span<const Tensor> grad_outputs, const BackwardOptions& options) {
  detail::BackwardRequest request;
  request.retain_graph = options.retain_graph;
  request.create_graph = options.create_graph;
  detail::run_backward(root_edges(outputs), root_grads(outputs, grad_outputs), request);
}

std::vector<Tensor> grad(const FnN& f, std::span<const Tensor> x, bool create_graph) {
  EnableGrad enable;
  std::vector<Tensor> leaves;
  for (const Tensor& t : x) leaves.push_back(leaf_for(t));
  const Tensor y = f(leaves);
  if (y.numel() != 1) fail(KEEL_STATUS_INVALID_ARGUMENT, "grad(f, x): f must return one element");
  if (!detail::needs_grad(y)) {
    std::vector<Tensor> zeros;
    for (const Tensor& t : x) zeros.push_back(zeros_like(t));
    return zeros;
  }
  const Tensor outputs[] = {y};
  std::vector<Tensor> g = grad(outputs, leaves, {}, {.create_graph = create_graph, .allow_unused = true});
  for (size_t i = 0; i < g.size(); ++i) {
    if (!g[i].defined()) g[i] = zeros_like(x[i]);
  }
  return g;
}

Tensor grad(const Fn& f, const Tensor& x, bool create_graph) {
  const Tensor inputs[] = {x};
  return grad([&](std::span<const Tensor> v) { return f(v[0]); }, inputs, create_graph)[0];
}

std::pair<Tensor, std::function<Tensor(const Tensor&)>> vjp(const Fn& f, const Tensor& x) {
  EnableGrad enable;
  const Tensor leaf = leaf_for(x);
  const Tensor y = f(leaf);
  const bool create = detail::needs_grad(x);
  auto pullback = [leaf, y, x, create](const Tensor& v) {
    if (!detail::needs_grad(y)) return zeros_like(x);
    const Tensor outputs[] = {y}, inputs[] = {leaf}, cotangents[] = {v};
    Tensor g = grad(outputs, inputs, cotangents, {.retain_graph = true, .create_graph = create, .allow_unused = true})[0];
    return g.defined() ? g : zeros_like(x);
  };
  return {y, pullback};
}

std::pair<Tensor, Tensor> jvp(const FnN& f, std::span<const Tensor> x, std::span<const Tensor> v) {
  if (x.size() != v.size()) fail(KEEL_STATUS_INVALID_ARGUMENT, "jvp: one tangent per input");
  DualLevel level;
  std::vector<Tensor> duals;
  for (size_t i = 0; i < x.size(); ++i) duals.push_back(make_dual(x[i], v[i]));
  Tensor y = f(duals);
  Tensor t = detail::tangent_at(y, level.id());
  if (!t.defined()) t = zeros_like(y);
  detail::drop_tangent(y, level.id());
  return {y, t};
}

std::pair<Tensor, Tensor> jvp(const Fn& f, const Tensor& x, const Tensor& v) {
  const Tensor xs[] = {x}, vs[] = {v};
  return jvp([&](std::span<const Tensor> a) { return f(a[0]); }, xs, vs);
}

Tensor jacobian(const Fn& f, const Tensor& x, Mode mode) {
  const int64_t n = x.numel();
  if (mode == Mode::forward) {
    const Tensor identity = eye(n, n, {.dtype = x.dtype(), .device = x.device()});
    Tensor y;
    std::vector<Tensor> columns;
    for (int64_t i = 0; i < n; ++i) {
      auto [out, t] = jvp(f, x, basis(identity, i, x.shape()));
      y = out;
      columns.push_back(t.reshape({t.numel(), 1}));
    }
    if (n == 0) y = f(x);
    const Shape shape = concat_shapes(y.shape(), x.shape());
    if (n == 0 || y.numel() == 0) return zeros(shape, {.dtype = y.dtype(), .device = y.device()});
    return ops::concat(columns, {.axis = 1}).reshape(shape);
  }
  EnableGrad enable;
  const Tensor leaf = leaf_for(x);
  const Tensor y = f(leaf);
  const int64_t m = y.numel();
  const Shape shape = concat_shapes(y.shape(), x.shape());
  if (m == 0 || n == 0 || !detail::needs_grad(y)) return zeros(shape, {.dtype = y.dtype(), .device = y.device()});
  const Tensor identity = eye(m, m, {.dtype = y.dtype(), .device = y.device()});
  const bool create = detail::needs_grad(x);
  std::vector<Tensor> rows;
  for (int64_t j = 0; j < m; ++j) {
    const Tensor outputs[] = {y}, inputs[] = {leaf}, cotangents[] = {basis(identity, j, y.shape())};
    Tensor g = grad(outputs, inputs, cotangents, {.retain_graph = true, .create_graph = create, .allow_unused = true})[0];
    rows.push_back((g.defined() ? g : zeros_like(x)).reshape({1, n}));
  }
  return ops::concat(rows, {.axis = 0}).reshape(shape);
}

Tensor hessian(const Fn& f, const Tensor& x) {
  return jacobian([&](const Tensor& z) { return grad(f, z); }, x, Mode::forward);
}

Tensor hvp(const Fn& f, const Tensor& x, const Tensor& v) {
  return jvp([&](const Tensor& z) { return grad(f, z); }, x, v).second;
}

}  // namespace keel::autograd
