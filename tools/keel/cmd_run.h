// keel run: import (or load) a model, optimize it, run it on a device and write its outputs as .npy files.
#pragma once

#include "cli.h"

namespace keel::cli {

// `args` are the arguments after "run". Global options given before "run" are in `options`.
int run_model(const GlobalOptions& options, int argc, char** args);

}  // namespace keel::cli
