// The line protocol between the parent and its workers.
//
//   parent -> worker (stdin):        RUN <case id>
//                                    (end of input: the worker exits)
//   worker -> parent (fd kResultFd): READY <device and plugin description, one JSON line>
//                                    FATAL <why the worker cannot start>
//                                    RESULT <case result, one JSON line>
// The plugin under test may print whatever it likes: the worker's stdout and stderr go to a log file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "model/case.h"

namespace keel::conform {

inline constexpr int kResultFd = 3;

inline constexpr std::string_view kRunCommand = "RUN ";
inline constexpr std::string_view kReadyMessage = "READY ";
inline constexpr std::string_view kFatalMessage = "FATAL ";
inline constexpr std::string_view kResultMessage = "RESULT ";

// One line of JSON; invalid UTF-8 in plugin messages is replaced rather than thrown on.
std::string json_line(const nlohmann::json& json);

nlohmann::json result_to_json(const std::string& id, const CaseResult& result);
// nullopt for a malformed line.
std::optional<std::pair<std::string, CaseResult>> result_from_json(const nlohmann::json& json);

}  // namespace keel::conform
