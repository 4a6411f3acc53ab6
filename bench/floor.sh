#!/usr/bin/env bash
# The floor of a batch enrollment, and how tokenctl's batch scales (issue 18).
# bench/floor.c makes, per token, exactly the PKCS#11 calls an enrollment needs (login,
# EC P-256 key pair, the public point, one signature, the certificate object, logout),
# in one process, as many tokens at a time as tokenctl: what any tool must pay SoftHSM.
# For each number of tokens, each round runs the floor and `tokenctl batch-enroll`
# (EC P-256, a local P-256 CA) on a fresh copy of the same tokens and reports
# tokenctl / floor (the median of the rounds' own ratios), each one's time per token,
# and tokenctl's peak RSS (GNU time). Targets: tokenctl within 2x of the floor at 500
# tokens; its time per token at 500 within 1.2x of that at 200 and its peak RSS within
# 1.5x (where SoftHSM's own cost grows with the tokens, the floor shows it).
# Where tokenctl's extra time goes, per round: its start-up (the wall time less the
# batch's own durationMs, which runs from the command's first line to the summary:
# JVM, command line, module, listing the tokens, the CA), and a third run with the
# attempt guard off (guard.enabled = false) for the guard's share.
#
#   bench/floor.sh [--sizes "50 200 500"] [--runs R] [--store DIR] [--name NAME] [--smoke]
#
# --store: where the tokens live (default /dev/shm, tmpfs: a hardware token has no
# filesystem; see docs/benchmarks.md). Writes $BENCH_RESULTS_DIR (default
# bench/results)/NAME.json (default floor, or floor-smoke).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

sizes="50 200 500" runs=3 store=/dev/shm name=floor named=
while [ $# -gt 0 ]; do
  case $1 in
    --sizes) sizes=$2; shift ;;
    --runs) runs=$2; shift ;;
    --store) store=$2; shift ;;
    --name) named=$2; shift ;;
    --smoke) sizes=3 runs=1 name=floor-smoke ;;
    *) die "unknown option $1" ;;
  esac
  shift
done
[ -n "$named" ] && name=$named
[ -d "$store" ] || store=${TMPDIR:-/tmp}
need softhsm2-util gcc java /usr/bin/time
bench_workdir "$store" floor
gcc -std=gnu11 -O2 -Wall -Werror -I"${PKCS11_INCLUDE:-/usr/include/p11-kit-1/p11-kit}" \
  -o "$work/floor" "$bench_root/floor.c" -ldl -lpthread
"$repo_root/tokenctl" ca init --out-cert "$work/ca.pem" --out-key "$work/ca.key" >/dev/null 2>&1
# the certificate object the floor writes: any certificate of the right size will do
openssl x509 -in "$work/ca.pem" -outform DER -out "$work/cert.der"

fresh() { rm -rf "$work/hsm/tokens"; cp -a "$work/fresh" "$work/hsm/tokens"; }
run_floor() {
  local rc=0
  BENCH_PIN=$pin "$work/floor" "$softhsm_module" bench- "$1" "$parallel" "$work/cert.der" > "$work/floor.out" \
    2>&1 || rc=$?
  [ "$rc" = 0 ] || die "the floor failed (exit $rc): $(cat "$work/floor.out")"
}
# the same batch with the attempt guard off (its own configuration directory)
mkdir -p "$work/guard-off/tokenctl"
printf 'guard.enabled = false\n' > "$work/guard-off/tokenctl/config.properties"
run_tokenctl_guard_off() { XDG_CONFIG_HOME=$work/guard-off run_tokenctl "$@"; }
run_tokenctl() { # writes the peak RSS (KiB) to $work/rss, the batch's own durationMs to $work/batch-ms
  /usr/bin/time -f %M -o "$work/rss" "$repo_root/tokenctl" batch-enroll --pin-file "$work/pin" \
    --subject "CN=Holder {label},O=Example Bank" --key-spec ec:p256 --ca-cert "$work/ca.pem" \
    --ca-key "$work/ca.key" --parallel "$parallel" --json > "$work/tokenctl.out" 2> "$work/tokenctl.err" \
    || die "tokenctl failed: $(tail -3 "$work/tokenctl.err")"
  grep -q '"type":"summary".*"enrolled":'"$1"',' "$work/tokenctl.out" \
    || die "tokenctl did not enroll every token: $(tail -1 "$work/tokenctl.out")"
  tail -1 "$work/tokenctl.out" | grep -o '"durationMs":[0-9]*' | cut -d: -f2 > "$work/batch-ms"
}
time_ms() { local start end; fresh; start=$(now_ms); "$@"; end=$(now_ms); echo $((end - start)); }
milli() { echo $(( $1 * 1000 / $2 )); }
milli_median() { awk -v m="$(median "$@")" 'BEGIN { printf "%.3f", m / 1000 }'; }
per_token() { awk -v t="$1" -v n="$2" 'BEGIN { printf "%.2f", t / n }'; }

sections=()
for n in $sizes; do
  note "making $n tokens..."
  rm -rf "$work/hsm/tokens" "$work/fresh"; mkdir -p "$work/hsm/tokens"
  for i in $(seq -f %03g 1 "$n"); do bench_token "bench-$i" "$pin"; done
  cp -a "$work/hsm/tokens" "$work/fresh"
  t_floor=() t_tok=() t_off=() start=() r=() rss=()
  for round in $(seq 1 "$runs"); do
    note "$n tokens, round $round/$runs"
    if [ $((round % 2)) = 1 ]; then
      t_floor+=("$(time_ms run_floor "$n")"); t_tok+=("$(time_ms run_tokenctl "$n")")
      start+=($(( t_tok[-1] - $(cat "$work/batch-ms") ))); rss+=("$(cat "$work/rss")")
      t_off+=("$(time_ms run_tokenctl_guard_off "$n")")
    else
      t_off+=("$(time_ms run_tokenctl_guard_off "$n")"); t_tok+=("$(time_ms run_tokenctl "$n")")
      start+=($(( t_tok[-1] - $(cat "$work/batch-ms") ))); rss+=("$(cat "$work/rss")")
      t_floor+=("$(time_ms run_floor "$n")")
    fi
    r+=("$(milli "${t_tok[-1]}" "${t_floor[-1]}")")
  done
  f=$(median "${t_floor[@]}") t=$(median "${t_tok[@]}") m=$(median "${rss[@]}") ratio=$(milli_median "${r[@]}")
  o=$(median "${t_off[@]}") st=$(median "${start[@]}")
  echo "$n tokens, $runs rounds (medians): floor ${f} ms ($(per_token "$f" "$n") ms/token), tokenctl ${t} ms" \
    "($(per_token "$t" "$n") ms/token), ratio $ratio; tokenctl peak RSS ${m} KiB;" \
    "tokenctl's start-up ${st} ms, with the guard off ${o} ms"
  sections+=("$(printf '"%s": {"tokens": %s, "rounds": %s, "parallel": %s, "floorMs": %s, "tokenctlMs": %s, "floorMsPerToken": %s, "tokenctlMsPerToken": %s, "ratioToFloor": %s, "tokenctlPeakRssKiB": %s, "tokenctlStartMs": %s, "tokenctlGuardOffMs": %s, "runsMs": {"floor": [%s], "tokenctl": [%s], "tokenctlGuardOff": [%s], "tokenctlStart": [%s]}}' \
    "$n" "$n" "$runs" "$parallel" "$f" "$t" "$(per_token "$f" "$n")" "$(per_token "$t" "$n")" "$ratio" "$m" \
    "$st" "$o" "$(IFS=,; echo "${t_floor[*]}")" "$(IFS=,; echo "${t_tok[*]}")" "$(IFS=,; echo "${t_off[*]}")" \
    "$(IFS=,; echo "${start[*]}")")")
done

write_results "$name" floor "\"tokenStore\": $(store_json "$work"), \"results\": {$(IFS=,; printf '%s' "${sections[*]}")}" "$load_before"
