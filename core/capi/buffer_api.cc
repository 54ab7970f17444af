// C entry points: buffers and synchronous copies.
#include <memory>
#include <string>
#include <vector>

#include "capi/capi_util.h"
#include "keel/keel_runtime.h"
#include "runtime/buffer.h"
#include "runtime/plugin.h"

using keel::capi::null_argument;
using keel::capi::range_fits;

namespace {

keel_status_t check_range(const char* function, const keel_buffer_t* buffer, uint64_t offset, uint64_t size) {
  if (!range_fits(offset, size, buffer->size)) {
    return keel::make_status(KEEL_STATUS_OUT_OF_RANGE, std::string(function) + ": bytes [" + std::to_string(offset) +
                                                           ", " + std::to_string(offset) + " + " +
                                                           std::to_string(size) + ") lie outside the buffer of " +
                                                           std::to_string(buffer->size) + " bytes");
  }
  return nullptr;
}

// Copies between devices (or plugins) through host memory: directly when one side is host-accessible,
// else in bounded chunks.
keel_status_t copy_through_host(keel_buffer_t* src, uint64_t src_offset, keel_buffer_t* dst, uint64_t dst_offset,
                                uint64_t size) {
  const keel_plugin_api_t& src_api = *src->device->plugin->api;
  const keel_plugin_api_t& dst_api = *dst->device->plugin->api;
  if (src->host_ptr != nullptr) {
    return dst_api.buffer_write(dst->handle, dst_offset, static_cast<const char*>(src->host_ptr) + src_offset, size);
  }
  if (dst->host_ptr != nullptr) {
    return src_api.buffer_read(src->handle, src_offset, static_cast<char*>(dst->host_ptr) + dst_offset, size);
  }
  constexpr uint64_t kChunk = uint64_t{64} << 20;
  std::vector<char> staging(static_cast<size_t>(std::min(size, kChunk)));
  for (uint64_t done = 0; done < size;) {
    const uint64_t n = std::min(kChunk, size - done);
    KEEL_RETURN_IF_ERROR(src_api.buffer_read(src->handle, src_offset + done, staging.data(), n));
    KEEL_RETURN_IF_ERROR(dst_api.buffer_write(dst->handle, dst_offset + done, staging.data(), n));
    done += n;
  }
  return nullptr;
}

}  // namespace

extern "C" {

keel_status_t keel_buffer_allocate(keel_device_t* device, const keel_buffer_allocate_args_t* args,
                                   keel_buffer_t** out_buffer) {
  return keel::guarded("keel_buffer_allocate", [&]() -> keel_status_t {
    if (device == nullptr) return null_argument("keel_buffer_allocate", "device");
    if (out_buffer == nullptr) return null_argument("keel_buffer_allocate", "out_buffer");
    *out_buffer = nullptr;
    keel_buffer_allocate_args_t full{};
    full.struct_size = sizeof(full);
    if (args != nullptr) {
      if (args->struct_size < KEEL_STRUCT_SIZE_UNTIL(keel_buffer_allocate_args_t, alignment)) {
        return keel::make_status(KEEL_STATUS_INVALID_ARGUMENT, "keel_buffer_allocate: args->struct_size is too small");
      }
      full.memory_space = args->memory_space;
      full.flags = args->flags;
      full.size = args->size;
      full.alignment = args->alignment;
    }
    if (full.memory_space >= device->memory_spaces.size()) {
      return keel::make_status(KEEL_STATUS_OUT_OF_RANGE, "keel_buffer_allocate: memory space " +
                                                             std::to_string(full.memory_space) + " does not exist on " +
                                                             device->name);
    }
    if (full.alignment != 0 && (full.alignment & (full.alignment - 1)) != 0) {
      return keel::make_status(KEEL_STATUS_INVALID_ARGUMENT, "keel_buffer_allocate: alignment " +
                                                                 std::to_string(full.alignment) +
                                                                 " is not a power of two");
    }
    keel_plugin_buffer_t* handle = nullptr;
    void* host_ptr = nullptr;
    KEEL_RETURN_IF_ERROR(keel::annotate(device->plugin->api->buffer_allocate(device->handle, &full, &handle, &host_ptr),
                                        device->name + ": buffer_allocate(" + std::to_string(full.size) + " bytes)"));
    if (handle == nullptr) {
      return keel::make_status(KEEL_STATUS_INTERNAL, device->name + ": buffer_allocate returned OK with a NULL buffer");
    }
    if (!device->memory_spaces[full.memory_space].host_accessible) {
      host_ptr = nullptr;
    }
    *out_buffer = new keel_buffer_s(device, handle, host_ptr, full.size, full.memory_space);
    return nullptr;
  });
}

keel_status_t keel_buffer_import_host(keel_device_t* device, void* host_ptr, uint64_t size, keel_buffer_t** out_buffer) {
  return keel::guarded("keel_buffer_import_host", [&]() -> keel_status_t {
    if (device == nullptr) return null_argument("keel_buffer_import_host", "device");
    if (host_ptr == nullptr) return null_argument("keel_buffer_import_host", "host_ptr");
    if (out_buffer == nullptr) return null_argument("keel_buffer_import_host", "out_buffer");
    *out_buffer = nullptr;
    auto import = device->plugin->slot(&keel_plugin_api_t::buffer_import_host);
    if (import == nullptr || (device->properties.capabilities & KEEL_CAP_IMPORT_HOST_PTR) == 0) {
      return keel::make_status(KEEL_STATUS_UNIMPLEMENTED,
                               "keel_buffer_import_host: " + device->name + " cannot import host memory");
    }
    keel_plugin_buffer_t* handle = nullptr;
    KEEL_RETURN_IF_ERROR(keel::annotate(import(device->handle, host_ptr, size, &handle),
                                        device->name + ": buffer_import_host"));
    if (handle == nullptr) {
      return keel::make_status(KEEL_STATUS_INTERNAL, device->name + ": buffer_import_host returned OK with a NULL buffer");
    }
    *out_buffer = new keel_buffer_s(device, handle, host_ptr, size, 0);
    return nullptr;
  });
}

void keel_buffer_release(keel_buffer_t* buffer) { delete buffer; }

uint64_t keel_buffer_size(const keel_buffer_t* buffer) { return buffer == nullptr ? 0 : buffer->size; }

void* keel_buffer_host_pointer(const keel_buffer_t* buffer) { return buffer == nullptr ? nullptr : buffer->host_ptr; }

keel_device_t* keel_buffer_device(const keel_buffer_t* buffer) { return buffer == nullptr ? nullptr : buffer->device; }

keel_status_t keel_buffer_write(keel_buffer_t* buffer, uint64_t offset, const void* src, uint64_t size) {
  return keel::guarded("keel_buffer_write", [&]() -> keel_status_t {
    if (buffer == nullptr) return null_argument("keel_buffer_write", "buffer");
    if (src == nullptr && size > 0) return null_argument("keel_buffer_write", "src");
    KEEL_RETURN_IF_ERROR(check_range("keel_buffer_write", buffer, offset, size));
    if (size == 0) return nullptr;
    return buffer->device->plugin->api->buffer_write(buffer->handle, offset, src, size);
  });
}

keel_status_t keel_buffer_read(keel_buffer_t* buffer, uint64_t offset, void* dst, uint64_t size) {
  return keel::guarded("keel_buffer_read", [&]() -> keel_status_t {
    if (buffer == nullptr) return null_argument("keel_buffer_read", "buffer");
    if (dst == nullptr && size > 0) return null_argument("keel_buffer_read", "dst");
    KEEL_RETURN_IF_ERROR(check_range("keel_buffer_read", buffer, offset, size));
    if (size == 0) return nullptr;
    return buffer->device->plugin->api->buffer_read(buffer->handle, offset, dst, size);
  });
}

keel_status_t keel_buffer_copy(keel_buffer_t* src, uint64_t src_offset, keel_buffer_t* dst, uint64_t dst_offset,
                               uint64_t size) {
  return keel::guarded("keel_buffer_copy", [&]() -> keel_status_t {
    if (src == nullptr) return null_argument("keel_buffer_copy", "src");
    if (dst == nullptr) return null_argument("keel_buffer_copy", "dst");
    KEEL_RETURN_IF_ERROR(check_range("keel_buffer_copy (source)", src, src_offset, size));
    KEEL_RETURN_IF_ERROR(check_range("keel_buffer_copy (destination)", dst, dst_offset, size));
    if (size == 0) return nullptr;
    if (src->device == dst->device) {
      return src->device->plugin->api->buffer_copy(src->handle, src_offset, dst->handle, dst_offset, size);
    }
    return copy_through_host(src, src_offset, dst, dst_offset, size);
  });
}

}  // extern "C"
