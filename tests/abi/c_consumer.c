/* A plain C99 program using libkeel through keel_runtime.h, as a C framework would: loads the plugins named
 * on the command line, prints the loader report and the devices. Exits 1 unless a device was found. */
#include <stdio.h>

#include "keel/keel_runtime.h"

int keel_abi_c99_headers_check(void);

static void print_report(const keel_runtime_t* runtime) {
  size_t i;
  for (i = 0; i < keel_runtime_loader_entry_count(runtime); ++i) {
    keel_loader_entry_t entry = {0};
    keel_status_t status;
    entry.struct_size = sizeof entry;
    status = keel_runtime_loader_entry(runtime, i, &entry);
    if (status != NULL) {
      fprintf(stderr, "loader entry %u: %s\n", (unsigned)i, keel_status_message(status));
      keel_status_release(status);
      continue;
    }
    printf("plugin %s: %s%s\n", entry.path,
           entry.outcome == KEEL_LOADER_ACCEPTED ? "accepted" : "not loaded: ", entry.reason);
  }
}

static int print_devices(const keel_runtime_t* runtime) {
  size_t i;
  for (i = 0; i < keel_runtime_device_count(runtime); ++i) {
    const keel_device_t* device = keel_runtime_device(runtime, i);
    keel_device_properties_t properties = {0};
    keel_status_t status;
    properties.struct_size = sizeof properties;
    status = keel_device_properties(device, &properties);
    if (status != NULL) {
      fprintf(stderr, "%s: %s\n", keel_device_name(device), keel_status_message(status));
      keel_status_release(status);
      return 0;
    }
    printf("device %s: %s (%s), %llu bytes\n", keel_device_name(device), properties.name, properties.vendor,
           (unsigned long long)properties.memory_bytes);
  }
  return (int)keel_runtime_device_count(runtime);
}

int main(int argc, char** argv) {
  keel_runtime_options_t options = {0};
  keel_runtime_t* runtime = NULL;
  keel_status_t status;
  int devices;
  options.struct_size = sizeof options;
  options.plugin_paths = (const char* const*)(argv + 1);
  options.plugin_path_count = (size_t)(argc - 1);
  options.skip_env_path = 1;
  options.skip_manifests = 1;
  status = keel_runtime_create(&options, &runtime);
  if (status != NULL) {
    fprintf(stderr, "keel_runtime_create: %s: %s\n", keel_status_code_name(keel_status_code(status)),
            keel_status_message(status));
    keel_status_release(status);
    return 1;
  }
  printf("libkeel %s, ABI %u.%u\n", keel_version_string(), (unsigned)KEEL_VERSION_MAJOR(keel_abi_version()),
         (unsigned)KEEL_VERSION_MINOR(keel_abi_version()));
  print_report(runtime);
  devices = print_devices(runtime);
  keel_runtime_release(runtime);
  return devices > 0 && keel_abi_c99_headers_check() ? 0 : 1;
}
