// Saved outputs and their forward-mode tangents. Inside a dual level, y = exp(x) on an x that requires grad
// records a Node E that saves y, and y's tangent dx·y is itself recorded (a mul reading y, whose graph reaches
// E). E must not own that tangent's graph, or E and the tangent keep each other alive after every handle is
// gone (a leak LeakSanitizer reports). The derivatives that go through the restored tangent are checked
// against closed forms evaluated in double precision on the host.
#include <gtest/gtest.h>

#include <cmath>
#include <memory>
#include <string>
#include <vector>

#include "autograd/forward.h"
#include "autograd/graph.h"
#include "keel/autograd.hpp"
#include "keel/ops.hpp"
#include "keel/tensor.hpp"

namespace keel {
namespace {

const std::vector<double> kX = {-0.7, 0.2, 1.3};
const std::vector<double> kV = {0.5, -1.5, 2.0};

Tensor f64(const std::vector<double>& values) {
  return tensor(values, {int64_t(values.size())}, {.dtype = Dtype::f64});
}

std::weak_ptr<detail::Node> grad_fn_of(const Tensor& t) {
  const detail::AutogradMeta* meta = detail::autograd_meta_if(t);
  return meta != nullptr ? std::weak_ptr<detail::Node>(meta->grad_fn) : std::weak_ptr<detail::Node>();
}

void expect_near_all(const Tensor& actual, const std::vector<double>& expected, const std::string& what) {
  const std::vector<double> got = actual.to_vector<double>();
  ASSERT_EQ(got.size(), expected.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], expected[i], 1e-12 * (1 + std::fabs(expected[i]))) << what << " [" << i << "]";
}

TEST(AutogradLeak, SavedOutputDoesNotOwnItsTangentsGraph) {
  std::weak_ptr<detail::Node> exp_node, tangent_node;
  {
    const Tensor x = f64(kX).requires_grad_();
    autograd::DualLevel level;
    Tensor y = ops::exp(autograd::make_dual(x, f64(kV)));
    exp_node = grad_fn_of(y);
    tangent_node = grad_fn_of(autograd::tangent_of(y));
    // The precondition of the cycle: both the output and its tangent are recorded.
    ASSERT_FALSE(exp_node.expired());
    ASSERT_FALSE(tangent_node.expired());
  }
  EXPECT_TRUE(exp_node.expired()) << "exp's Node outlived every tensor of its graph";
  EXPECT_TRUE(tangent_node.expired()) << "the tangent's Node outlived every tensor of its graph";
}

// d/dx Σ tangent(∂/∂dual Σ exp(dual)) along v = d/dx Σ v·exp(x) = v·exp(x): the backward of exp unpacks its
// saved output with the tangent's graph re-attached, and differentiating the gradient's tangent goes through it.
TEST(AutogradLeak, ReverseOverForwardOverReverseThroughSavedTangent) {
  const Tensor x = f64(kX).requires_grad_();
  Tensor h;
  {
    autograd::DualLevel level;
    const Tensor dual = autograd::make_dual(x, f64(kV));
    const Tensor total = ops::exp(dual).sum();  // exp's output lives on only in its Node and in total's graph
    const Tensor outputs[] = {total}, inputs[] = {dual};
    const Tensor g = autograd::grad(outputs, inputs, {}, {.create_graph = true})[0];
    const Tensor roots[] = {autograd::tangent_of(g).sum()}, leaves[] = {x};
    h = autograd::grad(roots, leaves)[0];
  }
  std::vector<double> expected;
  for (size_t i = 0; i < kX.size(); ++i) expected.push_back(kV[i] * std::exp(kX[i]));
  expect_near_all(h, expected, "d/dx of the gradient's tangent");
}

// Forward over forward: the inner level's JVP formula for exp reads exp's output, which must still carry the
// outer level's tangent, so the inner tangent's outer tangent is v1·v2·exp(x).
TEST(AutogradLeak, ForwardOverForwardReadsOutputsWithEarlierTangents) {
  const std::vector<double> v1 = {1.5, 0.25, -1.0};
  autograd::DualLevel outer;
  const Tensor d1 = autograd::make_dual(f64(kX), f64(v1));
  autograd::DualLevel inner;
  const Tensor y = ops::exp(autograd::make_dual(d1, f64(kV)));
  const Tensor mixed = detail::tangent_at(detail::tangent_at(y, inner.id()), outer.id());
  ASSERT_TRUE(mixed.defined());
  std::vector<double> expected;
  for (size_t i = 0; i < kX.size(); ++i) expected.push_back(v1[i] * kV[i] * std::exp(kX[i]));
  expect_near_all(mixed, expected, "∂²exp along v1 and v");
}

// Forward over reverse with the intermediate dropped: H·v of f(x) = Σ x·exp(x) is exp(x)·(2 + x)·v.
TEST(AutogradLeak, HessianVectorProductWithDroppedIntermediates) {
  const Tensor x = f64(kX);
  const Tensor hv = autograd::hvp([](const Tensor& z) { return (z * ops::exp(z)).sum(); }, x, f64(kV));
  std::vector<double> expected;
  for (size_t i = 0; i < kX.size(); ++i) expected.push_back(std::exp(kX[i]) * (2 + kX[i]) * kV[i]);
  expect_near_all(hv, expected, "H·v");
}

// When every tensor carrying the tangent is gone but its Node's owner is not, a recorded backward through it
// would lose the derivative through the tangent: that is an error naming the operator, while an unrecorded one
// still gets the tangent's value.
TEST(AutogradLeak, FreedTangentGraphIsAnErrorWhenRecorded) {
  const Tensor x = f64(kX).requires_grad_();
  autograd::DualLevel level;
  const Tensor dual = autograd::make_dual(x, f64(kV));
  Tensor total;
  {
    const Tensor y = ops::exp(dual);
    total = y.sum();
    detail::drop_tangent(y, level.id());
    detail::drop_tangent(total, level.id());
  }
  const Tensor outputs[] = {total}, inputs[] = {dual};
  try {
    autograd::grad(outputs, inputs, {}, {.retain_graph = true, .create_graph = true});
    ADD_FAILURE() << "expected a recorded backward through the freed tangent to raise";
  } catch (const Error& e) {
    EXPECT_EQ(e.code(), KEEL_STATUS_FAILED_PRECONDITION);
    EXPECT_NE(std::string(e.what()).find("exp"), std::string::npos) << e.what();
  }
  const Tensor g = autograd::grad(outputs, inputs)[0];
  std::vector<double> value, tangent;
  for (size_t i = 0; i < kX.size(); ++i) {
    value.push_back(std::exp(kX[i]));
    tangent.push_back(kV[i] * std::exp(kX[i]));
  }
  expect_near_all(g, value, "gradient");
  expect_near_all(autograd::tangent_of(g), tangent, "the gradient's tangent");
}

}  // namespace
}  // namespace keel
