// A plugin initialized directly under an emulated host, bypassing libkeel; shut down on destruction.
#pragma once

#include <memory>
#include <string>

#include "layers/abi/emulated_host.h"

namespace keel::conform {

class DirectPlugin {
 public:
  // Opens `path` and calls keel_plugin_init under a host with `options`. Fails the case when the library
  // cannot be opened; an init failure is recorded (init_ok() false), not thrown.
  DirectPlugin(const std::string& path, const EmulatedHostOptions& options);
  ~DirectPlugin();
  DirectPlugin(const DirectPlugin&) = delete;
  DirectPlugin& operator=(const DirectPlugin&) = delete;

  bool init_ok() const { return init_code_ == KEEL_STATUS_OK && args_.api != nullptr; }
  keel_status_code_t init_code() const { return init_code_; }
  const std::string& init_message() const { return init_message_; }
  const keel_plugin_init_args_t& args() const { return args_; }
  const keel_plugin_api_t& api() const { return *args_.api; }
  EmulatedHost& host() { return *host_; }
  PluginLibrary& library() { return *library_; }

  // Consumes a status the plugin returned: "" for OK, else "CODE: message".
  static std::string take(keel_status_t status);
  // Calls shutdown now (at most once); the destructor does it otherwise.
  void shutdown();

 private:
  std::unique_ptr<PluginLibrary> library_;
  std::unique_ptr<EmulatedHost> host_;
  keel_plugin_init_args_t args_{};
  keel_status_code_t init_code_ = KEEL_STATUS_OK;
  std::string init_message_;
  bool shut_down_ = false;
};

}  // namespace keel::conform
