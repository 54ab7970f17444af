// A Keel queue on a CUDA device: one CUDA stream, a completion thread, and the error rules of keel_plugin.h.
//
// Work (copies, fills, kernels) goes straight into the stream. queue_signal records a marker in the stream
// and hands it to the completion thread, which waits for the marker and then raises (or, if the stream
// failed, fails) the Keel event. Host callbacks and the release of internal memory (staging, scratch) also
// run on the completion thread once the stream has passed them, in order.
//
// queue_wait on a value some stream will signal becomes cuStreamWaitEvent on that signal's marker. A value
// no stream has been asked to signal yet (it will come from event_signal on the host, or from a queue that
// is itself held) cannot be expressed to the GPU: the queue then holds every later call on the host, in
// order, and submits them when the event changes. If the event fails instead, the held work is skipped,
// which is exactly the poisoning the ABI asks for.
//
// Poisoning: a wait on a failed event, or a failure of submitted work (a CUDA error seen by the completion
// thread or by synchronize, or an error while submitting held work), puts the queue in the error state.
// Later work is skipped, later signals fail their events with the same code and message, host callbacks
// still run, and the next synchronize returns the error and clears the state. Errors known when a call is
// made (bad arguments, a lost device, a failed launch) are returned by that call instead.
#pragma once

#include <cublas_api.h>
#include <cuda.h>

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <vector>

#include "gpu/launch.h"
#include "runtime/device.h"
#include "runtime/event.h"

namespace keel::cuda {

class Queue;

// What a piece of stream work may use while it is submitted: the stream, scratch memory released once the
// stream has passed the work, the queue's cuBLAS handle, and host-side steps ordered with the stream.
class Launch {
 public:
  Launch(Queue& queue, CUstream stream) : queue_(queue), stream_(stream) {}
  Launch(const Launch&) = delete;
  Launch& operator=(const Launch&) = delete;

  CUstream stream() const { return stream_; }
  const Device& device() const;
  // Throws the error of a failed launch or driver call (see Device::check).
  void check(const gpu::LaunchResult& result, const char* what) const;
  void check(CUresult result, const char* what) const;

  // Device memory for this work alone.
  CUdeviceptr scratch(uint64_t bytes);
  // The queue's cuBLAS handle, bound to the stream; created on first use. UNAVAILABLE without cuBLAS.
  cublasHandle_t cublas();
  // Copies between device memory and host memory of any kind, ordered with the stream. Pageable host memory
  // goes through pinned staging memory and a host function, so it is read and written in stream order.
  void copy_from_host(CUdeviceptr dst, const void* src, uint64_t size);
  void copy_to_host(void* dst, CUdeviceptr src, uint64_t size);
  // Runs `action` on the completion thread once the stream has passed everything submitted so far.
  void after(std::function<void()> action) { releases_.push_back(std::move(action)); }

  std::vector<std::function<void()>> take_releases() { return std::move(releases_); }

 private:
  bool is_pinned(const void* pointer, uint64_t size) const;
  CachingAllocator::Block staging(uint64_t size);

  Queue& queue_;
  CUstream stream_;
  std::vector<std::function<void()>> releases_;
};

// Stream work: submitted on the thread that enqueues it (or that releases a held queue), with the device's
// context current. Throws Error on failure.
using StreamWork = std::function<void(Launch&)>;

class Queue : public std::enable_shared_from_this<Queue> {
 public:
  // Creates the stream (priority > 0 asks for the device's highest priority, < 0 for its lowest) and the
  // completion thread.
  static std::shared_ptr<Queue> create(Device& device, int32_t priority);
  ~Queue();
  Queue(const Queue&) = delete;
  Queue& operator=(const Queue&) = delete;

  Device& device() const { return device_; }

  // The queue slots. Externally synchronized, like every Keel queue. `what` names the call in errors.
  void enqueue(StreamWork work, const char* what);
  void signal(const std::shared_ptr<Event>& event, uint64_t value);
  void wait(const std::shared_ptr<Event>& event, uint64_t value);
  void host_callback(keel_host_callback_fn callback, void* user_data);
  // Waits for everything enqueued (held work included), then throws the failure since the last call.
  void synchronize();
  // queue_release: drops work still held for an event (failing the events it would signal with CANCELLED),
  // waits for the stream and stops the completion thread.
  void close();

  // An event this queue holds work for has changed: submits what can be submitted now. Any thread.
  void resume();

  // For Launch.
  cublasHandle_t cublas_handle();

 private:
  struct Item {
    enum class Kind { kWork, kSignal, kWait, kCallback } kind;
    StreamWork work;
    const char* what = "";
    std::shared_ptr<Event> event;
    uint64_t value = 0;
    keel_host_callback_fn callback = nullptr;
    void* user_data = nullptr;
  };
  // A point in the stream the completion thread waits for, and what it does then.
  struct Record {
    Marker marker;
    std::shared_ptr<Event> event;  // raised to `value`, or failed if the stream failed
    uint64_t value = 0;
    keel_host_callback_fn callback = nullptr;
    void* user_data = nullptr;
    std::vector<std::function<void()>> releases;
  };

  Queue(Device& device, CUstream stream);

  // Submits one call now or holds it behind earlier held work. Requires mutex_ and the device's context.
  void submit(Item item, Wakeup& wakeup);
  // Submits held work until a wait blocks again. Requires mutex_ and the device's context.
  void flush(Wakeup& wakeup);
  // Carries out one call; false when it is a wait that must be held. `held`: the call was held, so its
  // errors poison the queue instead of being thrown.
  bool execute(Item& item, bool held, Wakeup& wakeup);
  // Pushes a record at the current end of the stream for the completion thread.
  void push_record(Record record);
  void complete(const Record& record, const std::optional<Failure>& failure);
  Failure async_failure(CUresult result) const;
  void run_completion_thread();

  Device& device_;
  CUstream stream_;
  cublasHandle_t cublas_ = nullptr;

  std::mutex mutex_;
  std::condition_variable records_ready_;  // the completion thread waits here
  std::condition_variable drained_;        // synchronize and close wait here
  std::deque<Item> held_;                  // calls held behind a wait the GPU cannot express
  std::deque<Record> records_;
  std::optional<Failure> failure_;
  bool closed_ = false;
  bool stopping_ = false;
  std::thread completion_thread_;
};

}  // namespace keel::cuda
