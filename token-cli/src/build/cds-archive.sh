#!/usr/bin/env bash
# Builds target/tokenctl.jsa, a static AppCDS archive (JDK 17) of the classes that
# `tokenctl list` (text and --json), `ca init` and `batch-enroll` load, for the
# launcher's -XX:SharedArchiveFile.
# A static archive, not a dynamic one (-XX:ArchiveClassesAtExit): JDK 17 stores
# picocli's Java 5 class files (version 49) only in a static archive.
#
# Never fails the build: without SoftHSM the training runs `--help` only, and if
# anything goes wrong the archive is left out (the launcher then starts without it).
set -u
target=${1:?usage: cds-archive.sh TARGET_DIR}
jar=$target/tokenctl.jar
jsa=$target/tokenctl.jsa
work=$target/cds
java=${JAVA:-java}
rm -rf "$jsa" "$work"
mkdir -p "$work/tokens"
opts=(-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xshare:off)
case "$(uname -m)" in
  x86_64|amd64) jni=$target/native/natives/unix/linux-x86_64/release ;;
  aarch64|arm64) jni=$target/native/natives/unix/linux-aarch64/release ;;
  *) jni= ;;
esac
[ -n "$jni" ] && [ -d "$jni" ] && opts+=("-Djava.library.path=$jni")

module=
for m in /usr/lib/softhsm/libsofthsm2.so /usr/lib/x86_64-linux-gnu/softhsm/libsofthsm2.so \
         /usr/lib/aarch64-linux-gnu/softhsm/libsofthsm2.so; do
  [ -z "$module" ] && [ -f "$m" ] && module=$m
done

train() { # $1 = class list file, rest = tokenctl arguments
  local list=$1; shift
  SOFTHSM2_CONF=$work/softhsm2.conf XDG_DATA_HOME=$work/xdg XDG_CONFIG_HOME=$work/xdg-config \
    "$java" "${opts[@]}" ${train_opts:-} -XX:DumpLoadedClassList="$list" -jar "$jar" "$@" >/dev/null 2>&1
}
printf 'directories.tokendir = %s\nobjectstore.backend = file\nlog.level = ERROR\n' "$work/tokens" \
  > "$work/softhsm2.conf"
lists=()
if [ -n "$module" ]; then
  train "$work/list.txt" list --module "$module" && lists+=("$work/list.txt")
  train "$work/json.txt" list --json --module "$module" && lists+=("$work/json.txt")
  # the enrollment path too (BouncyCastle, the local CA): batch-enroll on a throwaway token
  if command -v softhsm2-util >/dev/null 2>&1 \
      && SOFTHSM2_CONF=$work/softhsm2.conf softhsm2-util --init-token --free --label cds --so-pin 87654321 \
           --pin 24681357 >/dev/null 2>&1; then
    printf '24681357\n' > "$work/pin"
    train "$work/ca.txt" ca init --out-cert "$work/ca.pem" --out-key "$work/ca.key" && lists+=("$work/ca.txt")
    train "$work/batch.txt" batch-enroll --module "$module" --pin-file "$work/pin" --subject "CN=cds" \
      --key-spec ec:p256 --ca-cert "$work/ca.pem" --ca-key "$work/ca.key" --json && lists+=("$work/batch.txt")
    # a batch with an RSA CA signs in NSS's softoken (NativeRsa, NssSoftoken): those classes too
    # (tokenctl.nativeRsa=true: a batch of one would otherwise not start it)
    train "$work/ca-rsa.txt" ca init --out-cert "$work/ca-rsa.pem" --out-key "$work/ca-rsa.key" \
      --key-spec rsa:2048 && lists+=("$work/ca-rsa.txt")
    train_opts=-Dtokenctl.nativeRsa=true train "$work/batch-rsa.txt" batch-enroll --module "$module" \
      --pin-file "$work/pin" --subject "CN=cds-rsa" --allow-duplicate-label --key-spec ec:p256 \
      --ca-cert "$work/ca-rsa.pem" --ca-key "$work/ca-rsa.key" --json && lists+=("$work/batch-rsa.txt")
  fi
fi
train "$work/help.txt" --help && lists+=("$work/help.txt")
if [ ${#lists[@]} -eq 0 ]; then
  echo "cds-archive: no training run succeeded; building without a class-data archive" >&2
  exit 0
fi
# one list, first occurrence of each line kept, in load order
awk '!seen[$0]++' "${lists[@]}" > "$work/classes.txt"
# the same step the installed package's postinst takes (src/dist/cds-archive)
if JAVA=$java bash "${BASH_SOURCE[0]%/build/*}/dist/cds-archive" "$jsa" "$work/classes.txt" "$jar" >/dev/null; then
  echo "cds-archive: wrote $jsa ($(wc -l < "$work/classes.txt") classes listed)"
else
  rm -f "$jsa"
  echo "cds-archive: building without a class-data archive" >&2
fi
exit 0
