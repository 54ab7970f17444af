// C entry points: status objects and version queries.
#include "keel/keel_runtime.h"
#include "status/status.h"
#include "spec/op_schema.h"

extern "C" {

keel_status_code_t keel_status_code(keel_status_t status) {
  return status == nullptr ? keel_status_code_t{KEEL_STATUS_OK} : status->code;
}

const char* keel_status_message(keel_status_t status) { return status == nullptr ? "" : status->message.c_str(); }

const char* keel_status_source(keel_status_t status) { return status == nullptr ? "" : status->source.c_str(); }

void keel_status_release(keel_status_t status) { keel::release_status(status); }

const char* keel_status_code_name(keel_status_code_t code) { return keel::code_name(code); }

keel_status_t keel_status_create(keel_status_code_t code, const char* message) {
  return keel::make_status(code, message != nullptr ? message : "");
}

const char* keel_version_string(void) { return KEEL_VERSION_STRING; }

uint32_t keel_abi_version(void) { return KEEL_ABI_VERSION; }

const char* keel_spec_version_string(void) { return keel::spec::spec_version(); }

}  // extern "C"
