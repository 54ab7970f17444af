/* Every public header, together, as strict C99 (-std=c99 -pedantic-errors); the CMake file adds one
 * translation unit per header to show each also compiles alone. Linked into keel_c_consumer. */
#include "keel/keel_ops.h"
#include "keel/keel_plugin.h"
#include "keel/keel_runtime.h"
#include "keel/keel_status.h"
#include "keel/keel_types.h"

/* Uses the macros and the inline function in C, so they are compiled, not just declared. */
int keel_abi_c99_headers_check(void) {
  keel_plugin_api_t api = {0};
  api.struct_size = KEEL_STRUCT_SIZE_UNTIL(keel_plugin_api_t, event_fail);
  return keel_abi_compatible(KEEL_ABI_VERSION, KEEL_ABI_VERSION, KEEL_ABI_VERSION) &&
         !KEEL_STRUCT_HAS(api.struct_size, keel_plugin_api_t, buffer_import_host);
}
