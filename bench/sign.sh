#!/usr/bin/env bash
# Library overhead benchmark (issue 7): signatures per second through token-core
# (TokenSession.sign, and the TokenContentSigner that signs requests) against the
# xipki wrapper's raw Session.signSingle, on the same SoftHSM key, with JMH
# (bench/jmh, a Maven project outside the main build). Target: token-core's
# overhead <= 5%. A signature on SoftHSM takes 0.1 to 2 ms and a shared machine's noise
# is larger than 5%, so the cost of token-core's own call path is measured alone too.
#
#   bench/sign.sh [--quick]
#
# --quick: 1 warm-up and 2 measurement iterations of 1 s (a check, not a result).
# Writes $BENCH_RESULTS_DIR (default bench/results)/sign.json (JMH's JSON inside).
set -euo pipefail
. "$(dirname "$0")/lib.sh"

quick=()
name=sign
[ "${1:-}" = --quick ] && quick=(-wi 1 -i 2 -w 1s -r 1s) && name=sign-quick
need softhsm2-util java mvn
[ -n "$softhsm_module" ] || die "SoftHSM2 is missing (Debian package softhsm2)"
work=$(mktemp -d "${TMPDIR:-/tmp}/tokenctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
note "building token-core and bench/jmh..."
(cd "$repo_root" && mvn -q -B -DskipTests -pl token-core -am install) >&2
mvn -q -B -f "$bench_root/jmh/pom.xml" package >&2
softhsm_dir "$work/hsm"
bench_token sign 24681357
load_before=$(loadavg)
jni=$(ls -d "$repo_root"/token-cli/target/native/natives/unix/linux-*/release 2>/dev/null | head -1 || true)
BENCH_MODULE=$softhsm_module BENCH_TOKEN=sign BENCH_PIN=24681357 \
  java ${jni:+-Djava.library.path=$jni} -jar "$bench_root/jmh/target/benchmarks.jar" SignBenchmark "${quick[@]}" \
  -rf json -rff "$work/jmh.json" | grep -E '^(Benchmark|SignBenchmark)' || true

# score of one benchmark and key spec, from JMH's JSON (no jq: one object per line after tr)
score() {
  tr -d '\n' < "$work/jmh.json" | sed 's/},\s*{\s*"jmhVersion"/}\n{"jmhVersion"/g' \
    | grep "\"benchmark\" *: *\"[^\"]*\.$1\"" | grep "\"keySpec\" *: *\"$2\"" \
    | sed 's/.*"primaryMetric" *: *{ *"score" *: *\([0-9.]*\).*/\1/' | head -1
}
lines=()
for spec in ec:p256 rsa:2048; do
  r=$(score rawWrapper "$spec") t=$(score tokenSession "$spec") c=$(score contentSigner "$spec")
  p=$(score tokenCoreCallPath "$spec")
  overhead=$(awk -v r="$r" -v t="$t" 'BEGIN { printf "%.2f", (r / t - 1) * 100 }')
  # token-core's own path (ns) against one raw signature (1e9 / ops per second, in ns)
  bound=$(awk -v p="$p" -v r="$r" 'BEGIN { printf "%.4f", p * r / 1e9 * 100 }')
  echo "$spec: raw wrapper $r/s, TokenSession.sign $t/s (difference $overhead%, within JMH's error);" \
    "token-core's own call path $p ns = $bound% of a signature; TokenContentSigner $c/s"
  lines+=("$(printf '"%s": {"rawWrapperOpsPerSec": %s, "tokenSessionOpsPerSec": %s, "contentSignerOpsPerSec": %s, "tokenSessionDifferencePercent": %s, "tokenCoreCallPathNs": %s, "tokenCoreOverheadPercent": %s}' \
    "$spec" "$r" "$t" "$c" "$overhead" "$p" "$bound")")
done
write_results "$name" sign "\"results\": {$(IFS=,; printf '%s' "${lines[*]}")},
 \"jmh\": $(cat "$work/jmh.json")" "$load_before"
