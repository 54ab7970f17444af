// Kernels made of one elementwise loop: the plan is built once per signature, and each call only walks it.
// F is a functor applied per element (see scalar_ops.h).
#pragma once

#include <memory>
#include <string>

#include "elementwise.h"
#include "kernel.h"
#include "tensor.h"

namespace keel::onednn {

template <class Out, class In, class F>
class UnaryLoop final : public Kernel {
 public:
  explicit UnaryLoop(const CallInfo& call, F f = F{}) : plan_(plan_loop(call.output(0), {&call.input(0)})), f_(f) {}
  void run(Queue&, const keel_kernel_call_t& call) const override {
    run_unary(plan_, typed_data<Out>(call.outputs[0]), typed_data<const In>(call.inputs[0]), f_);
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "loop"; }

 private:
  LoopPlan plan_;
  F f_;
};

template <class Out, class A, class B, class F>
class BinaryLoop final : public Kernel {
 public:
  explicit BinaryLoop(const CallInfo& call, F f = F{})
      : plan_(plan_loop(call.output(0), {&call.input(0), &call.input(1)})), f_(f) {}
  void run(Queue&, const keel_kernel_call_t& call) const override {
    run_binary(plan_, typed_data<Out>(call.outputs[0]), typed_data<const A>(call.inputs[0]),
               typed_data<const B>(call.inputs[1]), f_);
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "loop"; }

 private:
  LoopPlan plan_;
  F f_;
};

template <class Out, class A, class B, class C, class F>
class TernaryLoop final : public Kernel {
 public:
  explicit TernaryLoop(const CallInfo& call, F f = F{})
      : plan_(plan_loop(call.output(0), {&call.input(0), &call.input(1), &call.input(2)})), f_(f) {}
  void run(Queue&, const keel_kernel_call_t& call) const override {
    run_ternary(plan_, typed_data<Out>(call.outputs[0]), typed_data<const A>(call.inputs[0]),
                typed_data<const B>(call.inputs[1]), typed_data<const C>(call.inputs[2]), f_);
  }
  bool tolerates_identical_alias() const override { return true; }
  std::string describe() const override { return "loop"; }

 private:
  LoopPlan plan_;
  F f_;
};

}  // namespace keel::onednn
