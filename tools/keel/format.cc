#include <cstdio>

#include "cli.h"

namespace keel::cli {

std::string bytes_text(uint64_t bytes) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double value = static_cast<double>(bytes);
  size_t unit = 0;
  while (value >= 1024.0 && unit + 1 < std::size(units)) {
    value /= 1024.0;
    ++unit;
  }
  char text[32];
  std::snprintf(text, sizeof(text), unit == 0 ? "%.0f %s" : "%.1f %s", value, units[unit]);
  return text;
}

std::string device_type_name(keel_device_type_t type) {
  switch (type) {
    case KEEL_DEVICE_TYPE_CPU: return "cpu";
    case KEEL_DEVICE_TYPE_GPU: return "gpu";
    case KEEL_DEVICE_TYPE_IGPU: return "igpu";
    case KEEL_DEVICE_TYPE_NPU: return "npu";
    case KEEL_DEVICE_TYPE_ACCEL: return "accel";
    default: return "unknown";
  }
}

std::vector<std::string> capability_names(uint64_t capabilities) {
  static const std::pair<uint64_t, const char*> kNames[] = {
      {KEEL_CAP_ASYNC, "async"},   {KEEL_CAP_HOST_PINNED, "host-pinned"}, {KEEL_CAP_UNIFIED, "unified"},
      {KEEL_CAP_IMPORT_HOST_PTR, "import-host"}, {KEEL_CAP_GRAPHS, "graphs"}, {KEEL_CAP_COLLECTIVES, "collectives"},
      {KEEL_CAP_F16, "f16"},       {KEEL_CAP_BF16, "bf16"},               {KEEL_CAP_F64, "f64"},
      {KEEL_CAP_INT8, "int8"}};
  std::vector<std::string> names;
  for (const auto& [bit, name] : kNames) {
    if (capabilities & bit) names.emplace_back(name);
  }
  return names;
}

std::string capabilities_text(uint64_t capabilities) {
  std::string text;
  for (const std::string& name : capability_names(capabilities)) text += (text.empty() ? "" : ",") + name;
  return text.empty() ? "-" : text;
}

std::string outcome_name(keel_loader_outcome_t outcome) {
  switch (outcome) {
    case KEEL_LOADER_ACCEPTED: return "accepted";
    case KEEL_LOADER_REJECTED: return "rejected";
    case KEEL_LOADER_DUPLICATE: return "duplicate";
    case KEEL_LOADER_SUPERSEDED: return "superseded";
    default: return "unknown";
  }
}

void print_json(const nlohmann::json& json) { std::printf("%s\n", json.dump(2).c_str()); }

}  // namespace keel::cli
