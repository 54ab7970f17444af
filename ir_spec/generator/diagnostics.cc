#include "diagnostics.h"

namespace keel::specgen {

void Diagnostics::error(const Location& where, std::string message) { errors_.push_back({where, std::move(message)}); }

void Diagnostics::print(std::ostream& out) const {
  for (const Entry& e : errors_) {
    out << e.where.file << ':' << e.where.line << ": " << e.message << '\n';
  }
}

}  // namespace keel::specgen
