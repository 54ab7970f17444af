// keel ops: the operator spec and which loaded plugins implement each operator.
#include <algorithm>
#include <cstdio>

#include "cli.h"

namespace keel::cli {
namespace {

std::vector<std::string> dtype_names(const keel_op_info_t& info) {
  std::vector<std::string> names;
  for (size_t i = 0; i < info.dtype_count; ++i) names.emplace_back(keel_dtype_name(info.dtypes[i]));
  return names;
}

// "core: f32 i32 i64; fp16: f16" — the profiles in the order their first dtype appears.
std::string dtypes_by_profile(const keel_op_info_t& info) {
  std::vector<std::pair<std::string, std::string>> groups;
  for (size_t i = 0; i < info.dtype_count; ++i) {
    const std::string profile = keel_dtype_profile(info.dtypes[i]);
    auto it = std::find_if(groups.begin(), groups.end(), [&](const auto& g) { return g.first == profile; });
    if (it == groups.end()) it = groups.insert(groups.end(), {profile, ""});
    it->second += (it->second.empty() ? "" : " ") + std::string(keel_dtype_name(info.dtypes[i]));
  }
  std::string text;
  for (const auto& [profile, names] : groups) text += (text.empty() ? "" : "; ") + profile + ": " + names;
  return text.empty() ? "-" : text;
}

}  // namespace

int run_ops(const GlobalOptions& options) {
  Runtime runtime = Runtime::create(options.runtime);
  const std::vector<keel_plugin_t*> plugins = runtime.plugins();
  nlohmann::json list = nlohmann::json::array();
  Table table({"operator", "version", "group", "dtypes (by profile)", "grad", "implemented by"});
  size_t implemented_anywhere = 0;
  size_t composites = 0;
  for (const Op& op : Op::all()) {
    const keel_op_info_t info = op.info();
    std::vector<std::string> names;
    for (keel_plugin_t* plugin : plugins) {
      if (keel_plugin_implements_op(plugin, op.get())) {
        names.push_back(plugin_info(plugin).name);
      } else if (info.composite) {
        names.push_back(std::string(plugin_info(plugin).name) + "*");
      }
    }
    composites += info.composite ? 1 : 0;
    implemented_anywhere += std::any_of(names.begin(), names.end(), [](const std::string& n) { return n.back() != '*'; });
    std::string joined;
    for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
    table.add({info.name, std::to_string(info.version), info.group, dtypes_by_profile(info), info.differentiable ? "yes" : "no",
               joined.empty() ? "-" : joined});
    list.push_back({{"name", info.name},
                    {"version", info.version},
                    {"group", info.group},
                    {"summary", info.summary},
                    {"differentiable", info.differentiable != 0},
                    {"composite", info.composite != 0},
                    {"dtypes", dtype_names(info)},
                    {"plugins", names}});
  }
  if (options.json) {
    print_json({{"spec_version", keel_spec_version_string()}, {"operators", list}});
    return kExitOk;
  }
  table.print();
  std::printf("\n* runs as its decomposition into other operators (a composite without a kernel there).\n");
  std::printf("Operator spec %s: %zu operators (%zu composite); %zu have a kernel in a loaded plugin.\n",
              keel_spec_version_string(), keel_op_count(), composites, implemented_anywhere);
  return kExitOk;
}

}  // namespace keel::cli
