# Shared helpers of the bench/ scripts (sourced, not run). Bash; no python or jq needed.
# Every benchmark here runs tokenctl and its peer in the same script, on the same
# SoftHSM setup, and writes bench/results/NAME.json with the machine's facts.

bench_root=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
repo_root=$(cd "$bench_root/.." && pwd)
results_dir=${BENCH_RESULTS_DIR:-$bench_root/results}
softhsm_module=${SOFTHSM_MODULE:-}
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
         /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so /usr/local/lib/softhsm/libsofthsm2.so; do
  [ -z "$softhsm_module" ] && [ -f "$m" ] && softhsm_module=$m
done

die() { echo "bench: $*" >&2; exit 1; }
note() { echo "bench: $*" >&2; }

need() {
  for t in "$@"; do command -v "$t" >/dev/null 2>&1 || die "$t is missing (scripts/install-prerequisites installs it)"; done
}

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }

# median of numbers given as arguments (integers)
median() {
  local sorted
  mapfile -t sorted < <(printf '%s\n' "$@" | sort -n)
  local n=${#sorted[@]}
  if (( n % 2 )); then echo "${sorted[n/2]}"; else echo $(( (sorted[n/2-1] + sorted[n/2]) / 2 )); fi
}

# ratio a/b with 3 decimals (integers in, text out)
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b == 0) print "null"; else printf "%.3f", a / b }'; }

json_str() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  s=${s//$'\n'/ }
  printf '"%s"' "$s"
}

loadavg() { cut -d' ' -f1-3 /proc/loadavg; }

# where the SoftHSM token files of a run live, as a JSON object: SoftHSM rewrites a
# token's object files many times per object it creates, so the filesystem under them
# (tmpfs, or a disk; online discard on the disk) weighs on every PKCS#11 tool alike
store_json() {
  local fs opts
  if command -v findmnt >/dev/null 2>&1; then
    read -r fs opts < <(findmnt -n -o FSTYPE,OPTIONS --target "$1" | head -1)
  else
    fs=$(stat -f -c %T "$1") opts=unknown
  fi
  printf '{"dir": %s, "filesystem": %s, "mountOptions": %s}' "$(json_str "$1")" "$(json_str "${fs:-unknown}")" \
    "$(json_str "${opts:-unknown}")"
}

# the machine's facts, as a JSON object; $1 = load average before the run
machine_json() {
  local cpu jdk softhsm opensc openssl
  cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//')
  jdk=$(java -version 2>&1 | head -1)
  softhsm=$(softhsm2-util --version 2>/dev/null | head -1)
  opensc=$(opensc-tool --info 2>/dev/null | head -1)
  openssl=$(openssl version 2>/dev/null)
  printf '{"cpu": %s, "cores": %s, "kernel": %s, "loadAverageBefore": %s, "loadAverageAfter": %s, "jdk": %s, "softhsm": %s, "opensc": %s, "openssl": %s}' \
    "$(json_str "${cpu:-unknown}")" "$(nproc)" "$(json_str "$(uname -sr)")" "$(json_str "$1")" \
    "$(json_str "$(loadavg)")" "$(json_str "$jdk")" "$(json_str "${softhsm:-unknown}")" \
    "$(json_str "${opensc:-unknown}")" "$(json_str "${openssl:-unknown}")"
}

# writes $results_dir/$1.json: {"benchmark": $2, "date", "machine", then $3 (more members, JSON text)}
# $4 = load average before the run
write_results() {
  local out=$results_dir/$1.json
  mkdir -p "$results_dir"
  printf '{"benchmark": "%s", "date": %s, "machine": %s,\n %s}\n' "$2" "$(json_str "$(date -u +%FT%TZ)")" \
    "$(machine_json "$4")" "$3" > "$out"
  note "wrote $out"
}

# a SoftHSM token directory of its own: sets SOFTHSM2_CONF for this shell
softhsm_dir() {
  local dir=$1
  mkdir -p "$dir/tokens"
  printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\nslots.removable = false\n' \
    "$dir/tokens" > "$dir/softhsm2.conf"
  export SOFTHSM2_CONF=$dir/softhsm2.conf
}

# a throwaway benchmark token in the current SOFTHSM2_CONF: bench_token LABEL USER_PIN.
# softhsm2-util takes PINs only on its command line (or from a terminal); these are
# public test PINs of a token that lives for one run, never an operator's.
bench_token() {
  softhsm2-util --init-token --free --label "$1" --so-pin 87654321 --pin "$2" >/dev/null
}

# round-robin timing: with arrays names[] and cmds[] (shell-quoted command lines) set,
# runs each command once per round for $1 rounds (one of each, then the next round, so
# that a change in the machine's load hits them all alike) and fills the associative
# arrays wall[] and cpu[] (declared by the caller) with each run's milliseconds
time_rounds() {
  local r i t w u s TIMEFORMAT='%3R %3U %3S'
  for r in $(seq 1 "$1"); do
    for i in "${!names[@]}"; do
      t=$( { time bash -c "${cmds[$i]} >/dev/null 2>&1" ; } 2>&1 )
      read -r w u s <<< "$t"
      wall[$i]+="$(awk -v x="$w" 'BEGIN { printf "%d", x * 1000 }') "
      cpu[$i]+="$(awk -v x="$u" -v y="$s" 'BEGIN { printf "%d", (x + y) * 1000 }') "
    done
  done
}

# builds the jar (and its class-data archive) once, outside any timing
tokenctl_ready() {
  local out
  out=$("$repo_root/tokenctl" --version 2>&1) || die "tokenctl does not run: $out"
}

# A benchmark run's working directory on the token store $1 (named tokenctl-$2.XXXXXX),
# removed at exit unless the caller sets its own trap afterwards: sets work, pin (a
# throwaway benchmark PIN, in $work/pin), SOFTHSM2_CONF (a token directory of its own),
# XDG_DATA_HOME and XDG_CONFIG_HOME (tokenctl's guard and settings of this run only),
# TOKENCTL_MODULE (SoftHSM), parallel (the CPU count) and load_before; builds tokenctl.
bench_workdir() {
  [ -n "$softhsm_module" ] || die "SoftHSM2 is missing (Debian package softhsm2)"
  parallel=$(nproc)
  pin=24681357
  work=$(mktemp -d "$1/tokenctl-$2.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  export XDG_DATA_HOME=$work/xdg XDG_CONFIG_HOME=$work/xdg-config TOKENCTL_MODULE=$softhsm_module
  softhsm_dir "$work/hsm"
  printf '%s\n' "$pin" > "$work/pin"
  tokenctl_ready
  load_before=$(loadavg)
}

