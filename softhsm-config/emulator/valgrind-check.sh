#!/bin/sh
# Runs a full token life through the emulator under valgrind: init token,
# init PIN, a wrong login (retry counter), login, key pair generation,
# signing, listing, token info, PIN change, key pair generation with the
# template partly ignored (keygen.ignore), an injected fault, a
# C_Initialize without config, hot-plug slots, and the SM2 path under both vendor styles
# (sm2-drive.c: the token hashes and answers DER, or signs a digest raw).  Fails on any memory error or any definite
# or indirect leak (pkcs11-tool's own leaks are suppressed, see
# valgrind.supp; "still reachable" is SoftHSM's and OpenSSL's and allowed).
#
# Usage: valgrind-check.sh [path/to/libtokenctl-emu.so]   (make valgrind-check)
set -eu

here=$(cd "$(dirname "$0")" && pwd)
lib=${1:-$here/../target/emulator/libtokenctl-emu.so}
for tool in valgrind pkcs11-tool softhsm2-util gcc; do
	command -v "$tool" >/dev/null || {
		echo "valgrind-check: $tool not found (Debian packages: valgrind, opensc, softhsm2)" >&2
		exit 2
	}
done
[ -f "$lib" ] || { echo "valgrind-check: $lib not built (run make)" >&2; exit 2; }

work=$(mktemp -d /tmp/tokenctl-emu-valgrind.XXXXXX)
trap 'rm -rf "$work"' EXIT
mkdir "$work/tokens"
cat > "$work/softhsm2.conf" <<CONF
directories.tokendir = $work/tokens
objectstore.backend = file
log.level = ERROR
CONF
cat > "$work/emu.conf" <<CONF
manufacturer = Giesecke+Devrient
model = StarSign
pin.min = 6
pin.max = 10
pin.retries = 6
so_pin.retries = 6
trace.file = trace.log
CONF
cat > "$work/fault.conf" <<CONF
pin.retries = 6
fault.function = C_GenerateKeyPair
fault.rv = CKR_DEVICE_REMOVED
trace.file = trace.log
CONF
cat > "$work/keygen.conf" <<CONF
keygen.ignore = CKA_SENSITIVE, CKA_EXTRACTABLE, CKA_DECRYPT, CKA_UNWRAP, CKA_DERIVE
trace.file = trace.log
CONF
# the SM2 styles of the huada and watchdata profiles (token-core's profile files)
cat > "$work/sm2-message.conf" <<CONF
sm2.key_type = 0x80000004
sm2.keygen = 0x80008001
sm2.sign = 0x80008100
sm2.sign.input = message
sm2.signature = der
sm2.private_ec_point = true
trace.file = trace.log
CONF
cat > "$work/sm2-digest.conf" <<CONF
sm2.key_type = 0x80000004
sm2.keygen = 0x80008001
sm2.sign = 0x80008104
sm2.sign.input = digest
sm2.signature = raw
trace.file = trace.log
CONF
cat > "$work/hotplug.conf" <<CONF
hotplug.present = present.txt
hotplug.ports = 3
trace.file = trace.log
CONF
printf 'vg2\nno-such-token\n' > "$work/present.txt"  # (step 1 relabels the token vg2)
gcc -std=gnu11 -Wall -Wextra -Werror -g -I"${PKCS11_INCLUDE:-/usr/include/p11-kit-1/p11-kit}" \
	-o "$work/sm2-drive" "$here/sm2-drive.c" -ldl
printf 'data to sign' > "$work/data"
export SOFTHSM2_CONF="$work/softhsm2.conf"
export TOKENCTL_EMULATOR_CONF="$work/emu.conf"
softhsm2-util --init-token --free --label vg --so-pin 87654321 --pin 12345678 >/dev/null

failures=0
step=0
# run EXPECTED_EXIT EXPECTED_TEXT pkcs11-tool-args...
# The text (grep -F) proves the run did what the step is for; a run that
# fails early exercises less code and would pass the leak check vacuously.
# (SM2_DRIVE=1: the arguments are sm2-drive's, not pkcs11-tool's)
run() {
	expected=$1
	text=$2
	shift 2
	step=$((step + 1))
	log="$work/valgrind.$step.log"
	if [ "${SM2_DRIVE:-}" = 1 ]; then
		set -- "$work/sm2-drive" "$lib" "$@"
	else
		set -- pkcs11-tool --module "$lib" "$@"
	fi
	set +e
	valgrind --quiet --leak-check=full --keep-debuginfo=yes \
		--show-leak-kinds=definite,indirect --errors-for-leak-kinds=definite,indirect \
		--suppressions="$here/valgrind.supp" --error-exitcode=99 --log-file="$log" \
		"$@" >"$work/out.$step" 2>&1
	rc=$?
	set -e
	if [ "$rc" = 99 ]; then
		echo "FAIL step $step ($*): valgrind found errors:" >&2
		cat "$log" >&2
		failures=$((failures + 1))
	elif [ "$rc" != "$expected" ] || ! grep -qF -- "$text" "$work/out.$step"; then
		echo "FAIL step $step ($*): exit $rc, expected $expected and \"$text\":" >&2
		cat "$work/out.$step" >&2
		failures=$((failures + 1))
	else
		echo "ok   step $step: ${*#"$work/"}"
	fi
}

run 0 'Token successfully initialized' --init-token --label vg2 --so-pin 87654321
run 0 'User PIN successfully initialized' \
	--init-pin --login --login-type so --so-pin 87654321 --new-pin 12345678
run 1 'CKR_PIN_INCORRECT' --login --pin 00000000 --list-objects
run 0 'Key pair generated' \
	--login --pin 12345678 --keypairgen --key-type EC:prime256v1 --id 01 --label k
run 0 '' --login --pin 12345678 --sign --id 01 -m ECDSA \
	--input-file "$work/data" --output-file "$work/sig"
run 0 'Private Key Object' --login --pin 12345678 --list-objects
run 0 'Giesecke+Devrient' --list-token-slots
run 0 'PIN successfully changed' --login --pin 12345678 --change-pin --new-pin 654321
run 1 'CKR_PIN_LEN_RANGE' --login --pin 654321 --change-pin --new-pin 12345
# The tool's template asks CKA_SENSITIVE and omits the others: the key must
# come out with every listed attribute the careless way.
TOKENCTL_EMULATOR_CONF="$work/keygen.conf" run 0 'Access:     extractable, local' \
	--login --pin 654321 --keypairgen --key-type EC:prime256v1 --id 03 --label careless --usage-sign
TOKENCTL_EMULATOR_CONF="$work/fault.conf" run 1 'CKR_DEVICE_REMOVED' \
	--login --pin 654321 --keypairgen --key-type EC:prime256v1 --id 02
TOKENCTL_EMULATOR_CONF= run 1 'TOKENCTL_EMULATOR_CONF is not set' --list-slots
TOKENCTL_EMULATOR_CONF="$work/hotplug.conf" run 0 'tokenctl emulator reader, port 3' --list-slots
TOKENCTL_EMULATOR_CONF="$work/hotplug.conf" run 0 'Private Key Object' --slot 1 --login --pin 654321 --list-objects
TOKENCTL_EMULATOR_CONF="$work/hotplug.conf" run 1 'CKR_TOKEN_NOT_PRESENT' --slot 2 --list-objects
TOKENCTL_EMULATOR_CONF="$work/sm2-message.conf" run 0 'mechtype-0x80008100' --list-mechanisms
TOKENCTL_EMULATOR_CONF="$work/sm2-message.conf" SM2_DRIVE=1 SM2_DRIVE_PIN=654321 run 0 'ok   C_SignUpdate/C_SignFinal' \
	0x80000004 0x80008001 0x80008100 message
TOKENCTL_EMULATOR_CONF="$work/sm2-digest.conf" SM2_DRIVE=1 SM2_DRIVE_PIN=654321 run 0 'ok   C_Sign over a short digest' \
	0x80000004 0x80008001 0x80008104 digest
[ -s "$work/sig" ] || { echo "FAIL: no signature written" >&2; failures=$((failures + 1)); }
if [ "$failures" != 0 ]; then
	echo "valgrind-check: $failures step(s) failed" >&2
	exit 1
fi
echo "valgrind-check: no memory errors or leaks in $step runs (pkcs11-tool, sm2-drive)"
