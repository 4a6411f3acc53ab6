#!/usr/bin/env bash
# The main job on a fresh SoftHSM token, start to finish, in a throwaway
# directory (nothing outside it is touched):
#   initialise the token -> change the initial PIN -> generate a non-exportable
#   key on it and enroll a certificate (from a throwaway local CA) -> list it,
#   ending with the certificate's serial number and expiry date.
# Each step is an ordinary tokenctl command; read this file to see how operators
# script enrollment.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
"$here/scripts/install-prerequisites"

work=$(mktemp -d "${TMPDIR:-/tmp}/tokenctl-demo.XXXXXX")
eval "$("$here/softhsm-config/softhsm-env.sh" "$work/softhsm")"
export XDG_DATA_HOME="$work/data" XDG_CONFIG_HOME="$work/config"
# TOKENCTL runs the job through another tokenctl (scripts/package-check: the installed /usr/bin/tokenctl)
tokenctl="${TOKENCTL:-$here/tokenctl}"

# PINs come from files (or env vars, stdin, a prompt), never from the command line.
umask 077
printf '%s\n' "so-$(od -An -N4 -tx4 /dev/urandom | tr -d ' ')" > "$work/so.pin"
printf '%s\n' "12345678" > "$work/initial.pin"
shuf -i 20000000-99999999 -n 1 > "$work/user.pin"

step() { printf '\n== %s\n' "$*" >&2; }

step "Initialise a fresh SoftHSM token (SO PIN from a file; user PIN = the bank's initial PIN)"
"$tokenctl" init --label demo --so-pin-file "$work/so.pin" --force

step "The holder replaces the initial PIN 12345678 with their own (6 to 10 characters)"
"$tokenctl" change-pin --token-label demo --pin-file "$work/initial.pin" --new-pin-file "$work/user.pin"

step "A throwaway CA for the demo (a real deployment uses its CA over CMP, or --csr-out)"
"$tokenctl" ca init --out-cert "$work/ca.pem" --out-key "$work/ca.key" --subject "CN=Demo Issuing CA,O=Example Bank"

step "Enroll: key pair generated on the token (never exportable), CSR signed by the token, certificate installed"
"$tokenctl" enroll --token-label demo --pin-file "$work/user.pin" --label holder \
  --subject "CN=Demo Holder,O=Example Bank" --san email:holder@example.com \
  --ca-cert "$work/ca.pem" --ca-key "$work/ca.key"

step "List the token and its objects (logged in with the holder's PIN)"
"$tokenctl" list --token-label demo --objects --pin-file "$work/user.pin"

step "Done. Token directory: $work/softhsm (remove it when finished)"
