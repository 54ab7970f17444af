#include "layers/ops/negative_cases.h"

#include <cstring>
#include <string>
#include <vector>

#include "layers/check.h"
#include "layers/runtime/device_memory.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

constexpr uint64_t kLargestBuffer = uint64_t{1} << 20;  // bigger inputs go without a buffer

const spec::ConstraintSchema* constraint_named(const spec::OpSchema& op, const std::string& id) {
  for (size_t i = 0; i < op.constraint_count; ++i) {
    if (id == op.constraints[i].id) return &op.constraints[i];
  }
  return nullptr;
}

CaseResult run_negative(WorkerContext& context, const CaseSpec& spec) {
  const spec::OpSchema& op = *spec.op;
  const spec::NegativeExample& example = op.negative_examples[spec.example];
  const spec::ConstraintSchema* constraint = constraint_named(op, example.constraint_id);
  require(constraint != nullptr, "the spec has no constraint " + std::string(example.constraint_id));
  const Device device = context.dut();
  const Op handle = Op::find(op.name);

  std::vector<OwnedBuffer> buffers;
  std::vector<keel_tensor_t> inputs;
  for (size_t i = 0; i < example.input_count; ++i) {
    const spec::TensorMeta& meta = example.inputs[i];
    const uint64_t bytes = static_cast<uint64_t>(meta.element_count()) * keel_dtype_size(meta.dtype);
    keel_buffer_t* buffer = nullptr;
    if (bytes <= kLargestBuffer) {
      buffers.push_back(allocate_or_fail(device, bytes, 0, KEEL_ALLOCATE_ZERO_INIT));
      buffer = buffers.back().get();
    }
    inputs.push_back(make_tensor(buffer, meta.dtype, std::span<const int64_t>(meta.dims, meta.rank)));
  }
  // The call is invalid, so there is nothing to infer: give every output a 0-D f32 placeholder.
  const OwnedBuffer placeholder = allocate_or_fail(device, 8, 0, 0);
  std::vector<keel_tensor_t> outputs(op.output_count,
                                     make_tensor(placeholder.get(), KEEL_DTYPE_F32, std::span<const int64_t>()));
  Queue queue = Queue::create(device);
  StatusHolder status(keel_op_run(queue.get(), handle.get(), example.attrs, inputs.data(), inputs.size(),
                                  outputs.data(), outputs.size()));
  keel_status_release(keel_queue_synchronize(queue.get()));
  require(status.code() == constraint->code,
          std::string(op.name) + " violating " + constraint->id + " (" + constraint->text + ") returned " +
              status.text() + ", the spec says " + keel_status_code_name(constraint->code));
  return passed();
}

}  // namespace

void add_negative_cases(std::vector<CaseSpec>& cases) {
  for (const spec::OpSchema& op : spec::all_ops()) {
    for (size_t i = 0; i < op.negative_example_count; ++i) {
      const std::string constraint = op.negative_examples[i].constraint_id;
      size_t earlier = 0;  // examples of the same constraint before this one
      for (size_t j = 0; j < i; ++j) earlier += constraint == op.negative_examples[j].constraint_id ? 1 : 0;
      CaseSpec spec;
      spec.id = "negative." + std::string(op.name) + "." + constraint + (earlier ? "." + std::to_string(earlier) : "");
      spec.layer = Layer::kNegative;
      spec.profile = is_training_op(op.name, op.group) ? Profile::kCoreTraining : Profile::kCoreInference;
      spec.quick = true;
      spec.run = run_negative;
      spec.op = &op;
      spec.constraint = constraint;
      spec.example = i;
      spec.description = "a call violating " + constraint + " returns the documented status code";
      cases.push_back(std::move(spec));
    }
  }
}

}  // namespace keel::conform
