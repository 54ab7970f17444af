// Word wrapping for generated comments and docs.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace keel::specgen {

// Splits `text` into lines of at most `width` characters at spaces (a longer word gets a line of its own).
std::vector<std::string> wrap_words(std::string_view text, size_t width);

}  // namespace keel::specgen
