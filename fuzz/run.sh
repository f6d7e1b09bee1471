#!/usr/bin/env bash
# Builds the libFuzzer harness (Sources/GovernFuzz) and runs each target for a bounded time.
#   fuzz/run.sh [seconds per target] [target…]      targets: sshsig record policy hook
# Crashes land in .build-fuzz/crashes/<target>/; copy each into fuzz/regressions/<target>/ once
# fixed, so the test suite replays it.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(sshsig record policy hook)

scratch=.build-fuzz
swift build -c release --scratch-path "$scratch" --target GovernFuzz \
  -Xswiftc -sanitize=fuzzer -Xswiftc -DFUZZING -Xswiftc -parse-as-library >&2
# SwiftPM links executables with its own main, which collides with libFuzzer's: link by hand.
release="$scratch/$(uname -m)-unknown-linux-gnu/release"
for module in CCryptoBoringSSL CCryptoBoringSSLShims CYaml Crypto CryptoBoringWrapper GitKit GovernFuzz \
  Governance Ledger Signing SwiftASN1 Yams _CryptoExtras; do
  find "$release/$module.build" -name '*.o'
done | sed 's/.*/"&"/' > "$scratch/objects.txt"
swiftc -sanitize=fuzzer @"$scratch/objects.txt" -lgit2 -o "$scratch/govern-fuzz" 2>&1 | grep -v warning >&2 || true

status=0
for target in "${targets[@]}"; do
  corpus="$scratch/corpus/$target"
  crashes="$scratch/crashes/$target"
  mkdir -p "$corpus" "$crashes"
  cp -n fuzz/corpus/"$target"/* "$corpus"/ 2>/dev/null || true
  log="$scratch/$target.log"
  if GOVERN_FUZZ_TARGET="$target" "$scratch/govern-fuzz" -max_total_time="$seconds" -max_len=65536 \
    -artifact_prefix="$crashes/" -print_final_stats=1 "$corpus" > "$log" 2>&1; then
    result=ok
  else
    result="CRASH (see $log and $crashes)"
    status=1
  fi
  runs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo "?")
  echo "$target: $runs executions in ${seconds}s, corpus $(ls "$corpus" | wc -l) inputs: $result"
done
exit $status
