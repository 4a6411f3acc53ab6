#!/usr/bin/env bash
# Create an isolated SoftHSM2 token directory and configuration, and print the
# shell lines that make SoftHSM (and tokenctl) use it:
#
#   eval "$(softhsm-config/softhsm-env.sh [--emulate PROFILE] [DIR])"
#
# DIR defaults to a new temporary directory. The script never touches the
# system token directory (/var/lib/softhsm) or /etc/softhsm.
#
# --emulate PROFILE (gd, mingwah, huada, watchdata, or a profile of your own in
# ${XDG_CONFIG_HOME:-~/.config}/tokenctl/profiles) also writes DIR/emulator.conf with
# that vendor's token facts (manufacturer, model, PIN range, retry counters, whether
# C_InitToken is refused) and points TOKENCTL_MODULE at the vendor emulator in front
# of SoftHSM, e.g. for `pkcs11-tool --module "$TOKENCTL_MODULE" -T`.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
template="$here/softhsm2.conf.template"
die() { echo "softhsm-env: $*" >&2; exit 1; }

emulate=""
if [ "${1:-}" = "--emulate" ]; then
  [ -n "${2:-}" ] || die "--emulate needs a profile id (gd, mingwah, huada, watchdata)"
  emulate=$2
  shift 2
fi

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
if [ -z "$emulate" ]; then
  printf 'export TOKENCTL_MODULE=%q\n' "$module"
  exit 0
fi

# The keys a profile shares with the emulator's configuration (the same list as
# SoftHsmFixture.PROFILE_KEYS; ProfileEmulationScriptTest holds the two together).
profile="${XDG_CONFIG_HOME:-$HOME/.config}/tokenctl/profiles/$emulate.properties"
[ -f "$profile" ] || profile="$here/../token-core/src/main/resources/org/tokenctl/core/profile/$emulate.properties"
[ -f "$profile" ] || die "no profile '$emulate' (built in: gd, mingwah, huada, watchdata, softhsm, generic)"
emulator="$here/target/emulator/libtokenctl-emu.so"
[ -f "$emulator" ] || die "the vendor emulator is not built; build it with: mvn -B -pl softhsm-config package"
{
  echo "# written by softhsm-env.sh --emulate $emulate from $profile"
  echo "softhsm.module = $module"
  for key in manufacturer model pin.min pin.max pin.retries so_pin.retries init_token \
      sm2.key_type sm2.keygen sm2.sign sm2.sign.input sm2.signature sm2.private_ec_point; do
    value=$(awk -v k="$key" '{ line = $0; sub(/^[ \t]+/, "", line) }
      index(line, k) == 1 { rest = substr(line, length(k) + 1); if (rest ~ /^[ \t]*[=:]/) {
        sub(/^[ \t]*[=:][ \t]*/, "", rest); sub(/[ \t]+$/, "", rest); v = rest } }
      END { print v }' "$profile")
    [ -z "$value" ] || echo "$key = $value"
  done
  echo "state.file = $dir/emulator-state"
} > "$dir/emulator.conf"
printf 'export TOKENCTL_EMULATOR_CONF=%q\n' "$dir/emulator.conf"
printf 'export TOKENCTL_MODULE=%q\n' "$emulator"
