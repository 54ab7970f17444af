#!/usr/bin/env bash
# Set up Keel on Debian 12: install the packages it builds with, build the default preset, and run the main
# job: list the plugin candidates and the devices, then run a short operator demo on every device.
#
#   tools/setup.sh              install what is missing, build, run
#   tools/setup.sh --deps-only  install what is missing (packages, the samples' data set), nothing else
#   tools/setup.sh --no-run     install what is missing and build
#
# Safe to run again: packages already installed are left alone, and the build is incremental.
set -euo pipefail

# The Debian packages Keel needs, in one place: add new dependencies here.
KEEL_DEBIAN_PACKAGES=(
  cmake
  ninja-build
  g++
  pkg-config
  libgtest-dev
  libbenchmark-dev
  libyaml-cpp-dev
  nlohmann-json3-dev
  libdnnl-dev
  ocl-icd-opencl-dev
  opencl-headers
  pocl-opencl-icd
  clinfo
  libonnx-dev
  libprotobuf-dev
  protobuf-compiler
  libonnx-testdata
  zlib1g-dev
)

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '==> %s\n' "$*"; }
die() {
  printf 'setup.sh: error: %s\n' "$*" >&2
  exit 1
}

usage() {
  sed -n '2,9s/^# \{0,1\}//p' "${BASH_SOURCE[0]}"
}

# Prints the packages of KEEL_DEBIAN_PACKAGES that are not installed, one per line.
missing_packages() {
  local package
  for package in "${KEEL_DEBIAN_PACKAGES[@]}"; do
    if [[ "$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null)" != "install ok installed" ]]; then
      printf '%s\n' "$package"
    fi
  done
}

install_packages() {
  command -v dpkg-query >/dev/null || die "dpkg-query not found; this script installs Debian packages (Debian 12)"
  local missing=()
  mapfile -t missing < <(missing_packages)
  if ((${#missing[@]} == 0)); then
    log "Debian packages: all ${#KEEL_DEBIAN_PACKAGES[@]} present"
    return
  fi
  local as_root=()
  if ((EUID != 0)); then
    command -v sudo >/dev/null || die "installing ${missing[*]} needs root, and sudo is not available"
    as_root=(sudo)
  fi
  log "Installing: ${missing[*]}"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q || die "apt-get update failed"
  "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" ||
    die "apt-get install failed for: ${missing[*]}"
}

# The samples' data set: the 8x8 handwritten digits (digits.csv.gz), extracted from Debian's python3-sklearn
# package without installing it, into $KEEL_DATA_DIR or build/data/. Not fatal: the samples explain what is
# missing.
fetch_digits() {
  local data_dir="${KEEL_DATA_DIR:-$REPO_ROOT/build/data}"
  local target="$data_dir/digits.csv.gz"
  if [[ -f "$target" ]]; then
    log "Digits data set: present ($target)"
    return
  fi
  log "Digits data set: extracting digits.csv.gz from python3-sklearn into $data_dir"
  local work
  work="$(mktemp -d)"
  # apt-get download needs package lists; a machine that had every package may never have fetched them.
  local as_root=()
  ((EUID == 0)) || ! command -v sudo >/dev/null || as_root=(sudo)
  if ! (cd "$work" && apt-get download python3-sklearn >/dev/null 2>&1); then
    "${as_root[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -q >/dev/null || true
  fi
  if (cd "$work" && { ls python3-sklearn_*.deb >/dev/null 2>&1 || apt-get download python3-sklearn >/dev/null; } &&
    dpkg -x python3-sklearn_*.deb extracted) &&
    mkdir -p "$data_dir" &&
    cp "$work/extracted/usr/lib/python3/dist-packages/sklearn/datasets/data/digits.csv.gz" "$target"; then
    log "Digits data set: $target"
  else
    log "Digits data set: could not extract it (the training samples and their tests will say so)"
  fi
  rm -rf "$work"
}

build_default() {
  cd "$REPO_ROOT"
  log "Configuring (preset default, build/)"
  cmake --preset default || die "configure failed"
  log "Building"
  cmake --build --preset default || die "build failed"
}

run_main_job() {
  local keel="$REPO_ROOT/build/bin/keel"
  [[ -x "$keel" ]] || die "$keel was not built"
  log "keel plugins"
  "$keel" plugins || die "keel plugins failed"
  log "keel devices"
  "$keel" devices || die "keel devices failed"
  log "keel demo"
  "$keel" demo || die "keel demo found a problem (see above)"
  # Quick conformance (docs/conformance.md) of every plugin discovery finds; each prints its certificate
  # summary. A plugin that does not pass is reported, not fatal: tools/test.sh is the pass/fail gate.
  local names plugin plugins=() not_passing=()
  names="$("$keel" conform --list-plugins)" || die "keel conform --list-plugins failed"
  [[ -z "$names" ]] || mapfile -t plugins <<<"$names"
  for plugin in "${plugins[@]}"; do
    log "keel conform --plugin $plugin --quick"
    "$keel" conform --plugin "$plugin" --quick --no-progress --out "$REPO_ROOT/build/conformance/$plugin" ||
      not_passing+=("$plugin")
  done
  if ((${#not_passing[@]} > 0)); then
    log "Quick conformance did not pass for: ${not_passing[*]} (reports in build/conformance/<plugin>/report.md)"
  fi
}

main() {
  local deps_only=0 run=1
  while (($# > 0)); do
    case "$1" in
      --deps-only) deps_only=1 ;;
      --no-run) run=0 ;;
      -h | --help)
        usage
        return 0
        ;;
      *) die "unknown option '$1' (see --help)" ;;
    esac
    shift
  done
  install_packages
  fetch_digits
  ((deps_only)) && return 0
  build_default
  ((run)) && run_main_job
  log "Done"
}

main "$@"
