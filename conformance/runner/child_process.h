// A worker process: fork + exec of this program, with a command pipe on its stdin, a result pipe on fd 3
// and its stdout/stderr appended to a log file. POSIX only; one concept: starting, talking to and ending a
// child.
#pragma once

#include <sys/types.h>

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace keel::conform {

class ChildProcess {
 public:
  // Starts `argv` (argv[0] is the program path). nullptr with *error when the process cannot be started.
  static std::unique_ptr<ChildProcess> spawn(const std::vector<std::string>& argv, const std::string& log_path,
                                             std::string* error);
  ~ChildProcess();
  ChildProcess(const ChildProcess&) = delete;
  ChildProcess& operator=(const ChildProcess&) = delete;

  pid_t pid() const { return pid_; }
  int result_fd() const { return result_fd_; }

  // Writes one line to the child's stdin; false when the child is gone.
  bool send_line(const std::string& line);
  // Reads what is available on the result pipe; complete lines go to *lines. False at end of file.
  bool read_lines(std::vector<std::string>* lines);
  // Closes the child's stdin (it exits once it has read everything).
  void close_input();
  // SIGKILL to the child's process group.
  void kill();
  // Waits for the child to exit and describes how it ended ("exited with status 1", "killed by signal 11
  // (Segmentation fault)"). With a timeout, kills the child when it has not exited by then.
  std::string wait(std::optional<double> timeout_s = std::nullopt);

 private:
  ChildProcess(pid_t pid, int input_fd, int result_fd) : pid_(pid), input_fd_(input_fd), result_fd_(result_fd) {}
  pid_t pid_;
  int input_fd_;
  int result_fd_;
  std::string pending_;  // a partial line read from the result pipe
  bool reaped_ = false;
  std::string ending_;
};

// The path of the running executable (/proc/self/exe resolved).
std::string self_executable();

}  // namespace keel::conform
