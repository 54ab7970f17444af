// A background thread that runs short plugin tasks in order: the resubmission of queue work that was held
// back behind a queue_wait. Event notifications post here instead of submitting work themselves, so that no
// OpenCL call is made from inside an OpenCL callback and no host thread is borrowed for another queue's work.
// The thread starts with the first task.
#pragma once

#include <condition_variable>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>

namespace keel::opencl {

class Worker {
 public:
  Worker() = default;
  ~Worker();  // runs the tasks still queued, then joins the thread
  Worker(const Worker&) = delete;
  Worker& operator=(const Worker&) = delete;

  // Queues `task`; it runs on the worker thread with no plugin lock held. Never blocks on other tasks.
  void post(std::function<void()> task);

 private:
  void run();

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> tasks_;
  bool stopping_ = false;
  std::thread thread_;
};

}  // namespace keel::opencl
