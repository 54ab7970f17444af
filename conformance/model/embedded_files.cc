#include "model/embedded_files.h"

namespace keel::conform {

std::optional<std::string_view> embedded_file(std::string_view name) {
  for (const EmbeddedFile& file : embedded_files()) {
    if (file.name == name) return file.contents;
  }
  return std::nullopt;
}

}  // namespace keel::conform
