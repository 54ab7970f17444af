#include "runner/scheduler.h"

#include <poll.h>

#include <chrono>
#include <deque>
#include <memory>
#include <optional>
#include <stdexcept>

#include "runner/child_process.h"
#include "runner/protocol.h"

namespace keel::conform {
namespace {

using Clock = std::chrono::steady_clock;

struct Group {
  std::vector<const CaseSpec*> cases;
  size_t next = 0;
  bool done() const { return next == cases.size(); }
};

struct Slot {
  std::unique_ptr<ChildProcess> child;
  bool ready = false;
  std::string fatal;           // what a worker said before giving up
  Group* group = nullptr;      // the group this slot works through
  const CaseSpec* running = nullptr;
  Clock::time_point deadline;
};

std::vector<Group> make_groups(const std::vector<const CaseSpec*>& cases) {
  std::vector<Group> groups;
  for (const CaseSpec* spec : cases) {
    if (groups.empty() || groups.back().cases.front()->group != spec->group) groups.emplace_back();
    groups.back().cases.push_back(spec);
  }
  return groups;
}

class Scheduler {
 public:
  Scheduler(const SchedulerOptions& options, const std::vector<const CaseSpec*>& cases, const ResultSink& sink)
      : options_(options), sink_(sink), groups_(make_groups(cases)), slots_(static_cast<size_t>(std::max(1, options.jobs))) {
    for (Group& group : groups_) waiting_.push_back(&group);
  }

  void run() {
    while (true) {
      bool busy = false;
      for (size_t i = 0; i < slots_.size(); ++i) busy = advance(i) || busy;
      if (!busy) break;
      wait_for_events();
    }
    for (Slot& slot : slots_) {
      if (slot.child) {
        slot.child->close_input();
        slot.child->wait(5.0);
      }
    }
  }

 private:
  // Starts work on an idle slot. Returns whether the slot has anything in progress.
  bool advance(size_t index) {
    Slot& slot = slots_[index];
    if (slot.running != nullptr || (slot.child && !slot.ready)) return true;
    if (slot.group != nullptr && slot.group->done()) slot.group = nullptr;
    if (slot.group == nullptr) {
      if (waiting_.empty()) return false;
      slot.group = waiting_.front();
      waiting_.pop_front();
    }
    if (!slot.child) {
      start_worker(index);
      return true;
    }
    slot.running = slot.group->cases[slot.group->next];
    slot.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(std::chrono::duration<double>(
                                       options_.case_timeout_s * slot.running->timeout_scale));
    if (!slot.child->send_line(std::string(kRunCommand) + slot.running->id)) {
      worker_died(slot);
    }
    return true;
  }

  void start_worker(size_t index) {
    Slot& slot = slots_[index];
    std::string error;
    slot.child = ChildProcess::spawn(options_.worker_argv,
                                     options_.log_dir + "/worker-" + std::to_string(index) + ".log", &error);
    if (!slot.child) throw std::runtime_error("cannot start a worker: " + error);
    slot.ready = false;
    slot.fatal.clear();
    slot.deadline = Clock::now() + std::chrono::duration_cast<Clock::duration>(
                                       std::chrono::duration<double>(options_.startup_timeout_s));
  }

  void finish(Slot& slot, CaseResult result) {
    const CaseSpec* spec = slot.running;
    slot.running = nullptr;
    slot.group->next += 1;
    sink_(*spec, result);
  }

  void worker_died(Slot& slot) {
    const std::string ending = slot.child->wait();
    slot.child.reset();
    if (!slot.ready) {
      throw std::runtime_error("a worker could not start (" + ending + ")" + (slot.fatal.empty() ? "" : ": " + slot.fatal));
    }
    if (slot.running != nullptr) {
      CaseResult result;
      result.outcome = Outcome::kCrashed;
      result.reason = "the worker " + ending + " while running this case";
      finish(slot, result);
    }
  }

  void timed_out(Slot& slot) {
    if (!slot.ready) {
      slot.child->kill();
      slot.child->wait();
      slot.child.reset();
      throw std::runtime_error("a worker did not start within " + std::to_string(options_.startup_timeout_s) + " s");
    }
    slot.child->kill();
    slot.child->wait();
    slot.child.reset();
    CaseResult result;
    result.outcome = Outcome::kTimedOut;
    const double limit = options_.case_timeout_s * slot.running->timeout_scale;
    result.reason = "no result within " + std::to_string(static_cast<int>(limit)) + " s; the worker was killed";
    result.time_ms = limit * 1000;
    finish(slot, result);
  }

  void handle_line(Slot& slot, const std::string& line) {
    if (line.starts_with(kReadyMessage)) {
      slot.ready = true;
    } else if (line.starts_with(kFatalMessage)) {
      slot.fatal = line.substr(kFatalMessage.size());
    } else if (line.starts_with(kResultMessage) && slot.running != nullptr) {
      const nlohmann::json json = nlohmann::json::parse(line.substr(kResultMessage.size()), nullptr, false);
      std::optional<std::pair<std::string, CaseResult>> parsed = result_from_json(json);
      if (!parsed || parsed->first != slot.running->id) {
        CaseResult bad;
        bad.outcome = Outcome::kFail;
        bad.reason = "the worker sent a malformed result";
        finish(slot, bad);
      } else {
        finish(slot, parsed->second);
      }
    }
  }

  void wait_for_events() {
    std::vector<pollfd> fds;
    std::vector<Slot*> owners;
    Clock::time_point earliest = Clock::time_point::max();
    for (Slot& slot : slots_) {
      if (!slot.child) continue;
      fds.push_back({slot.child->result_fd(), POLLIN, 0});
      owners.push_back(&slot);
      if (slot.running != nullptr || !slot.ready) earliest = std::min(earliest, slot.deadline);
    }
    if (fds.empty()) return;
    const auto now = Clock::now();
    const int timeout_ms =
        earliest == Clock::time_point::max()
            ? 1000
            : static_cast<int>(std::max<int64_t>(
                  0, std::chrono::duration_cast<std::chrono::milliseconds>(earliest - now).count() + 1));
    poll(fds.data(), fds.size(), timeout_ms);
    for (size_t i = 0; i < fds.size(); ++i) {
      Slot& slot = *owners[i];
      if (fds[i].revents != 0) {
        std::vector<std::string> lines;
        const bool open = slot.child->read_lines(&lines);
        for (const std::string& line : lines) handle_line(slot, line);
        if (!open) {
          worker_died(slot);
          continue;
        }
      }
      if ((slot.running != nullptr || !slot.ready) && Clock::now() >= slot.deadline) timed_out(slot);
    }
  }

  const SchedulerOptions& options_;
  const ResultSink& sink_;
  std::vector<Group> groups_;
  std::deque<Group*> waiting_;
  std::vector<Slot> slots_;
};

}  // namespace

void run_cases(const SchedulerOptions& options, const std::vector<const CaseSpec*>& cases, const ResultSink& sink) {
  Scheduler scheduler(options, cases, sink);
  scheduler.run();
}

}  // namespace keel::conform
