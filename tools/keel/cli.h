// Shared pieces of the keel command-line tool.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "keel/keel.hpp"

namespace keel::cli {

// Options every command understands.
struct GlobalOptions {
  keel::RuntimeOptions runtime;
  bool json = false;    // --json: machine-readable output on stdout
  bool verbose = false; // -v
};

// Exit codes.
constexpr int kExitOk = 0;
constexpr int kExitFailure = 1; // the command ran and found a problem (e.g. a demo mismatch)
constexpr int kExitUsage = 2;   // bad command line

int run_plugins(const GlobalOptions& options);
int run_devices(const GlobalOptions& options);
int run_ops(const GlobalOptions& options);
int run_demo(const GlobalOptions& options);

// A plain-text table with aligned columns.
class Table {
 public:
  explicit Table(std::vector<std::string> header) : header_(std::move(header)) {}
  void add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  void print() const;

 private:
  std::vector<std::string> header_;
  std::vector<std::vector<std::string>> rows_;
};

// Formatting helpers.
std::string bytes_text(uint64_t bytes);             // "23.4 GiB"
std::string device_type_name(keel_device_type_t type);
std::string capabilities_text(uint64_t capabilities); // "f64,int8" or "-"
std::vector<std::string> capability_names(uint64_t capabilities);
std::string outcome_name(keel_loader_outcome_t outcome);
void print_json(const nlohmann::json& json);

}  // namespace keel::cli
