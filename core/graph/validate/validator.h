// The graph validator. It checks the structure (every reference resolves, one producer per value, no
// cycles, unique names), each node against the spec (known operator and version, attributes that fit the
// operator's table, input count), then runs the spec's check() and infer() node by node wherever the input
// types are static, filling in the value types. A violation throws keel::Error (INVALID_ARGUMENT) whose
// message names the graph, the offending node and the rule ("graph 'g': node 'n3' (reshape): reshape:
// constraint C1 violated (...): ...").
#pragma once

#include <cstddef>

#include "graph/ir/graph.h"

namespace keel::graph {

struct ValidateOptions {
  // Replace declared value types by the inferred ones where they disagree instead of failing (importers
  // whose declared types are hints).
  bool trust_inference = false;
};

struct ValidateReport {
  size_t nodes = 0;
  size_t inferred = 0;  // nodes whose output types the spec inferred
  size_t dynamic = 0;   // nodes left to the executor: an input type not static, or an attribute bound to a
                        // value that is not constant
};

// Validates and sorts the nodes topologically; fills in inferred types. Unnamed nodes get names.
ValidateReport validate(Graph& graph, const ValidateOptions& options = {});

// Structure only (no spec inference): references, producers, cycles, names, operators, attributes.
void validate_structure(Graph& graph);

}  // namespace keel::graph
