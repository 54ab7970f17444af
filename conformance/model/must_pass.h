// Must-pass lists: one versioned file per profile under conformance/profiles/, generated from the case
// catalog and committed. The committed files are compiled into the suite; their SHA-256 goes into every
// certificate, and `keel conform --verify` checks it. A test fails when a committed list no longer matches
// the catalog (regenerate with the keel_update_conformance_lists target).
//
// File format (text, one case id per line, '#' lines are the header):
//   # Keel conformance must-pass list: Core-Inference
//   # list-version: 3
//   # spec-version: 1.0.0
//   # cases: 1234
//   ops.add.f32.s0.dense
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "model/profiles.h"

namespace keel::conform {

struct MustPassList {
  Profile profile = Profile::kBase;
  std::string file;            // "profiles/base.txt"
  int version = 0;             // list-version; 0 when the file is missing
  std::string spec_version;    // the spec the list was generated from
  std::vector<std::string> case_ids; // in file order
  std::string sha256;          // of the whole file
  std::string contents;
};

std::string must_pass_file_name(Profile profile);  // "profiles/core-inference.txt"

// Parses a list file. nullopt with *error for a malformed one.
std::optional<MustPassList> parse_must_pass_list(Profile profile, std::string_view contents, std::string* error);

// The list compiled into this suite (version 0 and no cases when the file was not committed).
const MustPassList& committed_list(Profile profile);

// The ids the catalog puts on `profile`'s list today, in catalog order.
std::vector<std::string> catalog_must_pass_ids(Profile profile);

// The file for `ids`: the committed file unchanged when its cases are the same, else a new version.
std::string render_must_pass_list(Profile profile, const std::vector<std::string>& ids);

// Differences between the committed list and the catalog; empty when the list is current.
struct ListDrift {
  bool file_missing = false;                  // no list was committed for the profile
  std::vector<std::string> missing_from_list; // in the catalog, not on the committed list
  std::vector<std::string> stale_in_list;     // on the committed list, no longer in the catalog
  bool reordered = false;                     // same cases, another order
  bool empty() const { return !file_missing && missing_from_list.empty() && stale_in_list.empty() && !reordered; }
};
ListDrift list_drift(Profile profile);

}  // namespace keel::conform
