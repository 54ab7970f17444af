// The committed list of ONNX backend node tests the graph layer runs (conformance/graph/onnx-node-tests.txt),
// generated on the reference plugin by the keel_update_onnx_node_list target. The catalog reads the copy
// compiled into the suite, so the graph cases are the same on every machine, with or without the test data.
//
// File format: '#' header lines (list-version, test count), then one tab-separated line per test:
//   test_softmax_axis_1   Core-Inference   must-pass   softmax
//   name                  profile          on the reference plugin: "must-pass", or the reason it is not
//                                           ("unsupported: ..." / "fails: ...")
//                                                         the spec operators of the imported graph
//                                                         (comma-separated; "-" when it does not import)
// The profile is "none (<dtype profiles>)" when the model's dtypes belong to no suite profile (two
// extensions at once, or int8); such a test is never must-pass.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "keel/keel_types.h"
#include "model/profiles.h"

namespace keel::conform {

inline constexpr std::string_view kOnnxNodeListFile = "graph/onnx-node-tests.txt";
inline constexpr std::string_view kMustPassNote = "must-pass";

struct OnnxNodeEntry {
  std::string test;                // "test_softmax_axis_1"
  std::string profile_text;        // as written: a profile name, or "none (...)"
  std::optional<Profile> profile;  // nullopt for "none (...)"
  std::string reference;           // "must-pass", or why it does not pass on the reference plugin
  std::vector<std::string> ops;    // sorted

  bool must_pass() const { return profile.has_value() && reference == kMustPassNote; }
  bool uses(std::string_view op) const;
};

struct OnnxNodeList {
  int version = 0;  // 0: no list is compiled in
  std::vector<OnnxNodeEntry> entries;
};

// Parses the list; nullopt with *error naming the line for a malformed one.
std::optional<OnnxNodeList> parse_onnx_node_list(std::string_view contents, std::string* error);

// The list compiled into the suite (version 0 and no entries when none was committed). Throws
// std::logic_error when the committed file is malformed.
const OnnxNodeList& committed_onnx_node_list();

// The file for `entries`: the committed version when nothing changed, else the next one.
std::string render_onnx_node_list(std::span<const OnnxNodeEntry> entries);

// The profile of a node test whose model and data use `dtypes`, and its text for the list.
std::pair<std::optional<Profile>, std::string> onnx_node_profile(std::span<const keel_dtype_t> dtypes);

// A reason as one list field: tabs and line breaks become spaces, cut (at a UTF-8 boundary) to a few
// hundred bytes.
std::string list_field(std::string_view text);

}  // namespace keel::conform
