#include "graph/trace/trace.h"

#include <compare>
#include <map>
#include <memory>
#include <utility>

#include "dispatch/observer.h"
#include "dispatch/op_table.h"
#include "graph/ir/errors.h"
#include "graph/trace/attr_unpack.h"
#include "graph/validate/validator.h"

namespace keel {
namespace {

using graph::Graph;
using graph::ValueId;

graph::ValueType type_of(const Tensor& t) {
  return graph::ValueType::of(static_cast<keel_dtype_t>(t.dtype()), t.shape());
}

// What makes two tensor handles the same value: the same storage seen through the same layout. Autograd
// hands saved tensors back as fresh handles (aliases) of the data they saved, so handle identity is not enough.
struct ViewKey {
  const void* storage;
  uint64_t byte_offset;
  Dtype dtype;
  std::vector<int64_t> shape;
  std::vector<int64_t> strides;
  auto operator<=>(const ViewKey&) const = default;
};

ViewKey key_of(const Tensor& t) {
  const detail::TensorImpl* impl = t.impl();
  return ViewKey{impl->storage, impl->byte_offset, impl->dtype, std::vector<int64_t>(t.shape().begin(), t.shape().end()),
                 std::vector<int64_t>(t.strides().begin(), t.strides().end())};
}

// Records calls into a graph. Every tensor it has seen is kept alive, so no storage is reused while tracing.
class Recorder : public detail::CallObserver {
 public:
  explicit Recorder(Graph& graph) : graph_(graph) {}

  ValueId add_input(const Tensor& t, const std::string& name) {
    const ValueId id = graph_.add_value(name, type_of(t));
    remember(t, id);
    return id;
  }

  void on_call(int32_t op, const void* attrs, detail::Inputs inputs, std::span<const Tensor> outputs) override {
    const char* name = detail::op_table()[static_cast<size_t>(op)].name;
    const spec::OpSchema* schema = spec::find_op(name);
    if (schema == nullptr) graph::fail(KEEL_STATUS_INTERNAL, std::string("traced call of unknown operator ") + name);
    std::vector<ValueId> ids;
    for (const Tensor* t : inputs) ids.push_back(t->defined() ? value_of(*t) : graph::kNoValue);
    const graph::NodeId node = graph_.add_op(name, std::move(ids), graph::unpack_attrs(*schema, attrs), outputs.size());
    const std::vector<ValueId> results = graph_.nodes[static_cast<size_t>(node)].outputs;
    for (size_t o = 0; o < outputs.size(); ++o) {
      graph_.value(results[o]).type = type_of(outputs[o]);
      remember(outputs[o], results[o]);
    }
  }

  // The value a tensor is; an untraced tensor becomes a constant with its current contents.
  ValueId value_of(const Tensor& t) {
    if (auto found = seen_.find(key_of(t)); found != seen_.end()) {
      if (t.version() != found->second.version) {
        graph::fail(KEEL_STATUS_FAILED_PRECONDITION,
                    "trace: the tensor recorded as '" + graph_.value(found->second.id).name +
                        "' was modified in place (copy_, fill_, set_data) during the trace; in-place updates are "
                        "not recorded, so the graph would not compute what the function did");
      }
      return found->second.id;
    }
    const ValueId id = graph_.add_constant("constant", to_host_tensor(t));
    remember(t, id);
    return id;
  }

  bool has(const Tensor& t) const { return seen_.count(key_of(t)) > 0; }

 private:
  struct Seen {
    ValueId id;
    uint64_t version;
    Tensor keep_alive;
  };
  void remember(const Tensor& t, ValueId id) {
    // A later call's result with the same key (a view equal to its input) is the newer value.
    seen_.insert_or_assign(key_of(t), Seen{id, t.version(), t});
  }

  Graph& graph_;
  std::map<ViewKey, Seen> seen_;
};

// Installs a recorder for the current thread and restores the previous observer on exit (also on error).
class Installed {
 public:
  explicit Installed(detail::CallObserver* observer) : previous_(detail::set_call_observer(observer)) {}
  ~Installed() { detail::set_call_observer(previous_); }
  Installed(const Installed&) = delete;
  Installed& operator=(const Installed&) = delete;

 private:
  detail::CallObserver* previous_;
};

std::string pick_name(const std::vector<std::string>& names, size_t i, const char* base) {
  return i < names.size() && !names[i].empty() ? names[i] : base + std::to_string(i);
}

}  // namespace

graph::HostTensor to_host_tensor(const Tensor& tensor) {
  const keel_dtype_t dtype = static_cast<keel_dtype_t>(tensor.dtype());
  graph::HostTensor host(dtype, std::vector<int64_t>(tensor.shape().begin(), tensor.shape().end()));
  if (graph::is_float_dtype(dtype)) {
    const std::vector<double> values = tensor.to_vector<double>();
    for (size_t i = 0; i < values.size(); ++i) host.set(static_cast<int64_t>(i), values[i]);
  } else {
    const std::vector<int64_t> values = tensor.to_vector<int64_t>();
    for (size_t i = 0; i < values.size(); ++i) host.set_int(static_cast<int64_t>(i), values[i]);
  }
  return host;
}

graph::Graph trace(const TracedFunction& fn, std::span<const Tensor> example_inputs, const TraceOptions& options) {
  Graph graph;
  graph.name = options.name;
  graph.metadata["producer"] = "keel::trace";
  Recorder recorder(graph);
  for (size_t i = 0; i < example_inputs.size(); ++i) {
    graph.inputs.push_back(recorder.add_input(example_inputs[i], pick_name(options.input_names, i, "input")));
  }
  std::vector<Tensor> results;
  {
    Installed installed(&recorder);
    results = fn(example_inputs);
  }
  for (size_t o = 0; o < results.size(); ++o) {
    if (!results[o].defined()) {
      graph::fail(KEEL_STATUS_FAILED_PRECONDITION, "trace: result " + std::to_string(o) + " of the function is undefined");
    }
    if (!recorder.has(results[o])) {
      graph::fail(KEEL_STATUS_FAILED_PRECONDITION,
                  "trace: result " + std::to_string(o) +
                      " was not produced by a spec call the trace recorded (nor is it an input); a tensor made from "
                      "host data inside the function is a constant, return it through an operator");
    }
    const ValueId id = recorder.value_of(results[o]);
    const std::string name = pick_name(options.output_names, o, "output");
    if (graph.find_value(name) == graph::kNoValue) graph.value(id).name = name;
    graph.outputs.push_back(id);
  }
  graph::validate(graph);
  return graph;
}

}  // namespace keel
