#include "runner/child_process.h"

#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <climits>
#include <cstring>
#include <thread>

#include "runner/protocol.h"

namespace keel::conform {
namespace {

std::string describe(int status) {
  if (WIFEXITED(status)) return "exited with status " + std::to_string(WEXITSTATUS(status));
  if (WIFSIGNALED(status)) {
    const int signal_number = WTERMSIG(status);
    const char* name = strsignal(signal_number);
    return "killed by signal " + std::to_string(signal_number) + (name ? std::string(" (") + name + ")" : "");
  }
  return "ended with wait status " + std::to_string(status);
}

// In the child, between fork and exec: only async-signal-safe calls.
[[noreturn]] void exec_child(const std::vector<char*>& argv, int input_read, int result_write, int log_fd) {
  setpgid(0, 0);
  dup2(input_read, STDIN_FILENO);
  dup2(log_fd, STDOUT_FILENO);
  dup2(log_fd, STDERR_FILENO);
  dup2(result_write, kResultFd);
  close_range(kResultFd + 1, ~0u, 0);
  execv(argv[0], argv.data());
  _exit(127);
}

}  // namespace

std::unique_ptr<ChildProcess> ChildProcess::spawn(const std::vector<std::string>& argv, const std::string& log_path,
                                                  std::string* error) {
  int input[2], result[2];
  if (pipe2(input, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    return nullptr;
  }
  if (pipe2(result, O_CLOEXEC) != 0) {
    *error = std::string("pipe: ") + std::strerror(errno);
    close(input[0]);
    close(input[1]);
    return nullptr;
  }
  const int log_fd = open(log_path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
  if (log_fd < 0) {
    *error = "cannot open " + log_path + ": " + std::strerror(errno);
    for (int fd : {input[0], input[1], result[0], result[1]}) close(fd);
    return nullptr;
  }
  std::vector<char*> args;
  for (const std::string& arg : argv) args.push_back(const_cast<char*>(arg.c_str()));
  args.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) exec_child(args, input[0], result[1], log_fd);
  close(input[0]);
  close(result[1]);
  close(log_fd);
  if (pid < 0) {
    *error = std::string("fork: ") + std::strerror(errno);
    close(input[1]);
    close(result[0]);
    return nullptr;
  }
  setpgid(pid, pid);  // also from the parent, so kill() works even before the child ran setpgid
  return std::unique_ptr<ChildProcess>(new ChildProcess(pid, input[1], result[0]));
}

ChildProcess::~ChildProcess() {
  close_input();
  if (!reaped_) {
    kill();
    wait();
  }
  if (result_fd_ >= 0) close(result_fd_);
}

bool ChildProcess::send_line(const std::string& line) {
  if (input_fd_ < 0) return false;
  const std::string text = line + "\n";
  size_t written = 0;
  while (written < text.size()) {
    const ssize_t n = write(input_fd_, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    written += static_cast<size_t>(n);
  }
  return true;
}

bool ChildProcess::read_lines(std::vector<std::string>* lines) {
  char buffer[65536];
  ssize_t n;
  do {
    n = read(result_fd_, buffer, sizeof(buffer));
  } while (n < 0 && errno == EINTR);
  if (n <= 0) return false;
  pending_.append(buffer, static_cast<size_t>(n));
  size_t start = 0;
  for (size_t end; (end = pending_.find('\n', start)) != std::string::npos; start = end + 1) {
    lines->push_back(pending_.substr(start, end - start));
  }
  pending_.erase(0, start);
  return true;
}

void ChildProcess::close_input() {
  if (input_fd_ >= 0) {
    close(input_fd_);
    input_fd_ = -1;
  }
}

void ChildProcess::kill() {
  if (!reaped_) ::kill(-pid_, SIGKILL);
}

std::string ChildProcess::wait(std::optional<double> timeout_s) {
  if (reaped_) return ending_;
  int status = 0;
  if (timeout_s) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(*timeout_s);
    while (true) {
      const pid_t done = waitpid(pid_, &status, WNOHANG);
      if (done == pid_) {
        reaped_ = true;
        ending_ = describe(status);
        return ending_;
      }
      if (done < 0 && errno != EINTR) break;
      if (std::chrono::steady_clock::now() >= deadline) {
        kill();
        break;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
  }
  while (waitpid(pid_, &status, 0) < 0 && errno == EINTR) {
  }
  reaped_ = true;
  ending_ = describe(status);
  return ending_;
}

std::string self_executable() {
  char path[PATH_MAX];
  const ssize_t n = readlink("/proc/self/exe", path, sizeof(path) - 1);
  if (n <= 0) return "";
  path[n] = '\0';
  return path;
}

}  // namespace keel::conform
