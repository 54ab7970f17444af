// The on-disk store of program binaries. One file per key, "<key>.bin", holding a header (magic, payload
// size, SHA-256 of the payload) and the payload. Files are written to a temporary name and renamed, so a
// reader sees a whole file or none; a file that fails its checks is deleted and reported as a miss.
//
// Directory: $KEEL_CACHE_DIR/opencl, else $XDG_CACHE_HOME/keel/opencl, else $HOME/.cache/keel/opencl. A
// directory that cannot be created or written only costs the speed-up: loads miss and stores are dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

namespace keel::opencl {

class DiskCache {
 public:
  // The directory named by the environment (see above); disabled when none can be derived.
  static DiskCache from_environment();
  explicit DiskCache(std::string directory) : directory_(std::move(directory)) {}

  const std::string& directory() const { return directory_; }
  bool enabled() const { return !directory_.empty(); }

  // The payload stored under `key`, or nothing (absent, unreadable, or corrupt and now deleted).
  std::optional<std::vector<uint8_t>> load(const std::string& key) const;
  // True when a file for `key` exists (without reading it).
  bool contains(const std::string& key) const;
  // Stores `payload`; returns false, changing nothing, when the directory is not writable.
  bool store(const std::string& key, std::span<const uint8_t> payload) const;

  std::string path_of(const std::string& key) const;

 private:
  std::string directory_;
};

}  // namespace keel::opencl
