#include "programs/disk_cache.h"

#include <unistd.h>

#include <array>
#include <atomic>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <system_error>

#include "programs/sha256.h"

namespace keel::opencl {
namespace {

constexpr std::array<char, 8> kMagic = {'K', 'E', 'E', 'L', 'O', 'C', 'L', '1'};
constexpr size_t kHeaderSize = kMagic.size() + sizeof(uint64_t) + 32;

std::string environment(const char* name) {
  const char* value = std::getenv(name);
  return value != nullptr ? value : "";
}

}  // namespace

DiskCache DiskCache::from_environment() {
  if (const std::string root = environment("KEEL_CACHE_DIR"); !root.empty()) return DiskCache(root + "/opencl");
  if (const std::string xdg = environment("XDG_CACHE_HOME"); !xdg.empty()) return DiskCache(xdg + "/keel/opencl");
  if (const std::string home = environment("HOME"); !home.empty()) return DiskCache(home + "/.cache/keel/opencl");
  return DiskCache("");
}

std::string DiskCache::path_of(const std::string& key) const { return directory_ + "/" + key + ".bin"; }

bool DiskCache::contains(const std::string& key) const {
  if (!enabled()) return false;
  std::error_code error;
  return std::filesystem::is_regular_file(path_of(key), error);
}

std::optional<std::vector<uint8_t>> DiskCache::load(const std::string& key) const {
  if (!enabled()) return std::nullopt;
  const std::string path = path_of(key);
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  const auto reject = [&]() -> std::optional<std::vector<uint8_t>> {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
    return std::nullopt;
  };
  if (bytes.size() < kHeaderSize || std::memcmp(bytes.data(), kMagic.data(), kMagic.size()) != 0) return reject();
  uint64_t size = 0;
  std::memcpy(&size, bytes.data() + kMagic.size(), sizeof size);
  if (size != bytes.size() - kHeaderSize) return reject();
  const std::span<const uint8_t> payload(bytes.data() + kHeaderSize, size);
  const Sha256::Digest digest = Sha256::of(payload);
  if (std::memcmp(digest.data(), bytes.data() + kMagic.size() + sizeof size, digest.size()) != 0) return reject();
  return std::vector<uint8_t>(payload.begin(), payload.end());
}

bool DiskCache::store(const std::string& key, std::span<const uint8_t> payload) const {
  if (!enabled()) return false;
  std::error_code error;
  std::filesystem::create_directories(directory_, error);
  if (error) return false;
  const std::string final_path = path_of(key);
  static std::atomic<uint64_t> serial{0};  // two writers in one process never share a temporary name
  const std::string temporary =
      final_path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(serial.fetch_add(1));
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) return false;
    const uint64_t size = payload.size();
    const Sha256::Digest digest = Sha256::of(payload);
    file.write(kMagic.data(), kMagic.size());
    file.write(reinterpret_cast<const char*>(&size), sizeof size);
    file.write(reinterpret_cast<const char*>(digest.data()), static_cast<std::streamsize>(digest.size()));
    file.write(reinterpret_cast<const char*>(payload.data()), static_cast<std::streamsize>(payload.size()));
    if (!file.flush()) {
      file.close();
      std::filesystem::remove(temporary, error);
      return false;
    }
  }
  std::filesystem::rename(temporary, final_path, error);
  if (error) {
    std::filesystem::remove(temporary, error);
    return false;
  }
  return true;
}

}  // namespace keel::opencl
