#include "graph/passes/pipeline.h"

#include <string>

#include "graph/ir/errors.h"
#include "graph/passes/common_subexpr.h"
#include "graph/passes/dead_code.h"
#include "graph/passes/fuse_elementwise.h"
#include "graph/validate/validator.h"

namespace keel::graph {
namespace {

void revalidate(Graph& graph, const PassResult& result) {
  try {
    validate(graph);
  } catch (const Error& error) {
    fail(KEEL_STATUS_INTERNAL,
         "graph '" + graph.name + "' no longer validates after the " + result.pass + " pass: " + error_text(error));
  }
}

}  // namespace

std::vector<PassResult> optimize(Graph& graph, const PipelineOptions& options, const PassObserver& after_each) {
  validate(graph);
  std::vector<PassResult> results;
  auto record = [&](PassResult result) {
    revalidate(graph, result);
    if (after_each) after_each(result, graph);
    results.push_back(std::move(result));
  };
  if (options.fold_constants && options.runtime != nullptr) record(fold_constants(graph, *options.runtime, options.fold));
  if (options.eliminate_common_subexpressions) record(eliminate_common_subexpressions(graph));
  if (options.eliminate_dead_code) record(eliminate_dead_code(graph));
  if (options.fuse_elementwise) record(fuse_elementwise_chains(graph));
  return results;
}

}  // namespace keel::graph
