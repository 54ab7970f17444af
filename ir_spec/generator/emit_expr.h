// Writes formulas (gradient, decomposition) into the operator table as keel::spec::ExprNode trees
// (core/spec/op_schema.h, "Formulas"): constexpr arrays, children before parents.
#pragma once

#include <sstream>
#include <string>

#include "expr.h"

namespace keel::specgen {

class ExprWriter {
 public:
  explicit ExprWriter(std::ostringstream& out) : out_(out) {}

  // Declares the tree of `e` (already resolved by check_spec) and returns an expression pointing at its root
  // node, e.g. "&kE12[0]".
  std::string write(const Expr& e);

 private:
  // Declares the arrays `e`'s node needs (its children, its keys) and returns its initializer.
  std::string node(const Expr& e);

  std::ostringstream& out_;
  int next_ = 0;
};

}  // namespace keel::specgen
