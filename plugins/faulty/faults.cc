#include "faults.h"

#include <cstdlib>
#include <fstream>
#include <mutex>
#include <sstream>

namespace keel::faulty {
namespace {

std::mutex config_mutex;
Config loaded;
bool have_config = false;

std::string parse_line(const std::string& line, Config* out) {
  std::istringstream words(line);
  std::string word;
  if (!(words >> word) || word[0] == '#') return "";
  std::vector<std::string> args;
  for (std::string arg; words >> arg && arg[0] != '#';) args.push_back(arg);
  if (word == "backend" && args.size() == 1) {
    out->backend = args[0];
  } else if (word == "wrong_memory_stats" && args.empty()) {
    out->wrong_memory_stats = true;
  } else if (word == "leak_buffers" && args.empty()) {
    out->leak_buffers = true;
  } else if (word == "never_signal" && args.empty()) {
    out->never_signal = true;
  } else if ((word == "wrong_values" || word == "crash" || word == "hang") && (args.size() == 1 || args.size() == 2)) {
    const KernelFault fault = word == "wrong_values" ? KernelFault::kWrongValues
                              : word == "crash"      ? KernelFault::kCrash
                                                     : KernelFault::kHang;
    out->kernel_faults.push_back({fault, args[0], args.size() == 2 ? args[1] : "*", 0});
  } else if (word == "ulp_shift" && args.size() == 3) {
    char* end = nullptr;
    const long long ulps = std::strtoll(args[2].c_str(), &end, 10);
    if (*end != '\0' || ulps <= 0) return "ulp_shift needs a positive number of ulps";
    out->kernel_faults.push_back({KernelFault::kUlpShift, args[0], args[1], ulps});
  } else {
    return "unknown fault or wrong arguments: '" + line + "'";
  }
  return "";
}

}  // namespace

const Config* config() {
  std::lock_guard<std::mutex> lock(config_mutex);
  return have_config ? &loaded : nullptr;
}

std::string load_config() {
  std::lock_guard<std::mutex> lock(config_mutex);
  if (have_config) return "";
  const char* path = std::getenv("KEEL_FAULTY_CONFIG");
  if (path == nullptr || *path == '\0') return "KEEL_FAULTY_CONFIG is not set";
  std::ifstream file(path);
  if (!file) return std::string("cannot read ") + path;
  Config parsed;
  std::string line;
  for (int number = 1; std::getline(file, line); ++number) {
    const std::string problem = parse_line(line, &parsed);
    if (!problem.empty()) return std::string(path) + ":" + std::to_string(number) + ": " + problem;
  }
  if (parsed.backend.empty()) return std::string(path) + ": no 'backend <library>' line";
  loaded = parsed;
  have_config = true;
  return "";
}

const KernelFaultRule* kernel_fault(const std::string& op, keel_dtype_t dtype) {
  const Config* current = config();
  if (current == nullptr) return nullptr;
  for (const KernelFaultRule& rule : current->kernel_faults) {
    if (rule.op == op && (rule.dtype == "*" || rule.dtype == dtype_text(dtype))) return &rule;
  }
  return nullptr;
}

const char* dtype_text(keel_dtype_t dtype) {
  switch (dtype) {
    case KEEL_DTYPE_BOOL: return "bool";
    case KEEL_DTYPE_I8: return "i8";
    case KEEL_DTYPE_U8: return "u8";
    case KEEL_DTYPE_I32: return "i32";
    case KEEL_DTYPE_I64: return "i64";
    case KEEL_DTYPE_F16: return "f16";
    case KEEL_DTYPE_BF16: return "bf16";
    case KEEL_DTYPE_F32: return "f32";
    case KEEL_DTYPE_F64: return "f64";
    default: return "?";
  }
}

}  // namespace keel::faulty
