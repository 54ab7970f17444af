// keel conform: the conformance suite's command (conformance/ holds the suite itself).
#pragma once

#include "cli.h"

namespace keel::cli {

// `args` are the arguments after "conform". Global options given before "conform" are in `options`.
int run_conform(const GlobalOptions& options, int argc, char** args);

// Sub-commands in cmd_conform_lists.cc and cmd_conform_verify.cc.
int run_conform_list(const std::vector<std::string>& profiles, bool quick);
int run_conform_write_lists(const std::string& directory);
int run_conform_check_lists();
int run_conform_list_plugins(const GlobalOptions& options);
int run_conform_verify(const std::string& path);

}  // namespace keel::cli
