# Sourced by every tokenctl launcher (the source tree's ./tokenctl, /usr/bin/tokenctl
# from the Debian package, bin/tokenctl from the tarball): the one place that says how
# the JVM is started. Bash builtins only: every fork costs start-up time (issue 7).
#
# tokenctl_exec JAR NATIVE_DIR JSA [ARGS...]
#   JAR         the runnable jar
#   NATIVE_DIR  the directory holding natives/unix/<arch>/release (the wrapper's JNI library)
#   JSA         the class-data archive to map, used only when present and newer than the jar

tokenctl_exec() {
  local jar=$1 native=$2 jsa=$3
  shift 3
  # SoftHSM reads its configuration from SOFTHSM2_CONF, and a JVM cannot set its own
  # environment: give SoftHSM a per-user token directory unless the user chose one
  # (tokenctl creates it on first use).
  if [ -z "${SOFTHSM2_CONF:-}" ]; then
    export SOFTHSM2_CONF="${XDG_DATA_HOME:-$HOME/.local/share}/tokenctl/softhsm2/softhsm2.conf"
  fi
  local arch
  case "${HOSTTYPE:-}" in
    x86_64|amd64) arch=linux-x86_64 ;;
    aarch64|arm64) arch=linux-aarch64 ;;
    arm*) arch=linux-arm ;;
    i?86) arch=linux-x86 ;;
    *) arch="" ;;
  esac
  local jni="$native/natives/unix/$arch/release"
  # C1 only and the serial collector: a CLI run is short. No hsperfdata file in /tmp.
  # A station runs all day: there C2 pays for itself (an RSA CA's signatures, for one,
  # cost 7.8 ms under C1 against 0.9 ms compiled by C2; a batch signs them in NSS
  # instead, 1.25 ms: docs/benchmarks.md).
  # (Any word "station" turns C2 on: an option value that happens to be one only costs start-up.)
  local opts=(-XX:+UseSerialGC -XX:-UsePerfData -Xss1m) word c1=1
  for word in "$@"; do
    [ "$word" = station ] && c1=
  done
  # One C1 compiler thread, not the two the JVM starts on 2 cores: a second one competes with
  # the command's own threads (a batch runs one worker per CPU) and made runs slower: -9% for a
  # 20-token batch, -3% at 500, -5% for `list` (2-core VM, alternating runs: docs/benchmarks.md).
  # Full tiered compilation (the station) needs at least two (one C1, one C2).
  [ -n "$c1" ] && opts+=(-XX:TieredStopAtLevel=1 -XX:CICompilerCount=1)
  # the wrapper would otherwise copy its JNI library to a temporary file at every start
  [ -n "$arch" ] && [ -d "$jni" ] && opts+=("-Djava.library.path=$jni")
  # an archive older than the jar would be refused by the JVM anyway, so it is left out,
  # and CDS's own messages are off so that nothing reaches stdout
  [ -f "$jsa" ] && [ "$jsa" -nt "$jar" ] && opts+=("-XX:SharedArchiveFile=$jsa" -Xlog:cds=off -Xlog:cds+dynamic=off)
  # a JVM cannot ask isatty(2): tell it, so batch-enroll draws a progress bar only on a terminal
  [ -t 2 ] && opts+=(-Dtokenctl.stderr.tty=true)
  # shellcheck disable=SC2086 # TOKENCTL_JAVA_OPTS is a list of options
  exec "${JAVA:-java}" "${opts[@]}" ${TOKENCTL_JAVA_OPTS:-} -jar "$jar" "$@"
}
