// keel ops: the operator spec and which loaded plugins implement each operator.
#include <cstdio>

#include "cli.h"

namespace keel::cli {

int run_ops(const GlobalOptions& options) {
  Runtime runtime = Runtime::create(options.runtime);
  const std::vector<keel_plugin_t*> plugins = runtime.plugins();
  nlohmann::json list = nlohmann::json::array();
  Table table({"operator", "version", "group", "grad", "implemented by"});
  size_t implemented_anywhere = 0;
  for (const Op& op : Op::all()) {
    const keel_op_info_t info = op.info();
    std::vector<std::string> names;
    for (keel_plugin_t* plugin : plugins) {
      if (keel_plugin_implements_op(plugin, op.get())) names.push_back(plugin_info(plugin).name);
    }
    implemented_anywhere += names.empty() ? 0 : 1;
    std::string joined;
    for (const std::string& name : names) joined += (joined.empty() ? "" : ", ") + name;
    table.add({info.name, std::to_string(info.version), info.group, info.differentiable ? "yes" : "no",
               joined.empty() ? "-" : joined});
    list.push_back({{"name", info.name},
                    {"version", info.version},
                    {"group", info.group},
                    {"summary", info.summary},
                    {"differentiable", info.differentiable != 0},
                    {"plugins", names}});
  }
  if (options.json) {
    print_json({{"spec_version", keel_spec_version_string()}, {"operators", list}});
    return kExitOk;
  }
  table.print();
  std::printf("\nOperator spec %s: %zu operators, %zu implemented by a loaded plugin.\n", keel_spec_version_string(),
              keel_op_count(), implemented_anywhere);
  return kExitOk;
}

}  // namespace keel::cli
