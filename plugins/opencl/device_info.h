// What the plugin learns about an OpenCL device once, at init: identity, limits and features.
#pragma once

#include <CL/cl.h>

#include <array>
#include <cstdint>
#include <optional>
#include <string>

#include "keel/keel_types.h"

namespace keel::opencl {

struct DeviceInfo {
  cl_platform_id platform = nullptr;
  cl_device_id device = nullptr;

  std::string name;            // CL_DEVICE_NAME
  std::string vendor;          // CL_DEVICE_VENDOR
  std::string driver_version;  // CL_DRIVER_VERSION
  std::string device_version;  // CL_DEVICE_VERSION ("OpenCL 3.0 ...")
  std::string c_version;       // CL_DEVICE_OPENCL_C_VERSION
  std::string platform_name;
  std::string platform_version;
  std::string extensions;
  int version = 0;  // 120 for OpenCL 1.2

  keel_device_type_t type = KEEL_DEVICE_TYPE_UNKNOWN;
  uint64_t global_memory = 0;      // CL_DEVICE_GLOBAL_MEM_SIZE
  uint64_t max_allocation = 0;     // CL_DEVICE_MAX_MEM_ALLOC_SIZE
  uint64_t local_memory = 0;       // CL_DEVICE_LOCAL_MEM_SIZE
  uint32_t compute_units = 0;
  uint32_t base_alignment = 0;     // bytes (CL_DEVICE_MEM_BASE_ADDR_ALIGN is in bits)
  size_t max_work_group = 1;
  size_t max_parameter_size = 0;

  bool fp64 = false;                 // cl_khr_fp64 (or OpenCL C 3.0's __opencl_c_fp64)
  bool fp16 = false;                 // cl_khr_fp16
  bool correctly_rounded_divide = false;  // CL_FP_CORRECTLY_ROUNDED_DIVIDE_SQRT for float
  bool denormals = false;            // CL_FP_DENORM for float
  bool hardware_fma = false;         // CL_FP_FMA for float

  std::optional<std::array<uint8_t, 16>> uuid;  // cl_khr_device_uuid
  std::optional<std::string> pci_bus_id;        // cl_khr_pci_bus_info: "dddd:bb:dd.f"

  // Reads everything above. Throws Error when a mandatory query fails.
  static DeviceInfo query(cl_platform_id platform, cl_device_id device);

  // Why this device cannot be a Keel device (e.g. "OpenCL 1.1 is below 1.2"), or empty when it can.
  std::string unsupported_reason() const;
};

}  // namespace keel::opencl
