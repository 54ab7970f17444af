#include "session.h"

#include <cstdio>
#include <cstdlib>

namespace keel::bench {

void check(keel_status_t status, const char* what) {
  if (status == nullptr) return;
  std::fprintf(stderr, "bench_opencl: %s failed: %s\n", what, keel_status_message(status));
  keel_status_release(status);
  std::exit(1);
}

Session::Session(const std::string& plugin) {
  const std::string path = std::string(KEEL_BENCH_PLUGIN_DIR) + "/libkeel_" + plugin + ".so";
  const char* paths[] = {path.c_str()};
  keel_runtime_options_t options{};
  options.struct_size = sizeof options;
  options.plugin_paths = paths;
  options.plugin_path_count = 1;
  options.skip_env_path = 1;
  options.skip_manifests = 1;
  check(keel_runtime_create(&options, &runtime_), "keel_runtime_create");
  if (keel_runtime_device_count(runtime_) == 0) {
    keel_loader_entry_t entry{};
    entry.struct_size = sizeof entry;
    if (keel_runtime_loader_entry_count(runtime_) > 0 && keel_runtime_loader_entry(runtime_, 0, &entry) == nullptr) {
      why_ = entry.reason;
    }
    return;
  }
  device_ = keel_runtime_device(runtime_, 0);
  check(keel_queue_create(device_, nullptr, &queue_), "keel_queue_create");
}

Session::~Session() {
  if (queue_ != nullptr) keel_queue_release(queue_);
  keel_runtime_release(runtime_);
}

Tensor::Tensor(const Session& session, const std::vector<int64_t>& shape, float value) {
  view_.dtype = KEEL_DTYPE_F32;
  view_.rank = static_cast<uint32_t>(shape.size());
  int64_t count = 1;
  for (size_t k = shape.size(); k-- > 0;) {
    view_.shape[k] = shape[k];
    view_.strides[k] = count;
    count *= shape[k];
  }
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = static_cast<uint64_t>(count) * 4;
  check(keel_buffer_allocate(session.device(), &args, &view_.buffer), "keel_buffer_allocate");
  const std::vector<float> data(static_cast<size_t>(count), value);
  check(keel_buffer_write(view_.buffer, 0, data.data(), args.size), "keel_buffer_write");
}

Tensor::~Tensor() { keel_buffer_release(view_.buffer); }

void enqueue(const Session& session, const char* name, const void* attrs, std::initializer_list<const Tensor*> inputs,
             std::initializer_list<const Tensor*> outputs) {
  const keel_op_t* op = nullptr;
  check(keel_op_find(name, &op), "keel_op_find");
  keel_tensor_t in[4];
  keel_tensor_t out[2];
  size_t n = 0;
  for (const Tensor* t : inputs) in[n++] = t->view();
  size_t m = 0;
  for (const Tensor* t : outputs) out[m++] = t->view();
  check(keel_op_run(session.queue(), op, attrs, in, n, out, m), name);
}

void synchronize(const Session& session) { check(keel_queue_synchronize(session.queue()), "keel_queue_synchronize"); }

}  // namespace keel::bench
