#include "layers/abi/abi_table_cases.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "layers/abi/direct_plugin.h"
#include "layers/check.h"
#include "runner/worker_context.h"
#include "spec/op_schema.h"

namespace keel::conform {
namespace {

constexpr unsigned char kSentinel = 0xAB;

// A struct of type T the size a newer caller would pass, pre-filled with sentinel bytes.
template <class T>
struct Guarded {
  alignas(T) unsigned char bytes[sizeof(T) + 64];
  Guarded() { std::memset(bytes, kSentinel, sizeof(bytes)); }
  T* get() { return reinterpret_cast<T*>(bytes); }
  // True when nothing at or after `from` was written.
  bool untouched_from(size_t from) const {
    return std::all_of(bytes + from, bytes + sizeof(bytes), [](unsigned char b) { return b == kSentinel; });
  }
};

struct DirectDevice {
  std::unique_ptr<DirectPlugin> plugin;
  std::vector<keel_plugin_device_t*> devices;
};

DirectDevice open_devices(WorkerContext& context) {
  DirectDevice direct;
  direct.plugin = std::make_unique<DirectPlugin>(context.dut_real_path(), EmulatedHostOptions{});
  require(direct.plugin->init_ok(), "init failed: " + direct.plugin->init_message());
  const keel_plugin_api_t& api = direct.plugin->api();
  size_t count = 0;
  const std::string error = DirectPlugin::take(api.device_count(direct.plugin->args().plugin_ctx, &count));
  require(error.empty(), "device_count failed: " + error);
  require(count > 0, "device_count is 0 (a plugin without devices must fail init with UNAVAILABLE)");
  for (size_t i = 0; i < count; ++i) {
    keel_plugin_device_t* device = nullptr;
    const std::string failure = DirectPlugin::take(api.device_get(direct.plugin->args().plugin_ctx, i, &device));
    require(failure.empty() && device != nullptr, "device_get(" + std::to_string(i) + ") failed: " + failure);
    direct.devices.push_back(device);
  }
  keel_plugin_device_t* extra = nullptr;
  require(!DirectPlugin::take(api.device_get(direct.plugin->args().plugin_ctx, count, &extra)).empty(),
          "device_get past the last device returned OK");
  return direct;
}

CaseResult run_device_properties(WorkerContext& context, const CaseSpec&) {
  DirectDevice direct = open_devices(context);
  const keel_plugin_api_t& api = direct.plugin->api();
  for (size_t i = 0; i < direct.devices.size(); ++i) {
    const std::string where = "device " + std::to_string(i) + ": ";
    Guarded<keel_device_properties_t> full;
    std::memset(full.get(), 0, sizeof(keel_device_properties_t));
    full.get()->struct_size = sizeof(keel_device_properties_t);
    std::string error = DirectPlugin::take(api.device_properties(direct.devices[i], full.get()));
    require(error.empty(), where + "device_properties failed: " + error);
    const keel_device_properties_t& props = *full.get();
    require(full.untouched_from(sizeof(keel_device_properties_t)), where + "wrote past struct_size");
    require(props.name != nullptr && props.name[0] != '\0', where + "no name");
    require(props.vendor != nullptr, where + "no vendor");
    require(props.type <= KEEL_DEVICE_TYPE_ACCEL, where + "type " + std::to_string(props.type) + " is not a keel_device_type_e");
    require(props.memory_space_count >= 1, where + "memory_space_count is 0");
    require(props.uuid_is_set <= 1 && props.pci_bus_id_is_set <= 1, where + "an _is_set flag is neither 0 nor 1");

    // An older caller's struct ends after `type`: nothing beyond may be written.
    Guarded<keel_device_properties_t> older;
    const size_t older_size = KEEL_STRUCT_SIZE_UNTIL(keel_device_properties_t, type);
    std::memset(older.bytes, 0, older_size);
    older.get()->struct_size = older_size;
    error = DirectPlugin::take(api.device_properties(direct.devices[i], older.get()));
    require(error.empty(), where + "device_properties with an older struct_size failed: " + error);
    require(older.untouched_from(older_size), where + "wrote past an older caller's struct_size (" +
                                                  std::to_string(older_size) + " bytes)");
    require(older.get()->name != nullptr, where + "did not fill the fields an older struct has");
  }
  return passed();
}

CaseResult run_device_attributes(WorkerContext& context, const CaseSpec&) {
  DirectDevice direct = open_devices(context);
  const keel_plugin_api_t& api = direct.plugin->api();
  if (api.device_attributes == nullptr) return passed();  // optional slot
  for (keel_plugin_device_t* device : direct.devices) {
    size_t count = 0;
    std::string error = DirectPlugin::take(api.device_attributes(device, nullptr, &count));
    require(error.empty(), "counting attributes failed: " + error);
    std::vector<keel_attribute_t> attributes(count + 1, keel_attribute_t{"sentinel", "sentinel"});
    size_t filled = count;
    error = DirectPlugin::take(api.device_attributes(device, attributes.data(), &filled));
    require(error.empty(), "filling attributes failed: " + error);
    require(filled == count, "filled " + std::to_string(filled) + " of " + std::to_string(count) + " attributes");
    require(std::strcmp(attributes[count].key, "sentinel") == 0, "wrote past the caller's count");
    for (size_t i = 0; i < count; ++i) {
      require(attributes[i].key != nullptr && attributes[i].key[0] != '\0' && attributes[i].value != nullptr,
              "attribute " + std::to_string(i) + " has a NULL or empty key or a NULL value");
    }
    if (count > 0) {
      std::vector<keel_attribute_t> fewer(count, keel_attribute_t{"sentinel", "sentinel"});
      filled = count - 1;
      error = DirectPlugin::take(api.device_attributes(device, fewer.data(), &filled));
      require(error.empty(), "filling fewer attributes failed: " + error);
      require(filled <= count - 1, "filled more attributes than the caller had room for");
      require(std::strcmp(fewer[count - 1].key, "sentinel") == 0, "wrote past the caller's smaller count");
    }
  }
  return passed();
}

CaseResult run_memory_space_properties(WorkerContext& context, const CaseSpec&) {
  DirectDevice direct = open_devices(context);
  const keel_plugin_api_t& api = direct.plugin->api();
  for (keel_plugin_device_t* device : direct.devices) {
    keel_device_properties_t props{};
    props.struct_size = sizeof(props);
    require(DirectPlugin::take(api.device_properties(device, &props)).empty(), "device_properties failed");
    for (uint32_t space = 0; space < props.memory_space_count; ++space) {
      const std::string where = "memory space " + std::to_string(space) + ": ";
      Guarded<keel_memory_space_properties_t> full;
      std::memset(full.get(), 0, sizeof(keel_memory_space_properties_t));
      full.get()->struct_size = sizeof(keel_memory_space_properties_t);
      const std::string error = DirectPlugin::take(api.memory_space_properties(device, space, full.get()));
      require(error.empty(), where + "memory_space_properties failed: " + error);
      const keel_memory_space_properties_t& space_props = *full.get();
      require(full.untouched_from(sizeof(keel_memory_space_properties_t)), where + "wrote past struct_size");
      require(space_props.name != nullptr, where + "no name");
      require(space_props.kind <= KEEL_MEMORY_KIND_UNIFIED, where + "kind is not a keel_memory_kind_e");
      const uint64_t alignment = space_props.min_alignment;
      require(alignment != 0 && (alignment & (alignment - 1)) == 0, where + "min_alignment " +
                                                                         std::to_string(alignment) + " is not a power of two");
      keel_memory_stats_t stats{};
      stats.struct_size = sizeof(stats);
      require(DirectPlugin::take(api.memory_stats(device, space, &stats)).empty(), where + "memory_stats failed");
    }
    keel_memory_space_properties_t beyond{};
    beyond.struct_size = sizeof(beyond);
    require(!DirectPlugin::take(api.memory_space_properties(device, props.memory_space_count, &beyond)).empty(),
            "memory_space_properties past the last space returned OK");
  }
  return passed();
}

CaseResult run_kernel_registrations(WorkerContext& context, const CaseSpec&) {
  DirectPlugin plugin(context.dut_real_path(), EmulatedHostOptions{});
  require(plugin.init_ok(), "init failed: " + plugin.init_message());
  const std::vector<std::string> problems = plugin.host().problems();
  if (!problems.empty()) fail_case("malformed registrations: " + problems.front());
  for (const SeenRegistration& registration : plugin.host().registrations()) {
    const spec::OpSchema* op = spec::find_op(registration.op_name);
    if (op == nullptr || op->type_var_count == 0) continue;  // an operator of a newer spec: ignored by this host
    const spec::TypeVar& primary = op->type_vars[0];
    for (keel_dtype_t dtype : registration.dtypes) {
      const bool allowed = std::find(primary.dtypes, primary.dtypes + primary.dtype_count, dtype) !=
                           primary.dtypes + primary.dtype_count;
      require(allowed, registration.kernel_name + " registers dtype " + spec::dtype_name(dtype) + " for " +
                           registration.op_name + ", which the spec does not allow");
    }
  }
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

void add_abi_table_cases(std::vector<CaseSpec>& cases) {
  add(cases, "abi.device_properties", run_device_properties,
      "device properties are complete and respect an older caller's struct_size");
  add(cases, "abi.device_attributes", run_device_attributes, "attributes: query, fill, and never past the caller's count");
  add(cases, "abi.memory_space_properties", run_memory_space_properties,
      "every memory space reports valid properties and statistics");
  add(cases, "abi.kernel_registrations", run_kernel_registrations,
      "kernel registrations are well formed and name dtypes the spec allows");
}

}  // namespace keel::conform
