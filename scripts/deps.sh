# deps.sh: sourced by bootstrap.sh, sanitize.sh and fuzz.sh; the one place that decides what of the build stack is
# missing and installs it from Debian's archive.

# deps_missing_stack ARRAY [criterion]: append to the array named ARRAY the packages of the build stack that are
# missing: cmake, pkg-config, and the libraries found through pkg-config (SimGrid >= 3.32, GSL, libxml2, and
# Criterion when the second argument is "criterion").
deps_missing_stack() {
  local -n into=$1
  local with_criterion=${2:-}
  command -v cmake > /dev/null 2>&1 || into+=(cmake)
  if command -v pkg-config > /dev/null 2>&1; then
    pkg-config --exists 'simgrid >= 3.32' || into+=(libsimgrid-dev)
    pkg-config --exists gsl || into+=(libgsl-dev)
    pkg-config --exists libxml-2.0 || into+=(libxml2-dev)
    if [ "$with_criterion" = criterion ]; then pkg-config --exists criterion || into+=(libcriterion-dev); fi
  else
    into+=(pkg-config libsimgrid-dev libgsl-dev libxml2-dev)
    if [ "$with_criterion" = criterion ]; then into+=(libcriterion-dev); fi
  fi
}

# deps_install WHO PACKAGE...: install the packages (the caller found them missing; none is a no-op) with apt-get,
# as root or through sudo. Returns 1, saying what to install, when neither is available. WHO prefixes messages.
deps_install() {
  local who=$1
  shift
  [ $# -gt 0 ] || return 0
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo > /dev/null 2>&1; then
      echo "$who: missing: $*; install them (apt-get install $*) or run as root" >&2
      return 1
    fi
    sudo=(sudo)
  fi
  echo "$who: installing $*" >&2
  "${sudo[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo[@]}" apt-get install -y -qq --no-install-recommends "$@" > /dev/null
}
