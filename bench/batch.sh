#!/usr/bin/env bash
# Batch enrollment benchmark (issue 7): N SoftHSM tokens, tokenctl batch-enroll
# against the per-token shell pipeline people script today:
#   pkcs11-tool --keypairgen  ->  openssl req (pkcs11 engine)  ->  openssl x509 -req
#   ->  pkcs11-tool --write-object
# for EC P-256 (target: tokenctl <= 0.25x the pipeline's wall time) and RSA-2048,
# where key generation dominates (target: tokenctl within 1.2x of the tokens' bare
# key generation, pkcs11-tool --keypairgen alone, at the same parallelism).
# Each round runs every variant once, on a fresh copy of the same tokens; a ratio is
# the median of the rounds' own ratios (a round's variants see about the same load).
#
#   bench/batch.sh [--tokens N] [--runs R] [--keys "ec rsa"] [--store DIR] [--name NAME] [--smoke]
#
# --store: the directory the tokens (and the run's other files) are made in, default
# $TMPDIR or /tmp. SoftHSM rewrites a token's object files many times per object it
# creates, so their filesystem weighs on both sides: on a disk with online discard
# (ext4 -o discard) each rewrite waits for the device, on tmpfs it does not. The
# results name the store's filesystem and mount options; compare runs on one store.
# --name: the results file's name (default batch, or batch-smoke).
# --smoke: 3 tokens, EC only, one run (CI runs this so the script cannot rot).
# Writes $BENCH_RESULTS_DIR (default bench/results)/NAME.json.
set -euo pipefail
. "$(dirname "$0")/lib.sh"

tokens=50 runs=3 keys="ec rsa" name=batch store=${TMPDIR:-/tmp} named=
while [ $# -gt 0 ]; do
  case $1 in
    --tokens) tokens=$2; shift ;;
    --runs) runs=$2; shift ;;
    --keys) keys=$2; shift ;;
    --store) store=$2; shift ;;
    --name) named=$2; shift ;;
    --smoke) tokens=3 runs=1 keys=ec name=batch-smoke ;;
    *) die "unknown argument $1 (see the header of $0)" ;;
  esac
  shift
done
[ -n "$named" ] && name=$named
[ -d "$store" ] || die "--store $store is not a directory"
need softhsm2-util pkcs11-tool openssl java
bench_workdir "$store" bench
export PKCS11_MODULE_PATH=$softhsm_module

note "making $tokens tokens..."
for i in $(seq -w 1 "$tokens"); do
  bench_token "bench-$i" "$pin"
done
cp -a "$work/hsm/tokens" "$work/fresh"
fresh() { rm -rf "$work/hsm/tokens"; cp -a "$work/fresh" "$work/hsm/tokens"; }
"$repo_root/tokenctl" ca init --out-cert "$work/ca.pem" --out-key "$work/ca.key" >/dev/null 2>&1

# one token through the shell pipeline; $1 = index, $2 = pkcs11-tool key type
pipeline_one() {
  local i=$1 type=$2 label=bench-$1 id
  id=$(printf '%04x' "$((10#$i))")
  pkcs11-tool --module "$softhsm_module" --token-label "$label" --login --pin "$pin" --keypairgen \
    --key-type "$type" --id "$id" --label "$label" >/dev/null 2>&1
  openssl req -new -engine pkcs11 -keyform engine \
    -key "pkcs11:token=$label;id=%${id:0:2}%${id:2:2};type=private;pin-value=$pin" \
    -subj "/CN=Holder $label/O=Example Bank" -sha256 -out "$work/$label.csr" 2>/dev/null
  openssl x509 -req -in "$work/$label.csr" -CA "$work/ca.pem" -CAkey "$work/ca.key" -CAcreateserial \
    -days 365 -outform DER -out "$work/$label.der" 2>/dev/null
  pkcs11-tool --module "$softhsm_module" --token-label "$label" --login --pin "$pin" --write-object \
    "$work/$label.der" --type cert --id "$id" --label "$label" >/dev/null 2>&1
}
keygen_one() {
  pkcs11-tool --module "$softhsm_module" --token-label "bench-$1" --login --pin "$pin" --keypairgen \
    --key-type "$2" --id 01 --label bare >/dev/null 2>&1
}
export -f pipeline_one keygen_one
export work pin softhsm_module

# times one way of doing the whole batch; prints milliseconds
time_ms() {
  local start end
  fresh
  start=$(now_ms)
  "$@"
  end=$(now_ms)
  echo $((end - start))
}
run_pipeline() { for i in $(seq -w 1 "$tokens"); do pipeline_one "$i" "$1"; done; }
run_pipeline_parallel() { seq -w 1 "$tokens" | xargs -P "$parallel" -I{} bash -c 'pipeline_one "$@"' _ {} "$1"; }
run_keygen_parallel() { seq -w 1 "$tokens" | xargs -P "$parallel" -I{} bash -c 'keygen_one "$@"' _ {} "$1"; }
run_tokenctl() { # $1 = key spec, $2 = --parallel (default: the CPU count, tokenctl's own default)
  "$repo_root/tokenctl" batch-enroll --pin-file "$work/pin" --subject "CN=Holder {label},O=Example Bank" \
    --key-spec "$1" --ca-cert "$work/ca.pem" --ca-key "$work/ca.key" --parallel "${2:-$parallel}" --json \
    > "$work/tokenctl.out" 2> "$work/tokenctl.err" || die "tokenctl failed: $(tail -3 "$work/tokenctl.err")"
  grep -q '"type":"summary".*"enrolled":'"$tokens"',' "$work/tokenctl.out" \
    || die "tokenctl did not enroll every token: $(tail -1 "$work/tokenctl.out")"
}
# how many tokens did not end with a certificate (the pipeline does not stop on a failed step)
pipeline_failures() {
  local i n failed=0
  for i in $(seq -w 1 "$tokens"); do
    n=$(pkcs11-tool --module "$softhsm_module" --token-label "bench-$i" --login --pin "$pin" -O 2>/dev/null \
        | grep -c '^Certificate Object' || true)
    [ "$n" = 1 ] || failed=$((failed + 1))
  done
  echo "$failed"
}
# per-round ratio a/b as an integer in thousandths (rounds see the same load, so their ratio is fairer)
milli() { echo $(( $1 * 1000 / $2 )); }
milli_median() { awk -v m="$(median "$@")" 'BEGIN { printf "%.3f", m / 1000 }'; }

sections=()
for k in $keys; do
  case $k in
    ec) spec=ec:p256 type=EC:prime256v1 ;;
    rsa) spec=rsa:2048 type=rsa:2048 ;;
    *) die "unknown key type $k (ec, rsa)" ;;
  esac
  t_tok=() t_tok2=() t_seq=() t_par=() t_gen=() r_seq=() r_seq2=() r_par=() r_gen=() fail_seq=0 fail_par=0
  for r in $(seq 1 "$runs"); do
    note "$spec run $r/$runs: tokenctl batch-enroll"
    t_tok+=("$(time_ms run_tokenctl "$spec")")
    note "$spec run $r/$runs: tokenctl batch-enroll --parallel $((2 * parallel))"
    t_tok2+=("$(time_ms run_tokenctl "$spec" $((2 * parallel)))")
    note "$spec run $r/$runs: shell pipeline, one token after another"
    t_seq+=("$(time_ms run_pipeline "$type")")
    fail_seq=$((fail_seq + $(pipeline_failures)))
    note "$spec run $r/$runs: shell pipeline, $parallel tokens at a time (xargs -P)"
    t_par+=("$(time_ms run_pipeline_parallel "$type")")
    fail_par=$((fail_par + $(pipeline_failures)))
    r_seq+=("$(milli "${t_tok[-1]}" "${t_seq[-1]}")") r_par+=("$(milli "${t_tok[-1]}" "${t_par[-1]}")")
    r_seq2+=("$(milli "${t_tok2[-1]}" "${t_seq[-1]}")")
    if [ "$k" = rsa ]; then
      note "$spec run $r/$runs: bare key generation, $parallel at a time"
      t_gen+=("$(time_ms run_keygen_parallel "$type")")
      r_gen+=("$(milli "${t_tok[-1]}" "${t_gen[-1]}")")
    fi
  done
  [ "$fail_seq$fail_par" = 00 ] || note "$spec: the pipeline left $fail_seq (sequential) and $fail_par (parallel) tokens without a certificate"
  tok=$(median "${t_tok[@]}") seq_=$(median "${t_seq[@]}") par=$(median "${t_par[@]}")
  rs=$(milli_median "${r_seq[@]}") rp=$(milli_median "${r_par[@]}") tok2=$(median "${t_tok2[@]}")
  rs2=$(milli_median "${r_seq2[@]}")
  line="$spec, $tokens tokens, $runs rounds (medians): tokenctl ${tok} ms; pipeline ${seq_} ms one token after another"
  line+=" (ratio $rs), ${par} ms with xargs -P $parallel (ratio $rp); tokenctl --parallel $((2 * parallel)) ${tok2} ms"
  line+=" (ratio $rs2 to the pipeline one token after another)"
  gen=null rg=null rgm=null
  if [ "$k" = rsa ]; then
    # Two ratios to bare keygen. A round's own ratio cancels a change of load between
    # rounds, but each run's 50 keys take their own random time (prime search): one
    # key takes 3x another, and per-round ratios spread widely. The ratio of the
    # medians pools the rounds against that; both are reported.
    gen=$(median "${t_gen[@]}") rg=$(milli_median "${r_gen[@]}") rgm=$(ratio "$tok" "$gen")
    line+="; bare keygen ${gen} ms (ratio $rg; ratio of the medians $rgm)"
  fi
  echo "$line"
  sections+=("$(printf '"%s": {"tokens": %s, "rounds": %s, "parallel": %s, "tokenctlMs": %s, "tokenctlTwiceParallelMs": %s, "ratioTwiceParallelToPipelineSequential": %s, "pipelineSequentialMs": %s, "pipelineParallelMs": %s, "bareKeygenParallelMs": %s, "ratioToPipelineSequential": %s, "ratioToPipelineParallel": %s, "ratioToBareKeygen": %s, "ratioOfMediansToBareKeygen": %s, "pipelineTokensWithoutCertificate": {"sequential": %s, "parallel": %s}, "runsMs": {"tokenctl": [%s], "tokenctlTwiceParallel": [%s], "pipelineSequential": [%s], "pipelineParallel": [%s], "bareKeygenParallel": [%s]}}' \
    "$spec" "$tokens" "$runs" "$parallel" "$tok" "$tok2" "$rs2" "$seq_" "$par" "$gen" "$rs" "$rp" "$rg" "$rgm" \
    "$fail_seq" "$fail_par" \
    "$(IFS=,; echo "${t_tok[*]}")" "$(IFS=,; echo "${t_tok2[*]}")" "$(IFS=,; echo "${t_seq[*]}")" \
    "$(IFS=,; echo "${t_par[*]}")" \
    "$(IFS=,; echo "${t_gen[*]}")")")
done

write_results "$name" batch "\"tokenStore\": $(store_json "$work"), \"results\": {$(IFS=,; printf '%s' "${sections[*]}")}" "$load_before"
