#include "runtime/device.h"

#include <unistd.h>

#include <algorithm>
#include <cctype>

#include "driver/errors.h"
#include "runtime/handles.h"
#include "runtime/slots.h"

namespace keel::cuda {
namespace {

// Physical RAM: the limit of the host-pinned space.
uint64_t physical_memory_bytes() {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages <= 0 || page_size <= 0) return 0;
  return static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
}

// What every block of each space is aligned to: cuMemAlloc guarantees 256 bytes; cuMemHostAlloc returns
// page-aligned memory in practice but documents no alignment, so the pinned space claims only the same.
constexpr uint64_t kDeviceAlignment = 256;
constexpr uint64_t kPinnedAlignment = 256;

}  // namespace

Device::Device(const DeviceEnvironment& environment, int ordinal) : environment_(environment), ordinal_(ordinal) {
  const Driver& cu = driver();
  const auto call = [&](CUresult result, const char* what) {
    if (result != CUDA_SUCCESS) {
      fail(status_code_of(result), "CUDA device ", ordinal, ": ", what, ": ", cu.describe(result));
    }
  };
  call(cu.cuDeviceGet(&handle_, ordinal), "cuDeviceGet");
  read_properties();
  call(cu.cuDevicePrimaryCtxRetain(&context_, handle_), "cuDevicePrimaryCtxRetain");
  try {
    const ContextScope scope(*this);
    // A build without code for this architecture (and no PTX it can compile) cannot run a single kernel.
    if (const gpu::LaunchResult image = gpu::check_kernel_image(); !image.ok()) {
      fail(KEEL_STATUS_UNAVAILABLE, label_, " (compute capability ", major_, ".", minor_,
           ") cannot run this build's kernels (built for ", KEEL_CUDA_ARCHITECTURES_TEXT, "): ", image.name,
           " (", image.text, "); rebuild with KEEL_CUDA_ARCHITECTURES including ", major_, minor_);
    }
    call(cu.cuStreamCreateWithPriority(&sync_stream_, CU_STREAM_NON_BLOCKING, 0), "cuStreamCreateWithPriority");
    device_memory_ = std::make_unique<MemorySpace>(*this, KEEL_MEMORY_KIND_DEVICE, "device", total_memory_,
                                                   kDeviceAlignment);
    pinned_memory_ = std::make_unique<MemorySpace>(*this, KEEL_MEMORY_KIND_HOST_PINNED, "host_pinned",
                                                   physical_memory_bytes(), kPinnedAlignment);
  } catch (...) {
    if (sync_stream_ != nullptr) (void)cu.cuStreamDestroy(sync_stream_);
    (void)cu.cuDevicePrimaryCtxRelease(handle_);
    throw;
  }
  build_attributes();
}

Device::~Device() {
  const Driver& cu = driver();
  if (cu.cuCtxPushCurrent(context_) == CUDA_SUCCESS) {
    device_memory_.reset();
    pinned_memory_.reset();
    for (const CUevent event : all_markers_) (void)cu.cuEventDestroy(event);
    (void)cu.cuStreamDestroy(sync_stream_);
    CUcontext popped = nullptr;
    (void)cu.cuCtxPopCurrent(&popped);
  }
  (void)cu.cuDevicePrimaryCtxRelease(handle_);
}

void Device::read_properties() {
  const Driver& cu = driver();
  const auto call = [&](CUresult result, const char* what) {
    if (result != CUDA_SUCCESS) {
      fail(status_code_of(result), "CUDA device ", ordinal_, ": ", what, ": ", cu.describe(result));
    }
  };
  const auto attribute = [&](CUdevice_attribute which, const char* what) {
    int value = 0;
    call(cu.cuDeviceGetAttribute(&value, which, handle_), what);
    return value;
  };
  char name[256] = {};
  call(cu.cuDeviceGetName(name, sizeof name - 1, handle_), "cuDeviceGetName");
  name_ = name;
  label_ = concat("CUDA device ", ordinal_, " (", name_, ")");
  CUuuid uuid{};
  call(cu.cuDeviceGetUuid(&uuid, handle_), "cuDeviceGetUuid");
  std::copy(std::begin(uuid.bytes), std::end(uuid.bytes), uuid_.begin());
  char bus[32] = {};
  call(cu.cuDeviceGetPCIBusId(bus, sizeof bus - 1, handle_), "cuDeviceGetPCIBusId");
  // "0000:3B:00.0" -> "0000:3b:00.0", the sysfs spelling other plugins report.
  pci_bus_id_ = bus;
  std::transform(pci_bus_id_.begin(), pci_bus_id_.end(), pci_bus_id_.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  size_t total = 0;
  call(cu.cuDeviceTotalMem(&total, handle_), "cuDeviceTotalMem");
  total_memory_ = total;
  multiprocessors_ = attribute(CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT, "multiprocessor count");
  major_ = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, "compute capability");
  minor_ = attribute(CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, "compute capability");
  integrated_ = attribute(CU_DEVICE_ATTRIBUTE_INTEGRATED, "integrated") != 0;
  // f16 and bf16 kernels compute in f32 and run on every architecture CUDA 13 supports (7.5 and newer);
  // f16 is native from 5.3 and bf16 from 8.0, which is what the bits advertise.
  capabilities_ = KEEL_CAP_ASYNC | KEEL_CAP_HOST_PINNED | KEEL_CAP_F64;
  if (major_ * 10 + minor_ >= 53) capabilities_ |= KEEL_CAP_F16;
  if (major_ >= 8) capabilities_ |= KEEL_CAP_BF16;
}

void Device::build_attributes() {
  const std::string cublas_text =
      cublas() != nullptr ? cublas()->description() : "unavailable: " + cublas_problem();
  attribute_text_ = {
      {"compute_capability", concat(major_, ".", minor_)},
      {"multiprocessors", concat(multiprocessors_)},
      {"driver_cuda_version", cuda_version_text(driver().version())},
      {"runtime_cuda_version", cuda_version_text(CUDA_VERSION)},
      {"driver_library", driver().library()},
      {"kernel_architectures", KEEL_CUDA_ARCHITECTURES_TEXT},
      {"cublas", cublas_text},
      {"execution", "asynchronous: one CUDA stream per queue"},
      {"allocator", "caching: size classes, released on out-of-memory and at shutdown"},
  };
  attribute_view_.clear();
  for (const auto& [key, value] : attribute_text_) attribute_view_.push_back({key.c_str(), value.c_str()});
}

void Device::properties(keel_device_properties_t& inout) const {
  using P = keel_device_properties_t;
  const size_t size = inout.struct_size;
  if (KEEL_STRUCT_HAS(size, P, name)) inout.name = name_.c_str();
  if (KEEL_STRUCT_HAS(size, P, vendor)) inout.vendor = "NVIDIA";
  if (KEEL_STRUCT_HAS(size, P, type)) inout.type = integrated_ ? KEEL_DEVICE_TYPE_IGPU : KEEL_DEVICE_TYPE_GPU;
  if (KEEL_STRUCT_HAS(size, P, uuid)) std::copy(uuid_.begin(), uuid_.end(), inout.uuid);
  if (KEEL_STRUCT_HAS(size, P, uuid_is_set)) inout.uuid_is_set = 1;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id_is_set)) inout.pci_bus_id_is_set = 1;
  if (KEEL_STRUCT_HAS(size, P, pci_bus_id)) {
    const size_t length = std::min(pci_bus_id_.size(), sizeof inout.pci_bus_id - 1);
    std::copy_n(pci_bus_id_.begin(), length, inout.pci_bus_id);
    inout.pci_bus_id[length] = '\0';
  }
  if (KEEL_STRUCT_HAS(size, P, memory_bytes)) inout.memory_bytes = total_memory_;
  if (KEEL_STRUCT_HAS(size, P, capabilities)) inout.capabilities = capabilities_;
  if (KEEL_STRUCT_HAS(size, P, compute_units)) inout.compute_units = static_cast<uint32_t>(multiprocessors_);
  if (KEEL_STRUCT_HAS(size, P, memory_space_count)) inout.memory_space_count = 2;
}

MemorySpace& Device::memory_space(uint32_t index) {
  if (index == 0) return *device_memory_;
  if (index == 1) return *pinned_memory_;
  fail(KEEL_STATUS_OUT_OF_RANGE, "memory space ", index, " does not exist (the device has 2)");
}

void Device::check(CUresult result, const char* what) const {
  if (result == CUDA_SUCCESS) return;
  const std::string message = concat(label_, ": ", what, ": ", driver().describe(result));
  if (is_sticky(result)) mark_lost(message);
  throw Error(status_code_of(result), message);
}

void Device::check(const gpu::LaunchResult& result, const char* what) const {
  if (result.ok()) return;
  const std::string message = concat(label_, ": ", what, ": ", result.name, " (", result.text, ")");
  if (is_sticky_runtime(result.code)) mark_lost(message);
  throw Error(status_code_of_runtime(result.code), message);
}

void Device::check_alive() const {
  if (!is_lost_.load(std::memory_order_acquire)) return;
  const std::lock_guard lock(lost_mutex_);
  throw Error::relayed(KEEL_STATUS_DEVICE_LOST, lost_->message);
}

void Device::mark_lost(const std::string& reason) const {
  {
    const std::lock_guard lock(lost_mutex_);
    if (lost_) return;
    lost_ = Failure{KEEL_STATUS_DEVICE_LOST,
                    concat(reason, " (the CUDA context is unusable: the device stays lost until the plugin is "
                                   "shut down)")};
  }
  is_lost_.store(true, std::memory_order_release);
  host().log(KEEL_LOG_ERROR, lost_->message);
}

std::optional<Failure> Device::lost() const {
  const std::lock_guard lock(lost_mutex_);
  return lost_;
}

void Device::copy_sync(CUdeviceptr dst, CUdeviceptr src, uint64_t size) const {
  if (size == 0) return;
  const ContextScope scope(*this);
  check_alive();
  const std::lock_guard lock(sync_mutex_);
  check(driver().cuMemcpyAsync(dst, src, size, sync_stream_), "cuMemcpyAsync");
  check(driver().cuStreamSynchronize(sync_stream_), "cuStreamSynchronize");
}

void Device::zero_sync(CUdeviceptr dst, uint64_t size) const {
  const ContextScope scope(*this);
  const std::lock_guard lock(sync_mutex_);
  check(driver().cuMemsetD8Async(dst, 0, size, sync_stream_), "cuMemsetD8Async");
  check(driver().cuStreamSynchronize(sync_stream_), "cuStreamSynchronize");
}

Marker Device::acquire_marker() const {
  CUevent event = nullptr;
  {
    const std::lock_guard lock(marker_mutex_);
    if (!free_markers_.empty()) {
      event = free_markers_.back();
      free_markers_.pop_back();
    }
  }
  if (event == nullptr) {
    // Blocking sync: a thread waiting on the event sleeps instead of spinning.
    check(driver().cuEventCreate(&event, CU_EVENT_DISABLE_TIMING | CU_EVENT_BLOCKING_SYNC), "cuEventCreate");
    const std::lock_guard lock(marker_mutex_);
    all_markers_.push_back(event);
  }
  return Marker(event, [this](CUevent done) { release_marker(done); });
}

void Device::release_marker(CUevent event) const {
  const std::lock_guard lock(marker_mutex_);
  free_markers_.push_back(event);
}

ContextScope::ContextScope(const Device& device) : device_(device) {
  device.check(device.driver().cuCtxPushCurrent(device.context()), "cuCtxPushCurrent");
}

ContextScope::~ContextScope() {
  CUcontext popped = nullptr;
  (void)device_.driver().cuCtxPopCurrent(&popped);
}

}  // namespace keel::cuda

using keel::cuda::Device;
using keel::cuda::fail;
using keel::cuda::from_handle;

extern "C" keel_status_t keel_cuda_device_properties(keel_plugin_device_t* handle,
                                                     keel_device_properties_t* inout_properties) {
  const Device& device = *from_handle(handle);
  return device.host().guard("device_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.properties(*inout_properties);
  });
}

extern "C" keel_status_t keel_cuda_device_attributes(keel_plugin_device_t* handle, keel_attribute_t* out_attributes,
                                                     size_t* inout_count) {
  const Device& device = *from_handle(handle);
  return device.host().guard("device_attributes", [&] {
    if (inout_count == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_count is NULL");
    const auto attributes = device.attributes();
    if (out_attributes == nullptr) {
      *inout_count = attributes.size();
      return;
    }
    const size_t filled = std::min(*inout_count, attributes.size());
    std::copy_n(attributes.begin(), filled, out_attributes);
    *inout_count = filled;
  });
}

extern "C" keel_status_t keel_cuda_memory_space_properties(keel_plugin_device_t* handle, uint32_t memory_space,
                                                           keel_memory_space_properties_t* inout_properties) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_space_properties", [&] {
    if (inout_properties == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_properties is NULL");
    device.memory_space(memory_space).properties(*inout_properties);
  });
}

extern "C" keel_status_t keel_cuda_memory_stats(keel_plugin_device_t* handle, uint32_t memory_space,
                                                keel_memory_stats_t* inout_stats) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_stats", [&] {
    if (inout_stats == nullptr) fail(KEEL_STATUS_INVALID_ARGUMENT, "inout_stats is NULL");
    device.memory_space(memory_space).stats(*inout_stats);
  });
}

extern "C" keel_status_t keel_cuda_memory_reset_peak(keel_plugin_device_t* handle, uint32_t memory_space) {
  Device& device = *from_handle(handle);
  return device.host().guard("memory_reset_peak", [&] { device.memory_space(memory_space).reset_peak(); });
}
