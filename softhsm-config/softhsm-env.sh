#!/usr/bin/env bash
# Create an isolated SoftHSM2 token directory and configuration, and print the
# shell lines that make SoftHSM (and tokenctl) use it:
#
#   eval "$(softhsm-config/softhsm-env.sh [DIR])"
#
# DIR defaults to a new temporary directory. The script never touches the
# system token directory (/var/lib/softhsm) or /etc/softhsm.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
template="$here/softhsm2.conf.template"

find_module() {
  local m
  for m in /usr/lib/softhsm/libsofthsm2.so \
           /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
           /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so \
           /usr/local/lib/softhsm/libsofthsm2.so; do
    [ -f "$m" ] && { echo "$m"; return 0; }
  done
  return 1
}

if ! module=$(find_module) || ! command -v softhsm2-util >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "softhsm-env: installing the Debian package softhsm2" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get install -y -q softhsm2 >&2 || { apt-get update -q >&2 && apt-get install -y -q softhsm2 >&2; }
    module=$(find_module) || { echo "softhsm-env: softhsm2 installed but libsofthsm2.so not found" >&2; exit 1; }
  else
    echo "softhsm-env: SoftHSM2 is not installed; install the package 'softhsm2' (e.g. sudo apt-get install softhsm2)" >&2
    exit 1
  fi
fi

dir=${1:-$(mktemp -d "${TMPDIR:-/tmp}/tokenctl-softhsm.XXXXXX")}
mkdir -p "$dir/tokens"
dir=$(cd "$dir" && pwd)
case "$dir" in
  /var/lib/softhsm*|/etc/softhsm*) echo "softhsm-env: refusing to use the system directory $dir" >&2; exit 1;;
esac
sed "s|@TOKENDIR@|$dir/tokens|" "$template" > "$dir/softhsm2.conf"

printf 'export SOFTHSM2_CONF=%q\n' "$dir/softhsm2.conf"
printf 'export TOKENCTL_MODULE=%q\n' "$module"
