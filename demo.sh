#!/usr/bin/env bash
# The main job on a fresh SoftHSM token, start to finish, in a throwaway
# directory (nothing outside it is touched):
#   initialise the token -> list it.
# Each step is an ordinary tokenctl command; read this file to see how operators
# script enrollment.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/scripts/install-prerequisites"

work=$(mktemp -d "${TMPDIR:-/tmp}/tokenctl-demo.XXXXXX")
eval "$("$here/softhsm-config/softhsm-env.sh" "$work/softhsm")"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
tokenctl="$here/tokenctl"

# PINs come from files (or env vars, stdin, a prompt), never from the command line.
umask 077
printf '%s\n' "so-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')" > "$work/so.pin"

step() { printf '\n== %s\n' "$*" >&2; }

step "Initialise a fresh SoftHSM token (SO PIN from a file; user PIN = the bank's initial PIN)"
"$tokenctl" init --label demo --so-pin-file "$work/so.pin" --force

step "List slots and tokens"
"$tokenctl" list --token-label demo --objects

step "Done. Token directory: $work/softhsm (remove it when finished)"
