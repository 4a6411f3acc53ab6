#!/usr/bin/env bash
# A provisioning station at work (issue 18): tokens plugged in one after another
# through the vendor emulator's hot-plug (softhsm-config/README.md). For each token:
# the time from the token appearing (the emulator's hotplug.present file written) to the
# station's `done` line (its journal line is on disk by then), against the same
# enrollment done by a fresh `tokenctl enroll` process per token, started as the token
# appears. Medians and 95th percentiles of both, and their ratio.
#
#   bench/station.sh [--tokens N] [--store DIR] [--name NAME] [--smoke]
#
# Needs the emulator built (mvn package, or make -C softhsm-config/emulator).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tokens=30 store=/dev/shm name=station named=
while [ $# -gt 0 ]; do
  case $1 in
    --tokens) tokens=$2; shift ;;
    --store) store=$2; shift ;;
    --name) named=$2; shift ;;
    --smoke) tokens=3 name=station-smoke ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
[ -n "$named" ] && name=$named
[ -d "$store" ] || store=${TMPDIR:-/tmp}
need softhsm2-util java
bench_workdir "$store" station
emulator=$repo_root/softhsm-config/target/emulator/libtokenctl-emu.so
[ -f "$emulator" ] || make -s -C "$repo_root/softhsm-config/emulator" >&2
station_pid=
trap '[ -n "$station_pid" ] && kill "$station_pid" 2>/dev/null; rm -rf "$work"' EXIT
printf 'softhsm.module = %s\nhotplug.present = %s\n' "$softhsm_module" "$work/present" > "$work/emu.conf"
export TOKENCTL_EMULATOR_CONF=$work/emu.conf TOKENCTL_MODULE=$emulator
note "making $((2 * tokens)) tokens..."
for i in $(seq -f %03g 1 $((2 * tokens))); do bench_token "st-$i" "$pin"; done
"$repo_root/tokenctl" ca init --out-cert "$work/ca.pem" --out-key "$work/ca.key" >/dev/null 2>&1
plug() { printf '%s\n' "$@" > "$work/present.tmp"; mv "$work/present.tmp" "$work/present"; }
now_ns() { date +%s%N; }
plug
# the station: tokens st-001 .. st-N, one after another
"$repo_root/tokenctl" station --pin-file "$work/pin" --subject "CN=Token {serial},O=Example Bank" \
  --key-spec ec:p256 --ca-cert "$work/ca.pem" --ca-key "$work/ca.key" --journal "$work/journal" --json \
  --poll-interval 100 > "$work/station.out" 2> "$work/station.err" &
station_pid=$!
sleep 2
station_ms=()
for i in $(seq -f %03g 1 "$tokens"); do
  before=$(grep -c '"type":"done"' "$work/station.out" || true)
  start=$(now_ns)
  plug "st-$i"
  while [ "$(grep -c '"type":"done"' "$work/station.out" || true)" = "$before" ]; do
    kill -0 "$station_pid" 2>/dev/null || die "the station ended: $(tail -3 "$work/station.err")"
    sleep 0.005
  done
  end=$(now_ns)
  station_ms+=("$(( (end - start) / 1000000 ))")
  tail -1 "$work/station.out" | grep -q '"outcome":"enrolled"' || die "not enrolled: $(tail -1 "$work/station.out")"
  plug
done
kill -TERM "$station_pid"; wait "$station_pid" 2>/dev/null || true; station_pid=
# a fresh process per token: tokens st-(N+1) .. st-2N
enroll_ms=()
for i in $(seq -f %03g $((tokens + 1)) $((2 * tokens))); do
  start=$(now_ns)
  plug "st-$i"
  "$repo_root/tokenctl" enroll --token-label "st-$i" --pin-file "$work/pin" --label "st-$i" \
    --subject "CN=Token st-$i,O=Example Bank" --key-spec ec:p256 --ca-cert "$work/ca.pem" --ca-key "$work/ca.key" \
    >/dev/null 2> "$work/enroll.err" || die "enroll failed: $(tail -2 "$work/enroll.err")"
  end=$(now_ns)
  enroll_ms+=("$(( (end - start) / 1000000 ))")
  plug
done
p95() { printf '%s\n' "$@" | sort -n | awk '{ a[NR] = $1 } END { i = int(NR * 0.95 + 0.999); if (i > NR) i = NR; print a[i] }'; }
sm=$(median "${station_ms[@]}") s95=$(p95 "${station_ms[@]}") em=$(median "${enroll_ms[@]}") e95=$(p95 "${enroll_ms[@]}")
echo "$tokens tokens one after another: station ${sm} ms median (p95 ${s95} ms) from the token appearing to its" \
  "done line; a fresh tokenctl enroll per token ${em} ms (p95 ${e95} ms); ratio $(ratio "$sm" "$em")"
write_results "$name" station "\"tokenStore\": $(store_json "$work"), \"results\": {\"tokens\": $tokens, \"stationMedianMs\": $sm, \"stationP95Ms\": $s95, \"freshEnrollMedianMs\": $em, \"freshEnrollP95Ms\": $e95, \"ratioMedians\": $(ratio "$sm" "$em"), \"runsMs\": {\"station\": [$(IFS=,; echo "${station_ms[*]}")], \"freshEnroll\": [$(IFS=,; echo "${enroll_ms[*]}")]}}" "$load_before"
