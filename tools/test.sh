#!/usr/bin/env bash
# Build and run every Keel test: the default preset (build/), then the AddressSanitizer and
# UndefinedBehaviorSanitizer preset (build-asan/). Installs missing Debian packages first (tools/setup.sh).
#
#   tools/test.sh
#
# Exits non-zero at the first step that fails.
#
# The asan test preset (CMakePresets.json) differs from the default one in two ways:
# - OMP_NUM_THREADS=1: LeakSanitizer's final thread scan crashes ("Tracer caught signal 11") on libgomp's
#   idle worker threads, which oneDNN starts; with one thread there are none. The default preset runs oneDNN
#   with every core.
# - It leaves out the conformance tests that each run the whole suite (FaultyPlugin, VerifyTest, WaiverRun and
#   three ReferenceRun cases): 45-85 s each under the sanitizers. The default preset runs all of them; the
#   suite's code still runs under the sanitizers through its unit tests and the remaining ReferenceRun cases.
# - It leaves out sample_train_lenet (eight epochs of convolution training, minutes under the sanitizers);
#   sample_train_mlp runs the same sample code under them.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CTEST_JOBS="${CTEST_JOBS:-2}"

log() { printf '==> %s\n' "$*"; }
die() {
  printf 'test.sh: error: %s\n' "$*" >&2
  exit 1
}

# configure, build and test one preset of CMakePresets.json
run_preset() {
  local preset="$1"
  log "[$preset] configure"
  cmake --preset "$preset" || die "[$preset] configure failed"
  log "[$preset] build"
  cmake --build --preset "$preset" || die "[$preset] build failed"
  log "[$preset] test"
  ctest --preset "$preset" -j "$CTEST_JOBS" || die "[$preset] tests failed"
}

main() {
  (($# == 0)) || die "no arguments expected (set CTEST_JOBS to change test parallelism)"
  "$REPO_ROOT/tools/setup.sh" --deps-only
  cd "$REPO_ROOT"
  run_preset default
  run_preset asan
  log "All tests passed"
}

main "$@"
