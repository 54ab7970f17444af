// The faults the plugin injects, read once from the file KEEL_FAULTY_CONFIG names.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "keel/keel_types.h"

namespace keel::faulty {

enum class KernelFault { kWrongValues, kUlpShift, kCrash, kHang };

struct KernelFaultRule {
  KernelFault fault;
  std::string op;
  std::string dtype;  // "f32", ... or "*"
  int64_t ulps = 0;   // kUlpShift
};

struct Config {
  std::string backend;  // the plugin library to wrap
  std::vector<KernelFaultRule> kernel_faults;
  bool wrong_memory_stats = false;
  bool leak_buffers = false;
  bool never_signal = false;
};

// The configuration of this process; nullptr before load_config succeeded.
const Config* config();
// Reads KEEL_FAULTY_CONFIG once. Empty on success, else why not (a line number and the problem).
std::string load_config();

// The first rule for this operator and dtype, or nullptr.
const KernelFaultRule* kernel_fault(const std::string& op, keel_dtype_t dtype);

const char* dtype_text(keel_dtype_t dtype);  // "f32"; "?" for others

}  // namespace keel::faulty
