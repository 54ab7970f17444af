// The loops shared by the elementwise operators: read every input densely (broadcast to the output's shape),
// apply a per-element rule, write the output.
#pragma once

#include <array>
#include <vector>

#include "kernel_call.h"
#include "view.h"

namespace keel::reference {

// y[i] = fn(x[i]); y has x's shape. Out is T, or bool for predicates.
template <class T, class Out = T, class Fn>
void map_elements(const KernelCall& call, Fn&& fn) {
  const View x = call.input(0);
  const View y = call.output(0);
  require_shape(y, x.shape, "output y");
  const std::vector<T> in = gather<T>(x);
  std::vector<Out> out(in.size());
  for (size_t i = 0; i < in.size(); ++i) out[i] = fn(in[i]);
  scatter(out, y);
}

// y[i] = fn(a[i], b[i]) with a and b broadcast to y's shape. Out is T, or bool for comparisons.
template <class T, class Out, class Fn>
void zip_elements(const KernelCall& call, Fn&& fn) {
  const View a = call.input(0);
  const View b = call.input(1);
  const View y = call.output(0);
  const std::array<Shape, 2> shapes = {a.shape, b.shape};
  require_shape(y, broadcast_shape(shapes), "output y");
  const std::vector<T> lhs = gather<T>(broadcast_to(a, y.shape));
  const std::vector<T> rhs = gather<T>(broadcast_to(b, y.shape));
  std::vector<Out> out(lhs.size());
  for (size_t i = 0; i < lhs.size(); ++i) out[i] = fn(lhs[i], rhs[i]);
  scatter(out, y);
}

}  // namespace keel::reference
