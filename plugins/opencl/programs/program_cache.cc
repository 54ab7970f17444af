#include "programs/program_cache.h"

#include <chrono>

#include "cl/error.h"
#include "programs/sha256.h"

namespace keel::opencl {
namespace {

// Bumped whenever the cache's key or file layout changes meaning.
constexpr const char* kCacheFormat = "keel-opencl-program-cache-1";
// How much of a build log a status carries.
constexpr size_t kMaxLogInMessage = 4000;

double milliseconds_since(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
}

std::string build_log(cl_program program, cl_device_id device) {
  size_t size = 0;
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, 0, nullptr, &size) != CL_SUCCESS) return "";
  std::string log(size, '\0');
  if (clGetProgramBuildInfo(program, device, CL_PROGRAM_BUILD_LOG, size, log.data(), nullptr) != CL_SUCCESS) return "";
  while (!log.empty() && (log.back() == '\0' || log.back() == '\n')) log.pop_back();
  if (log.size() > kMaxLogInMessage) log = log.substr(0, kMaxLogInMessage) + " [...]";
  return log;
}

}  // namespace

Kernel& Program::kernel(const std::string& name) {
  const std::lock_guard lock(mutex_);
  std::unique_ptr<Kernel>& slot = kernels_[name];
  if (!slot) {
    cl_int error = CL_SUCCESS;
    ClRef<cl_kernel> kernel(clCreateKernel(program_.get(), name.c_str(), &error));
    if (error != CL_SUCCESS) {
      kernels_.erase(name);
      fail(KEEL_STATUS_INTERNAL, "clCreateKernel(", name, ") failed: ", cl_error_name(error));
    }
    size_t work_group_size = 1;
    check(clGetKernelWorkGroupInfo(kernel.get(), device_, CL_KERNEL_WORK_GROUP_SIZE, sizeof work_group_size,
                                   &work_group_size, nullptr),
          "clGetKernelWorkGroupInfo");
    slot = std::make_unique<Kernel>(std::move(kernel), name, work_group_size);
  }
  return *slot;
}

ProgramCache::ProgramCache(const DeviceInfo& info, cl_context context, DiskCache disk)
    : info_(info), context_(context), disk_(std::move(disk)) {
  // No fast-math or mad flags: the spec's ulp bounds need the precise built-ins and IEEE operations.
  options_ = "-cl-std=CL1.2";
  if (info.correctly_rounded_divide) options_ += " -cl-fp32-correctly-rounded-divide-sqrt";
}

std::string ProgramCache::key_of(const std::string& source) const {
  Sha256 hash;
  for (const std::string* part : {&info_.name, &info_.vendor, &info_.driver_version, &info_.device_version,
                                  &info_.platform_name, &info_.platform_version, &options_, &source}) {
    hash.update(*part).update(std::string_view("\0", 1));
  }
  hash.update(kCacheFormat);
  return Sha256::hex(hash.finish());
}

Program& ProgramCache::get(const ProgramSpec& spec) {
  Entry* entry = nullptr;
  {
    const std::lock_guard lock(mutex_);
    std::unique_ptr<Entry>& slot = entries_[spec.name];
    if (!slot) slot = std::make_unique<Entry>();
    entry = slot.get();
  }
  const std::lock_guard lock(entry->mutex);  // one build per program; other programs build in parallel
  if (entry->program) return *entry->program;

  const std::string source = spec.generate(info_);
  const std::string key = key_of(source);
  ClRef<cl_program> program;
  if (std::optional<std::vector<uint8_t>> binary = disk_.load(key)) {
    const auto start = std::chrono::steady_clock::now();
    program = load_binary(*binary);
    const double elapsed = milliseconds_since(start);
    const std::lock_guard stats_lock(mutex_);
    if (program) {
      stats_.loaded += 1;
      stats_.load_ms += elapsed;
    } else {
      stats_.rebuilt += 1;
    }
  }
  if (!program) {
    program = build_from_source(spec, source);
    store_binary(program.get(), key);
  }
  entry->program = std::make_unique<Program>(std::move(program), info_.device);
  return *entry->program;
}

ClRef<cl_program> ProgramCache::build_from_source(const ProgramSpec& spec, const std::string& source) {
  const auto start = std::chrono::steady_clock::now();
  const char* text = source.c_str();
  const size_t length = source.size();
  cl_int error = CL_SUCCESS;
  ClRef<cl_program> program(clCreateProgramWithSource(context_, 1, &text, &length, &error));
  check(error, "clCreateProgramWithSource");
  error = clBuildProgram(program.get(), 1, &info_.device, options_.c_str(), nullptr, nullptr);
  if (error != CL_SUCCESS) {
    fail(status_code_of(error) == KEEL_STATUS_RESOURCE_EXHAUSTED ? KEEL_STATUS_RESOURCE_EXHAUSTED : KEEL_STATUS_INTERNAL,
         "building OpenCL program '", spec.name, "' for ", info_.name, " failed (", cl_error_name(error),
         "): ", build_log(program.get(), info_.device));
  }
  const double elapsed = milliseconds_since(start);
  const std::lock_guard lock(mutex_);
  stats_.built += 1;
  stats_.build_ms += elapsed;
  return program;
}

ClRef<cl_program> ProgramCache::load_binary(const std::vector<uint8_t>& binary) {
  const unsigned char* bytes = binary.data();
  const size_t size = binary.size();
  cl_int binary_status = CL_SUCCESS;
  cl_int error = CL_SUCCESS;
  ClRef<cl_program> program(
      clCreateProgramWithBinary(context_, 1, &info_.device, &size, &bytes, &binary_status, &error));
  if (error != CL_SUCCESS || binary_status != CL_SUCCESS) return {};
  if (clBuildProgram(program.get(), 1, &info_.device, options_.c_str(), nullptr, nullptr) != CL_SUCCESS) return {};
  return program;
}

void ProgramCache::store_binary(cl_program program, const std::string& key) {
  if (!disk_.enabled()) return;
  size_t size = 0;
  if (clGetProgramInfo(program, CL_PROGRAM_BINARY_SIZES, sizeof size, &size, nullptr) != CL_SUCCESS || size == 0) {
    return;  // the driver offers no binary: nothing to cache
  }
  std::vector<uint8_t> binary(size);
  unsigned char* bytes = binary.data();
  if (clGetProgramInfo(program, CL_PROGRAM_BINARIES, sizeof bytes, &bytes, nullptr) != CL_SUCCESS) return;
  if (disk_.store(key, binary)) {
    const std::lock_guard lock(mutex_);
    stats_.stored += 1;
  }
}

ProgramCache::Stats ProgramCache::stats() const {
  const std::lock_guard lock(mutex_);
  return stats_;
}

size_t ProgramCache::count_on_disk(std::span<const ProgramSpec> specs) const {
  size_t count = 0;
  for (const ProgramSpec& spec : specs) {
    if (disk_.contains(key_of(spec.generate(info_)))) count += 1;
  }
  return count;
}

}  // namespace keel::opencl
