// What the plugin reports about the host CPU: its marketing name and vendor (from /proc/cpuinfo), the
// number of threads oneDNN and the plugin's own loops use, and the physical memory size.
#pragma once

#include <cstdint>
#include <string>

namespace keel::onednn {

struct CpuInfo {
  std::string model_name;  // "AMD EPYC"; "CPU" when /proc/cpuinfo does not say
  std::string vendor;      // "AMD", "Intel", or the raw vendor_id
  uint32_t threads = 1;    // the OpenMP pool size (omp_get_max_threads), which oneDNN uses as well
  uint64_t memory_bytes = 0;  // physical RAM; 0 when unknown
};

// Reads /proc/cpuinfo once per call; cheap enough for plugin init.
CpuInfo read_cpu_info();

}  // namespace keel::onednn
