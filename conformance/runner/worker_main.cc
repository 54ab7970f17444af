#include "runner/worker_main.h"

#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <iostream>
#include <string>

#include "layers/check.h"
#include "model/catalog.h"
#include "runner/protocol.h"
#include "runner/target_info.h"

namespace keel::conform {
namespace {

void send(std::string_view kind, const std::string& payload) {
  std::string line = std::string(kind) + payload + "\n";
  size_t written = 0;
  while (written < line.size()) {
    const ssize_t n = write(kResultFd, line.data() + written, line.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) _exit(2);  // the parent is gone
    written += static_cast<size_t>(n);
  }
}

std::string one_line(std::string text) {
  for (char& c : text) c = c == '\n' ? ' ' : c;
  return text;
}

CaseResult run_one(WorkerContext& context, const CaseSpec& spec) {
  try {
    return spec.run(context, spec);
  } catch (const CaseFailure& failure) {
    return failed(failure.reason);
  } catch (const Error& error) {
    return failed(std::string(error.what()) + " (from " + error.source() + ")");
  } catch (const std::exception& error) {
    return failed(std::string("unexpected error: ") + error.what());
  } catch (...) {
    return failed("unexpected error of unknown type");
  }
}

}  // namespace

int run_worker(const WorkerOptions& options) {
  std::unique_ptr<WorkerContext> context;
  try {
    context = std::make_unique<WorkerContext>(options);
    send(kReadyMessage, json_line(describe_target(*context)));
  } catch (const std::exception& error) {
    send(kFatalMessage, one_line(error.what()));
    return 1;
  }
  std::string line;
  while (std::getline(std::cin, line)) {
    if (!line.starts_with(kRunCommand)) continue;
    const std::string id = line.substr(kRunCommand.size());
    const CaseSpec* spec = find_case(id);
    CaseResult result;
    const auto start = std::chrono::steady_clock::now();
    result = spec == nullptr ? failed("this suite has no case '" + id + "'") : run_one(*context, *spec);
    result.time_ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start).count();
    send(kResultMessage, json_line(result_to_json(id, result)));
  }
  return 0;
}

}  // namespace keel::conform
