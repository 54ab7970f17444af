#include "runtime/queue.h"

#include <cstring>
#include <utility>

#include "driver/errors.h"

namespace keel::cuda {
namespace {

// Runs `body`; returns what it threw as a Failure.
template <class Body>
std::optional<Failure> capture(Body&& body) noexcept {
  try {
    std::forward<Body>(body)();
    return std::nullopt;
  } catch (const Error& error) {
    return Failure{error.code(), error.message()};
  } catch (const std::bad_alloc&) {
    return Failure{KEEL_STATUS_RESOURCE_EXHAUSTED, "out of host memory"};
  } catch (const std::exception& error) {
    return Failure{KEEL_STATUS_INTERNAL, error.what()};
  } catch (...) {
    return Failure{KEEL_STATUS_INTERNAL, "unknown exception"};
  }
}

// A host-to-host copy that a host function performs in stream order (staging of pageable memory).
struct HostCopy {
  void* dst;
  const void* src;
  uint64_t size;

  static void CUDA_CB run(void* data) {
    const auto* copy = static_cast<const HostCopy*>(data);
    std::memcpy(copy->dst, copy->src, static_cast<size_t>(copy->size));
  }
};

}  // namespace

// ---- Launch -----------------------------------------------------------------------------------------------------

const Device& Launch::device() const { return queue_.device(); }

void Launch::check(const gpu::LaunchResult& result, const char* what) const { device().check(result, what); }

void Launch::check(CUresult result, const char* what) const { device().check(result, what); }

CUdeviceptr Launch::scratch(uint64_t bytes) {
  CachingAllocator& allocator = queue_.device().device_memory().allocator();
  const CachingAllocator::Block block = allocator.allocate(bytes == 0 ? 1 : bytes);
  after([&allocator, block] { allocator.release(block); });
  return block.address;
}

CachingAllocator::Block Launch::staging(uint64_t size) {
  CachingAllocator& allocator = queue_.device().pinned_memory().allocator();
  const CachingAllocator::Block block = allocator.allocate(size);
  after([&allocator, block] { allocator.release(block); });
  return block;
}

cublasHandle_t Launch::cublas() { return queue_.cublas_handle(); }

bool Launch::is_pinned(const void* pointer, uint64_t size) const {
  const Driver& cu = device().driver();
  const auto address = reinterpret_cast<CUdeviceptr>(pointer);
  unsigned int type = 0;
  if (cu.cuPointerGetAttribute(&type, CU_POINTER_ATTRIBUTE_MEMORY_TYPE, address) != CUDA_SUCCESS ||
      type != CU_MEMORYTYPE_HOST) {
    return false;  // pageable memory (the driver does not know the address)
  }
  CUdeviceptr start = 0;
  size_t range = 0;
  if (cu.cuPointerGetAttribute(&start, CU_POINTER_ATTRIBUTE_RANGE_START_ADDR, address) != CUDA_SUCCESS ||
      cu.cuPointerGetAttribute(&range, CU_POINTER_ATTRIBUTE_RANGE_SIZE, address) != CUDA_SUCCESS) {
    return false;
  }
  return address >= start && size <= range - (address - start);
}

void Launch::copy_from_host(CUdeviceptr dst, const void* src, uint64_t size) {
  const Driver& cu = device().driver();
  if (is_pinned(src, size)) {
    check(cu.cuMemcpyAsync(dst, reinterpret_cast<CUdeviceptr>(src), size, stream_), "cuMemcpyAsync");
    return;
  }
  const CachingAllocator::Block block = staging(size);
  auto* copy = new HostCopy{reinterpret_cast<void*>(block.address), src, size};
  after([copy] { delete copy; });
  check(cu.cuLaunchHostFunc(stream_, &HostCopy::run, copy), "cuLaunchHostFunc");
  check(cu.cuMemcpyAsync(dst, block.address, size, stream_), "cuMemcpyAsync");
}

void Launch::copy_to_host(void* dst, CUdeviceptr src, uint64_t size) {
  const Driver& cu = device().driver();
  if (is_pinned(dst, size)) {
    check(cu.cuMemcpyAsync(reinterpret_cast<CUdeviceptr>(dst), src, size, stream_), "cuMemcpyAsync");
    return;
  }
  const CachingAllocator::Block block = staging(size);
  auto* copy = new HostCopy{dst, reinterpret_cast<const void*>(block.address), size};
  after([copy] { delete copy; });
  check(cu.cuMemcpyAsync(block.address, src, size, stream_), "cuMemcpyAsync");
  check(cu.cuLaunchHostFunc(stream_, &HostCopy::run, copy), "cuLaunchHostFunc");
}

// ---- Queue: creation and teardown ---------------------------------------------------------------------------------

Queue::Queue(Device& device, CUstream stream) : device_(device), stream_(stream) {}

std::shared_ptr<Queue> Queue::create(Device& device, int32_t priority) {
  const Driver& cu = device.driver();
  const ContextScope scope(device);
  device.check_alive();
  int least = 0, greatest = 0;
  device.check(cu.cuCtxGetStreamPriorityRange(&least, &greatest), "cuCtxGetStreamPriorityRange");
  // CUDA counts down: `greatest` is the numerically lowest, most urgent priority; 0 is the default.
  const int cuda_priority = priority > 0 ? greatest : least;
  CUstream stream = nullptr;
  device.check(cu.cuStreamCreateWithPriority(&stream, CU_STREAM_NON_BLOCKING, cuda_priority),
               "cuStreamCreateWithPriority");
  std::shared_ptr<Queue> queue;
  try {
    queue.reset(new Queue(device, stream));
    Queue* raw = queue.get();
    queue->completion_thread_ = std::thread([raw] { raw->run_completion_thread(); });
  } catch (...) {
    if (!queue) (void)cu.cuStreamDestroy(stream);
    throw;
  }
  return queue;
}

Queue::~Queue() { close(); }

void Queue::close() {
  Wakeup wakeup;
  {
    const std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
    if (!held_.empty()) {
      // Nobody will signal what the held work waits for: drop it, fail its signals, still run its callbacks.
      const Failure cancelled{KEEL_STATUS_CANCELLED,
                              concat(device_.label(), ": the queue was released while it held work waiting for an "
                                                      "event that was never signalled")};
      for (Item& item : held_) {
        if (item.kind == Item::Kind::kSignal) wakeup.add(item.event->fail_from_queue(cancelled));
        if (item.kind == Item::Kind::kCallback) push_record({nullptr, nullptr, 0, item.callback, item.user_data, {}});
      }
      held_.clear();
      device_.host().log(KEEL_LOG_WARNING, cancelled.message);
    }
  }
  wakeup.run();
  {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [&] { return records_.empty(); });
  }
  const Driver& cu = device_.driver();
  if (cu.cuCtxPushCurrent(device_.context()) == CUDA_SUCCESS) {
    (void)cu.cuStreamSynchronize(stream_);
    if (cublas_ != nullptr) (void)device_.cublas()->cublasDestroy_v2(cublas_);
    (void)cu.cuStreamDestroy(stream_);
    CUcontext popped = nullptr;
    (void)cu.cuCtxPopCurrent(&popped);
  }
  {
    const std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  records_ready_.notify_all();
  if (completion_thread_.joinable()) completion_thread_.join();
}

// ---- Queue: the slots ---------------------------------------------------------------------------------------------

void Queue::enqueue(StreamWork work, const char* what) {
  device_.check_alive();
  Wakeup wakeup;
  {
    const std::lock_guard lock(mutex_);
    const ContextScope scope(device_);
    submit(Item{Item::Kind::kWork, std::move(work), what}, wakeup);
  }
  wakeup.run();
}

void Queue::signal(const std::shared_ptr<Event>& event, uint64_t value) {
  Wakeup wakeup;
  std::optional<Failure> refused;
  {
    const std::lock_guard lock(mutex_);
    refused = capture([&] {
      const ContextScope scope(device_);
      submit(Item{Item::Kind::kSignal, {}, "queue_signal", event, value}, wakeup);
    });
    // The signal will never happen: fail the event too, so nobody waits for it forever.
    if (refused) wakeup.add(event->fail_from_queue(*refused));
  }
  wakeup.run();
  if (refused) throw Error(refused->code, refused->message);
}

void Queue::wait(const std::shared_ptr<Event>& event, uint64_t value) {
  Wakeup wakeup;
  {
    const std::lock_guard lock(mutex_);
    const ContextScope scope(device_);
    submit(Item{Item::Kind::kWait, {}, "queue_wait", event, value}, wakeup);
  }
  wakeup.run();
}

void Queue::host_callback(keel_host_callback_fn callback, void* user_data) {
  Wakeup wakeup;
  {
    const std::lock_guard lock(mutex_);
    const ContextScope scope(device_);
    submit(Item{Item::Kind::kCallback, {}, "queue_host_callback", nullptr, 0, callback, user_data}, wakeup);
  }
  wakeup.run();
}

void Queue::synchronize() {
  {
    std::unique_lock lock(mutex_);
    drained_.wait(lock, [&] { return held_.empty() && records_.empty(); });
  }
  CUresult result = CUDA_SUCCESS;
  {
    const ContextScope scope(device_);
    result = device_.driver().cuStreamSynchronize(stream_);
  }
  const std::lock_guard lock(mutex_);
  if (result != CUDA_SUCCESS && !failure_) failure_ = async_failure(result);
  if (failure_) {
    const Failure failure = std::move(*failure_);
    failure_.reset();
    throw Error::relayed(failure.code, failure.message);
  }
}

void Queue::resume() {
  Wakeup wakeup;
  {
    const std::lock_guard lock(mutex_);
    if (closed_ || held_.empty()) return;
    // Without the context (a lost device) the held work cannot be submitted: poison, then drain it.
    if (const std::optional<Failure> failure = capture([&] {
          const ContextScope scope(device_);
          flush(wakeup);
        })) {
      if (!failure_) failure_ = *failure;
      flush(wakeup);
    }
  }
  wakeup.run();
}

cublasHandle_t Queue::cublas_handle() {
  if (cublas_ != nullptr) return cublas_;
  const Cublas* library = device_.cublas();
  if (library == nullptr) fail(KEEL_STATUS_UNAVAILABLE, "cuBLAS is unavailable: ", device_.cublas_problem());
  cublasHandle_t handle = nullptr;
  if (const cublasStatus_t status = library->cublasCreate_v2(&handle); status != CUBLAS_STATUS_SUCCESS) {
    fail(status_code_of(status), device_.label(), ": cublasCreate: ", library->describe(status));
  }
  const cublasStatus_t bound = library->cublasSetStream_v2(handle, stream_);
  const cublasStatus_t mode = bound == CUBLAS_STATUS_SUCCESS ? library->cublasSetMathMode(handle, CUBLAS_DEFAULT_MATH)
                                                             : bound;
  if (mode != CUBLAS_STATUS_SUCCESS) {
    (void)library->cublasDestroy_v2(handle);
    fail(status_code_of(mode), device_.label(), ": configuring the cuBLAS handle: ", library->describe(mode));
  }
  cublas_ = handle;
  return cublas_;
}

// ---- Queue: submission ----------------------------------------------------------------------------------------------

void Queue::submit(Item item, Wakeup& wakeup) {
  if (closed_) fail(KEEL_STATUS_FAILED_PRECONDITION, "the queue has been released");
  if (!held_.empty()) {
    held_.push_back(std::move(item));
    return;
  }
  if (!execute(item, /*held=*/false, wakeup)) held_.push_back(std::move(item));
}

void Queue::flush(Wakeup& wakeup) {
  while (!held_.empty()) {
    if (!execute(held_.front(), /*held=*/true, wakeup)) return;  // still blocked
    held_.pop_front();
  }
  drained_.notify_all();
}

bool Queue::execute(Item& item, bool held, Wakeup& wakeup) {
  // Errors of a direct call go back to the caller; errors of held work have no caller left and poison.
  const auto guarded = [&](auto&& body) {
    if (!held) {
      body();
      return;
    }
    if (std::optional<Failure> failure = capture(body); failure && !failure_) failure_ = std::move(failure);
  };
  switch (item.kind) {
    case Item::Kind::kWork: {
      if (failure_) return true;  // skipped
      Launch launch(*this, stream_);
      const std::optional<Failure> failure = capture([&] { item.work(launch); });
      if (std::vector<std::function<void()>> releases = launch.take_releases(); !releases.empty()) {
        Marker marker;
        (void)capture([&] {
          marker = device_.acquire_marker();
          device_.check(device_.driver().cuEventRecord(marker.get(), stream_), "cuEventRecord");
        });
        push_record({marker, nullptr, 0, nullptr, nullptr, std::move(releases)});
      }
      if (failure) {
        if (!held) throw Error(failure->code, failure->message);
        if (!failure_) failure_ = Failure{failure->code, concat(item.what, ": ", failure->message)};
      }
      return true;
    }
    case Item::Kind::kSignal: {
      if (!failure_) {
        guarded([&] {
          Marker marker = device_.acquire_marker();
          device_.check(device_.driver().cuEventRecord(marker.get(), stream_), "cuEventRecord");
          wakeup.add(item.event->add_pending(item.value, marker));
          push_record({std::move(marker), item.event, item.value, nullptr, nullptr, {}});
        });
      }
      if (failure_) wakeup.add(item.event->fail_from_queue(*failure_));
      return true;
    }
    case Item::Kind::kWait: {
      if (failure_) return true;
      const Event::Resolution resolution = item.event->resolve(item.value, weak_from_this());
      switch (resolution.kind) {
        case Event::Resolution::kReached: return true;
        case Event::Resolution::kFailed: failure_ = resolution.failure; return true;
        case Event::Resolution::kOnDevice:
          guarded([&] {
            device_.check(device_.driver().cuStreamWaitEvent(stream_, resolution.marker.get(), 0),
                          "cuStreamWaitEvent");
          });
          return true;
        case Event::Resolution::kBlocked: return false;
      }
      return true;
    }
    case Item::Kind::kCallback: {
      // Runs after the work before it, failed or not. Without a marker (a dead context) it runs in order
      // after the earlier records.
      Marker marker;
      (void)capture([&] {
        marker = device_.acquire_marker();
        device_.check(device_.driver().cuEventRecord(marker.get(), stream_), "cuEventRecord");
      });
      push_record({std::move(marker), nullptr, 0, item.callback, item.user_data, {}});
      return true;
    }
  }
  return true;
}

void Queue::push_record(Record record) {
  records_.push_back(std::move(record));
  records_ready_.notify_one();
}

// ---- Queue: completion ----------------------------------------------------------------------------------------------

Failure Queue::async_failure(CUresult result) const {
  const std::string message = concat(device_.label(), ": queued work failed: ", device_.driver().describe(result));
  if (is_sticky(result)) device_.mark_lost(message);
  return Failure{status_code_of(result), message};
}

void Queue::complete(const Record& record, const std::optional<Failure>& failure) {
  Wakeup wakeup;
  if (record.event) {
    wakeup.add(failure ? record.event->fail_from_queue(*failure) : record.event->reached_on_device(record.value));
  }
  wakeup.run();
  if (record.callback != nullptr) record.callback(record.user_data);
  for (const auto& release : record.releases) release();
}

void Queue::run_completion_thread() {
  (void)device_.driver().cuCtxSetCurrent(device_.context());
  std::unique_lock lock(mutex_);
  while (true) {
    records_ready_.wait(lock, [&] { return stopping_ || !records_.empty(); });
    if (records_.empty()) return;
    // Only this thread pops, and pushing at the back keeps references to the front valid.
    const Record& record = records_.front();
    lock.unlock();
    std::optional<Failure> failure;
    if (record.marker) {
      if (const CUresult result = device_.driver().cuEventSynchronize(record.marker.get()); result != CUDA_SUCCESS) {
        failure = async_failure(result);
      }
    }
    complete(record, failure);
    lock.lock();
    if (failure && !failure_) failure_ = std::move(failure);
    records_.pop_front();
    drained_.notify_all();
  }
}

}  // namespace keel::cuda
