#!/bin/sh
# with-pj_dump.sh COMMAND...: run a test that reads Paje traces back with pj_dump (Debian's pajeng package). When
# pj_dump is missing it is installed if that can be done without asking (as root, or through sudo without a
# password), as scripts/bootstrap.sh would; if it still cannot be had, the test is reported as skipped (exit status
# 77, which ctest shows as "Skipped"), never as passed.
if ! command -v pj_dump > /dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then
    sudo=""
  elif command -v sudo > /dev/null 2>&1 && sudo -n true 2> /dev/null; then
    sudo="sudo -n"
  else
    sudo=none
  fi
  if [ "$sudo" != none ] && command -v apt-get > /dev/null 2>&1; then
    echo "with-pj_dump: installing pajeng for pj_dump" >&2
    $sudo apt-get update -qq > /dev/null 2>&1
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends pajeng > /dev/null 2>&1
  fi
fi
if ! command -v pj_dump > /dev/null 2>&1; then
  echo "with-pj_dump: pj_dump (Debian package pajeng) is missing and cannot be installed here: skipped" >&2
  exit 77
fi
exec "$@"
