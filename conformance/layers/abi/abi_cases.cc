// Exports, the loader's verdict, probe, and version negotiation against emulated hosts.
#include "layers/abi/abi_cases.h"

#include <regex>
#include <set>

#include "layers/abi/abi_table_cases.h"
#include "layers/abi/direct_plugin.h"
#include "layers/abi/elf_symbols.h"
#include "layers/abi/plugin_slots.h"
#include "layers/check.h"
#include "runner/worker_context.h"

namespace keel::conform {
namespace {

std::string version_text(uint32_t version) { return keel::version_text(version); }

bool valid_plugin_name(const char* name) {
  static const std::regex kName("[a-z0-9_]+");
  return name != nullptr && std::regex_match(name, kName);
}

std::string joined(const std::vector<std::string>& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : "; ") + item;
  return text;
}

// Checks what every successful init must leave behind, then shuts the plugin down and checks that every
// status it created was handed over.
void require_clean_init(DirectPlugin& plugin, const std::string& host_text) {
  require(plugin.init_code() == KEEL_STATUS_OK,
          "init under " + host_text + " failed: " + keel_status_code_name(plugin.init_code()) + ": " +
              plugin.init_message());
  const keel_plugin_init_args_t& args = plugin.args();
  require(args.api != nullptr, "init under " + host_text + " returned OK but left args->api NULL");
  require(KEEL_VERSION_MAJOR(args.plugin_abi_version) == KEEL_ABI_VERSION_MAJOR,
          "init wrote plugin_abi_version " + version_text(args.plugin_abi_version) + ", another major");
  require(valid_plugin_name(args.plugin_name), "plugin_name is not [a-z0-9_]+");
  require(args.plugin_version != nullptr && args.plugin_version[0] != '\0', "plugin_version is empty");
  require(args.api->struct_size >= KEEL_PLUGIN_API_SIZE_V1_0,
          "api->struct_size " + std::to_string(args.api->struct_size) + " is below ABI 1.0's " +
              std::to_string(KEEL_PLUGIN_API_SIZE_V1_0));
  const std::vector<std::string> problems = plugin.host().problems();
  require(problems.empty(), "under " + host_text + ": " + joined(problems));
  plugin.shutdown();
  require(plugin.host().statuses_live() == 0, std::to_string(plugin.host().statuses_live()) +
                                                  " status(es) created through the host were never released");
}

CaseResult run_exports(WorkerContext& context, const CaseSpec&) {
  std::set<std::string> exports;
  std::string error;
  require(read_elf_exports(context.dut_real_path(), &exports, &error), error);
  const std::set<std::string> expected = {KEEL_PLUGIN_INIT_SYMBOL, KEEL_PLUGIN_PROBE_SYMBOL};
  if (exports == expected) return passed();
  std::string extra, missing;
  for (const std::string& name : exports) {
    if (!expected.count(name)) extra += " " + name;
  }
  for (const std::string& name : expected) {
    if (!exports.count(name)) missing += " " + name;
  }
  return failed("exports must be exactly keel_plugin_probe and keel_plugin_init;" +
                (extra.empty() ? "" : " extra:" + extra) + (missing.empty() ? "" : " missing:" + missing));
}

CaseResult run_loader_accepts(WorkerContext& context, const CaseSpec&) {
  const keel_plugin_info_t info = plugin_info(context.dut_plugin());
  require(valid_plugin_name(info.name), "the plugin's name is not [a-z0-9_]+");
  require(KEEL_VERSION_MAJOR(info.abi_version) == KEEL_VERSION_MAJOR(keel_abi_version()),
          "the plugin implements ABI " + version_text(info.abi_version) + ", another major than the host's");
  const uint32_t expected = std::min(info.abi_version, keel_abi_version());
  require(info.negotiated_abi_version == expected, "negotiated ABI " + version_text(info.negotiated_abi_version) +
                                                       ", expected min(host, plugin) = " + version_text(expected));
  require(info.device_count > 0, "the plugin has no device");
  return passed();
}

CaseResult run_probe(WorkerContext& context, const CaseSpec&) {
  std::string error;
  std::unique_ptr<PluginLibrary> library = PluginLibrary::open(context.dut_real_path(), &error);
  require(library != nullptr, error);
  const int32_t first = library->probe()();
  const int32_t second = library->probe()();
  require(first > 0, "probe returned " + std::to_string(first) + " on the machine it is certified on");
  require(first == second, "probe is not stable: " + std::to_string(first) + " then " + std::to_string(second));
  return passed();
}

CaseResult run_current_host(WorkerContext& context, const CaseSpec&) {
  DirectPlugin plugin(context.dut_real_path(), EmulatedHostOptions{});
  require_clean_init(plugin, "a host of this ABI");
  return passed();
}

CaseResult run_mandatory_slots(WorkerContext& context, const CaseSpec&) {
  DirectPlugin plugin(context.dut_real_path(), EmulatedHostOptions{});
  require(plugin.init_ok(), "init failed: " + plugin.init_message());
  std::string missing;
  for (const PluginApiSlot& slot : kPluginApiSlotsV1_0) {
    if (!slot.optional && !plugin_api_has_slot(plugin.api(), slot)) missing += std::string(" ") + slot.name;
  }
  require(missing.empty(), "mandatory slots missing:" + missing);
  return passed();
}

CaseResult run_newer_host(WorkerContext& context, const CaseSpec&) {
  EmulatedHostOptions options;
  options.abi_min = KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR, 0);
  options.abi_max = KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR, KEEL_ABI_VERSION_MINOR + 7);
  options.table_size = sizeof(keel_host_api_t) + EmulatedHost::kSpareBytes;
  DirectPlugin plugin(context.dut_real_path(), options);
  require_clean_init(plugin, "a newer host (ABI " + version_text(options.abi_max) + ", larger table)");
  require(plugin.args().plugin_abi_version <= options.abi_max, "the plugin claims an ABI newer than the host's");
  return passed();
}

CaseResult run_older_host(WorkerContext& context, const CaseSpec&) {
  EmulatedHostOptions options;
  options.abi_min = KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR, 0);
  options.abi_max = KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR, 0);
  options.table_size = KEEL_STRUCT_SIZE_UNTIL(keel_host_api_t, kernel_register);
  DirectPlugin plugin(context.dut_real_path(), options);
  require_clean_init(plugin, "an ABI 1.0 host with the 1.0 table");
  return passed();
}

// A table that ends after status_release (the part frozen across majors): the plugin may refuse, but must
// not call log or kernel_register, which the table does not cover.
CaseResult run_frozen_table(WorkerContext& context, const CaseSpec&) {
  EmulatedHostOptions options;
  options.table_size = KEEL_STRUCT_SIZE_UNTIL(keel_host_api_t, status_release);
  DirectPlugin plugin(context.dut_real_path(), options);
  const std::vector<std::string> problems = plugin.host().problems();
  require(problems.empty(), "with a table ending at status_release: " + joined(problems));
  plugin.shutdown();
  require(plugin.host().statuses_live() == 0, "statuses created through the host were never released");
  return passed();
}

CaseResult run_other_major(WorkerContext& context, const CaseSpec&) {
  EmulatedHostOptions options;
  options.abi_min = KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR + 1, 0);
  options.abi_max = KEEL_MAKE_VERSION(KEEL_ABI_VERSION_MAJOR + 1, 3);
  DirectPlugin plugin(context.dut_real_path(), options);
  require(!plugin.init_ok(), "init accepted a host of ABI " + version_text(options.abi_min) + "-" +
                                 version_text(options.abi_max) + " (another major)");
  return passed();
}

CaseResult run_two_instances(WorkerContext& context, const CaseSpec&) {
  DirectPlugin first(context.dut_real_path(), EmulatedHostOptions{});
  DirectPlugin second(context.dut_real_path(), EmulatedHostOptions{});
  require(first.init_ok() && second.init_ok(), "a second init in one process failed: " + second.init_message());
  for (DirectPlugin* plugin : {&second, &first}) {
    size_t count = 0;
    require(DirectPlugin::take(plugin->api().device_count(plugin->args().plugin_ctx, &count)).empty() && count > 0,
            "device_count failed or is 0 in one of two instances");
  }
  second.shutdown();
  size_t count = 0;
  require(DirectPlugin::take(first.api().device_count(first.args().plugin_ctx, &count)).empty(),
          "the first instance stopped working after the second shut down");
  first.shutdown();
  require(first.host().statuses_live() == 0 && second.host().statuses_live() == 0,
          "statuses created through the host were never released");
  return passed();
}

void add(std::vector<CaseSpec>& cases, const char* id, CaseRunner run, const char* description) {
  CaseSpec spec;
  spec.id = id;
  spec.layer = Layer::kAbi;
  spec.profile = Profile::kBase;
  spec.quick = true;
  spec.run = run;
  spec.description = description;
  cases.push_back(std::move(spec));
}

}  // namespace

void add_abi_cases(std::vector<CaseSpec>& cases) {
  add(cases, "abi.exports", run_exports, "the library exports exactly keel_plugin_probe and keel_plugin_init");
  add(cases, "abi.loader_accepts", run_loader_accepts, "libkeel's loader accepts the plugin at min(host, plugin) ABI");
  add(cases, "abi.probe", run_probe, "probe returns a stable positive score");
  add(cases, "abi.init_current_host", run_current_host, "init under a host of this ABI; statuses all handed over");
  add(cases, "abi.mandatory_slots", run_mandatory_slots, "every mandatory slot of the v1.0 table is set");
  add(cases, "abi.newer_minor_host", run_newer_host, "init under a newer-minor host with a larger table");
  add(cases, "abi.older_host_table", run_older_host, "init under an ABI 1.0 host with the 1.0 table");
  add(cases, "abi.frozen_host_table", run_frozen_table, "a host table ending at status_release: no slot beyond is called");
  add(cases, "abi.other_major_host", run_other_major, "init refuses a host of another major");
  add(cases, "abi.two_instances", run_two_instances, "two inits in one process work independently");
  add_abi_table_cases(cases);
}

}  // namespace keel::conform
