#include "keel_session.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>

namespace keel::bench {

void check(keel_status_t status, const char* what) {
  if (status == nullptr) return;
  std::fprintf(stderr, "bench_onednn: %s failed: %s\n", what, keel_status_message(status));
  keel_status_release(status);
  std::exit(2);
}

namespace {

keel_runtime_options_t only_onednn(const char* const* path) {
  keel_runtime_options_t options{};
  options.struct_size = sizeof options;
  options.plugin_paths = path;
  options.plugin_path_count = 1;
  options.skip_env_path = 1;
  options.skip_manifests = 1;
  return options;
}

}  // namespace

Tensor::Tensor(keel_device_t* device, keel_dtype_t dtype, const std::vector<int64_t>& shape) {
  view_.dtype = dtype;
  view_.rank = static_cast<uint32_t>(shape.size());
  int64_t stride = 1;
  for (size_t d = shape.size(); d-- > 0;) {
    view_.shape[d] = shape[d];
    view_.strides[d] = stride;
    stride *= shape[d];
  }
  keel_buffer_allocate_args_t args{};
  args.struct_size = sizeof args;
  args.size = static_cast<uint64_t>(stride) * keel_dtype_size(dtype);
  args.alignment = 4096;
  check(keel_buffer_allocate(device, &args, &view_.buffer), "keel_buffer_allocate");
}

Tensor::~Tensor() { keel_buffer_release(view_.buffer); }

int64_t Tensor::count() const {
  int64_t count = 1;
  for (uint32_t d = 0; d < view_.rank; ++d) count *= view_.shape[d];
  return count;
}

Session::Session() {
  const char* path = KEEL_BENCH_PLUGIN;
  const keel_runtime_options_t options = only_onednn(&path);
  check(keel_runtime_create(&options, &runtime_), "keel_runtime_create");
  check(keel_runtime_find_device(runtime_, "onednn", &device_), "finding the onednn device");
  check(keel_queue_create(device_, nullptr, &queue_), "keel_queue_create");
}

Session::~Session() {
  keel_queue_release(queue_);
  keel_runtime_release(runtime_);
}

const keel_op_t* Session::op(const char* name) const {
  const keel_op_t* op = nullptr;
  keel_status_t status = keel_op_find(name, &op);
  keel_status_release(status);
  return op;
}

bool Session::implements(const char* name) const {
  const keel_op_t* found = op(name);
  return found != nullptr && keel_plugin_implements_op(keel_device_plugin(device_), found) != 0;
}

void Session::run(const keel_op_t* op, const void* attrs, std::initializer_list<const Tensor*> inputs,
                  std::initializer_list<const Tensor*> outputs) const {
  keel_tensor_t in[8];
  keel_tensor_t out[4];
  size_t i = 0;
  for (const Tensor* t : inputs) in[i++] = t->view();
  size_t o = 0;
  for (const Tensor* t : outputs) out[o++] = t->view();
  check(keel_op_run(queue_, op, attrs, in, i, out, o), "keel_op_run");
  check(keel_queue_synchronize(queue_), "keel_queue_synchronize");
}

int64_t time_runtime_create(int64_t* loader_ns) {
  const char* path = KEEL_BENCH_PLUGIN;
  const keel_runtime_options_t options = only_onednn(&path);
  keel_runtime_t* runtime = nullptr;
  const auto start = std::chrono::steady_clock::now();
  check(keel_runtime_create(&options, &runtime), "keel_runtime_create");
  const auto end = std::chrono::steady_clock::now();
  *loader_ns = -1;
  if (keel_runtime_loader_entry_count(runtime) > 0) {
    keel_loader_entry_t entry{};
    entry.struct_size = sizeof entry;
    check(keel_runtime_loader_entry(runtime, 0, &entry), "keel_runtime_loader_entry");
    if (entry.outcome != KEEL_LOADER_ACCEPTED) {
      std::fprintf(stderr, "bench_onednn: the plugin was not loaded: %s\n", entry.reason);
      std::exit(2);
    }
    *loader_ns = static_cast<int64_t>(entry.load_time_ns);
  }
  keel_runtime_release(runtime);
  return std::chrono::duration_cast<std::chrono::nanoseconds>(end - start).count();
}

}  // namespace keel::bench
