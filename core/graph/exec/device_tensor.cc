#include "graph/exec/device_tensor.h"

#include "keel/keel.hpp"

namespace keel::graph {

keel_tensor_t DeviceTensor::view() const {
  keel_tensor_t t = make_tensor(buffer ? buffer->get() : nullptr, dtype, shape, offset);
  return t;
}

spec::TensorMeta DeviceTensor::meta() const {
  spec::TensorMeta m;
  m.dtype = dtype;
  m.rank = static_cast<uint32_t>(shape.size());
  for (size_t i = 0; i < shape.size() && i < KEEL_MAX_RANK; ++i) m.dims[i] = shape[i];
  return m;
}

std::shared_ptr<BufferHolder> allocate_buffer(keel_device_t* device, uint64_t bytes) {
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof(args);
  args.size = bytes;
  args.alignment = 64;
  keel_buffer_t* buffer = nullptr;
  check(keel_buffer_allocate(device, &args, &buffer));
  return std::make_shared<BufferHolder>(buffer);
}

}  // namespace keel::graph
