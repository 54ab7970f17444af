// Plugin manifests: `<name>.json` files in the manifest directory that say where a plugin library is,
// so plugins can be listed without loading anything:
//
//   { "name": "reference", "library": "../../../lib/keel/libkeel_reference.so", "abi_version": "1.0" }
//
// A relative `library` is resolved against the manifest's directory.
#pragma once

#include <string>

#include "loader/discovery.h"

namespace keel::loader {

struct Manifest {
  std::string name;
  std::string library;     // absolute or relative to the manifest's directory, as written
  std::string abi_version; // "major.minor", may be empty
};

// Parses one manifest file into a candidate; problems end up in Candidate::error.
Candidate read_manifest(const std::string& manifest_path);

}  // namespace keel::loader
