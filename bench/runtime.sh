#!/usr/bin/env bash
# Runtime choice (issue 15): does a runtime made with jlink start tokenctl faster than
# the system's Java 17, which the Debian package depends on? Times `tokenctl list` on
# a one-token SoftHSM directory with both, each with the launcher's flags and its own
# class-data archive (made by the same cds-archive script the package's postinst runs),
# round-robin, medians; prints the ratio jlink / system and the runtimes' sizes.
#
#   bench/runtime.sh [--runs N] [--smoke]
#
# Writes $BENCH_RESULTS_DIR (default bench/results)/runtime[-smoke].json.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

runs=15 name=runtime
while [ $# -gt 0 ]; do
  case $1 in
    --runs) runs=$2; shift ;;
    --smoke) runs=2 name=runtime-smoke ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
  shift
done
need softhsm2-util java jlink jdeps
[ -n "$softhsm_module" ] || die "SoftHSM2 is missing (Debian package softhsm2)"
work=$(mktemp -d "${TMPDIR:-/tmp}/tokenctl-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT
export XDG_DATA_HOME=$work/xdg XDG_CONFIG_HOME=$work/xdg-config TOKENCTL_MODULE=$softhsm_module
softhsm_dir "$work/hsm"
bench_token runtime 24681357
tokenctl_ready
jar=$repo_root/token-cli/target/tokenctl.jar
classes=$repo_root/token-cli/target/cds/classes.txt
jni=$(ls -d "$repo_root"/token-cli/target/native/natives/unix/linux-*/release 2>/dev/null | head -1)
[ -f "$classes" ] || die "no class list $classes (the build makes it: mvn -pl token-cli -am package)"
load_before=$(loadavg)

system_java=$(readlink -f "$(command -v java)")
system_home=${system_java%/bin/java}
# the modules tokenctl needs, as jdeps finds them, plus the EC provider (loaded as a service)
modules=$(jdeps --ignore-missing-deps --multi-release 17 --print-module-deps "$jar"),jdk.crypto.ec
jlink --add-modules "$modules" --strip-debug --no-header-files --no-man-pages --generate-cds-archive \
  --output "$work/jre" >/dev/null
note "jlink runtime with $modules"
JAVA=$system_java "$repo_root/token-cli/src/dist/cds-archive" "$work/system.jsa" "$classes" "$jar" >/dev/null
JAVA=$work/jre/bin/java "$repo_root/token-cli/src/dist/cds-archive" "$work/jlink.jsa" "$classes" "$jar" >/dev/null

flags=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -XX:CICompilerCount=1 -Xss1m -XX:-UsePerfData -Xlog:cds=off "-Djava.library.path=$jni")
names=(system jlink)
cmds=("$(printf '%q ' "$system_java" "${flags[@]}" "-XX:SharedArchiveFile=$work/system.jsa" -jar "$jar" list)"
      "$(printf '%q ' "$work/jre/bin/java" "${flags[@]}" "-XX:SharedArchiveFile=$work/jlink.jsa" -jar "$jar" list)")
for i in "${!names[@]}"; do
  bash -c "${cmds[$i]}" >/dev/null 2>"$work/err" || { cat "$work/err" >&2; die "${names[$i]} runtime: tokenctl list failed"; }
done

declare -A wall cpu
time_rounds "$runs"

size_mb() { du -sm "$1" | cut -f1; }
sizes=("$(size_mb "$system_home")" "$(size_mb "$work/jre")")
entries=()
for i in "${!names[@]}"; do
  # shellcheck disable=SC2086
  w=$(median ${wall[$i]}) c=$(median ${cpu[$i]})
  printf '%-8s wall %5d ms   cpu %5d ms   runtime %4d MB\n' "${names[$i]}" "$w" "$c" "${sizes[$i]}"
  entries+=("$(printf '"%s": {"wallMedianMs": %s, "cpuMedianMs": %s, "runtimeMb": %s, "wallRunsMs": [%s]}' \
    "${names[$i]}" "$w" "$c" "${sizes[$i]}" "$(echo ${wall[$i]} | tr ' ' ',')")")
  case ${names[$i]} in system) sys=$w ;; jlink) jl=$w ;; esac
done
echo "tokenctl list, jlink runtime / system runtime: $(ratio "$jl" "$sys")"

write_results "$name" runtime "\"runs\": $runs, \"modules\": $(json_str "$modules"),
 \"variants\": {$(IFS=,; printf '%s' "${entries[*]}")}, \"ratioJlinkToSystem\": $(ratio "$jl" "$sys")" "$load_before"
