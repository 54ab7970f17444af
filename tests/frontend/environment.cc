// Every front-end test runs on the plugins of this build: the reference device unless KEEL_DEVICE names
// another.
#include <gtest/gtest.h>

#include <cstdlib>

#include "keel/tensor.hpp"

namespace {

class FrontendEnvironment : public ::testing::Environment {
 public:
  void SetUp() override {
    keel::RuntimeOptions options;
    options.plugin_paths = {KEEL_BUILD_PLUGIN_DIR};
    options.use_env_path = false;
    options.use_manifests = false;
    keel::configure(options);
    const char* name = std::getenv("KEEL_DEVICE");
    keel::set_default_device(keel::device(name != nullptr && *name != '\0' ? name : "reference:0"));
  }
};

[[maybe_unused]] ::testing::Environment* const environment =
    ::testing::AddGlobalTestEnvironment(new FrontendEnvironment);

}  // namespace
