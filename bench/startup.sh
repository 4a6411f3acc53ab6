#!/usr/bin/env bash
# Start-up benchmark (issue 7): whole-process wall time of `tokenctl list` against
# `pkcs11-tool -L` on the same one-token SoftHSM directory, and what each start-up
# measure buys, step by step. The variants run round-robin (one run of each, then the
# next round), so that a change in the machine's load hits them all alike; medians
# of wall and CPU (user + sys) time are reported.
#
#   bench/startup.sh [--runs N] [--baseline-jar JAR] [--smoke]
#
# --baseline-jar: also time another build of tokenctl.jar (e.g. main's) with the
# launcher's flags, to measure code changes. --smoke: 2 runs.
# Writes $BENCH_RESULTS_DIR (default bench/results)/startup[-smoke].json.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=15 baseline= name=startup
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --baseline-jar) baseline=$2; shift ;;
    --smoke) runs=2 name=startup-smoke ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
  shift
done
need softhsm2-util pkcs11-tool java javac
[ -n "$softhsm_module" ] || die "SoftHSM2 is missing (Debian package softhsm2)"
work=$(mktemp -d "${TMPDIR:-/tmp}/tokenctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/xdg XDG_CONFIG_HOME=$work/xdg-config TOKENCTL_MODULE=$softhsm_module
softhsm_dir "$work/hsm"
bench_token startup 24681357
tokenctl_ready
jar=$repo_root/token-cli/target/tokenctl.jar
jsa=$repo_root/token-cli/target/tokenctl.jsa
jni=$(ls -d "$repo_root"/token-cli/target/native/natives/unix/linux-*/release 2>/dev/null | head -1)
[ -f "$jsa" ] || die "no class-data archive $jsa (the build makes it: mvn -pl token-cli -am package)"
printf 'public class Hello { public static void main(String[] a) { System.out.println("hello"); } }\n' \
  > "$work/Hello.java"
javac -d "$work" "$work/Hello.java"
load_before=$(loadavg)

flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss1m "-Djava.library.path=$jni")
names=() cmds=()
add() { names+=("$1"); shift; cmds+=("$(printf '%q ' "$@")"); }
add peer pkcs11-tool --module "$softhsm_module" -L
add jvmHelloWorld java -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:-UsePerfData -cp "$work" Hello
add plainJar java -jar "$jar" list
[ -n "$baseline" ] && add baselineJarLauncherFlags java "${flags[@]}" -jar "$baseline" list
add launcherFlags java "${flags[@]}" -jar "$jar" list
add noPerfData java "${flags[@]}" -XX:-UsePerfData -jar "$jar" list
add appCds java "${flags[@]}" -XX:-UsePerfData "-XX:SharedArchiveFile=$jsa" -Xlog:cds=off -jar "$jar" list
add launcher "$repo_root/tokenctl" list

declare -A wall cpu
time_rounds "$runs"

entries=()
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086
  w=$(median ${wall[$i]}) c=$(median ${cpu[$i]})
  printf '%-26s wall %5d ms   cpu %5d ms\n' "${names[$i]}" "$w" "$c"
  entries+=("$(printf '"%s": {"wallMedianMs": %s, "cpuMedianMs": %s, "wallRunsMs": [%s]}' "${names[$i]}" "$w" "$c" \
    "$(echo ${wall[$i]} | tr ' ' ',')")")
  case ${names[$i]} in peer) peer=$w ;; launcher) launcher=$w ;; esac
done
echo "tokenctl list / pkcs11-tool -L: $(ratio "$launcher" "$peer") (target: tokenctl list <= 150 ms)"

write_results "$name" startup "\"runs\": $runs, \"variants\": {$(IFS=,; printf '%s' "${entries[*]}")},
 \"ratioLauncherToPeer\": $(ratio "$launcher" "$peer")" "$load_before"
