#include "backend.h"

#include <stdexcept>

namespace keel::reference_test {

std::unique_ptr<Backend> make_direct_backend();
std::unique_ptr<Backend> make_libkeel_backend();

std::unique_ptr<Backend> make_backend(const std::string& kind) {
  if (kind == "direct") return make_direct_backend();
  if (kind == "libkeel") return make_libkeel_backend();
  throw std::invalid_argument("unknown backend " + kind);
}

std::string reference_plugin_path() { return std::string(KEEL_BUILD_PLUGIN_DIR) + "/libkeel_reference.so"; }

}  // namespace keel::reference_test
