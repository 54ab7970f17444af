#include "cpu_info.h"

#include <omp.h>
#include <unistd.h>

#include <fstream>
#include <string_view>

namespace keel::onednn {
namespace {

// The value of a "key<TAB>: value" line of /proc/cpuinfo, or "" when the line is another key.
std::string value_of(const std::string& line, std::string_view key) {
  if (line.compare(0, key.size(), key) != 0) return "";
  const size_t colon = line.find(':', key.size());
  if (colon == std::string::npos) return "";
  const size_t begin = line.find_first_not_of(" \t", colon + 1);
  return begin == std::string::npos ? "" : line.substr(begin);
}

std::string vendor_name(const std::string& vendor_id) {
  if (vendor_id == "AuthenticAMD") return "AMD";
  if (vendor_id == "GenuineIntel") return "Intel";
  return vendor_id.empty() ? "unknown" : vendor_id;
}

}  // namespace

CpuInfo read_cpu_info() {
  CpuInfo info;
  std::string vendor_id;
  std::ifstream cpuinfo("/proc/cpuinfo");
  for (std::string line; std::getline(cpuinfo, line) && (info.model_name.empty() || vendor_id.empty());) {
    if (info.model_name.empty()) info.model_name = value_of(line, "model name");
    if (vendor_id.empty()) vendor_id = value_of(line, "vendor_id");
  }
  if (info.model_name.empty()) info.model_name = "CPU";
  info.vendor = vendor_name(vendor_id);
  const int threads = omp_get_max_threads();
  info.threads = threads > 0 ? static_cast<uint32_t>(threads) : 1;
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page_size = sysconf(_SC_PAGE_SIZE);
  if (pages > 0 && page_size > 0) info.memory_bytes = static_cast<uint64_t>(pages) * static_cast<uint64_t>(page_size);
  return info;
}

}  // namespace keel::onednn
