#!/bin/bash
# The re-audit after 100 new records, with and without the verification cache (issue 16).
# Works on a copy of the benchmark data; the data itself is never changed.
#   bench/reaudit-cache.sh <git-govern> <data dir with repo/ and keys/> <now> [runs]
#   e.g. bench/reaudit-cache.sh .build-rel/release/git-govern bench/data/full-seed42 2026-06-03T10:00:00Z 2
# The 100 records are requests by REQUESTER (default relmgr) of older `main` commits.
# Prints wall and CPU time (user, sys) of each audit; compares the JSON reports with cmp.
set -euo pipefail
BIN=$(realpath "$1"); DATA=$(realpath "$2"); NOW=$3; RUNS=${4:-3}
REQUESTER=${REQUESTER:-relmgr}
W=$(mktemp -d)
trap 'rm -rf "$W"' EXIT
cp -a "$DATA/repo" "$W/repo"
export HOME=$W/home GIT_GOVERN_NOW=$NOW GIT_CONFIG_NOSYSTEM=1 PATH=$(dirname "$BIN"):$PATH
mkdir -p "$HOME"
cd "$W/repo"
timed() {
  local start end
  start=$(date +%s.%N)
  /usr/bin/time -f "cpu %U s user %S s sys" -o "$W/time" "$@" >/dev/null 2>"$W/err" || true
  end=$(date +%s.%N)
  echo "wall $(echo "$end - $start" | bc) s, $(grep cpu "$W/time")"
}
cached() { grep -h "verification cache\|audit:" "$W/err" | tr '\n' ' '; echo; }
echo "cold, --no-cache:  $(timed "$BIN" audit --no-cache --format json --output "$W/a0.json")"
echo "first, writes it:  $(timed "$BIN" audit --format json --output "$W/a1.json")"
cmp "$W/a0.json" "$W/a1.json" && echo "  reports identical"
CACHE=$(git rev-parse --git-common-dir)/govern/verification-cache
ls -l "$CACHE"
for k in $(seq 1 100); do
  git -c user.email="$REQUESTER@example.com" -c user.name="$REQUESTER" \
    -c user.signingkey="$DATA/keys/$REQUESTER" govern request "main~$((k * 3))" --to refs/heads/main \
    >/dev/null 2>>"$W/requests.err" || { tail -3 "$W/requests.err"; exit 1; }
done
cp "$CACHE" "$W/cache.before"
for _ in $(seq 1 "$RUNS"); do
  echo "100 new records, --no-cache: $(timed "$BIN" audit --no-cache --format json --output "$W/b0.json")"
  cp "$W/cache.before" "$CACHE"
  echo "100 new records, warm cache: $(GIT_GOVERN_TRACE=1 timed "$BIN" audit --format json --output "$W/b1.json")"
  cached
  cmp "$W/b0.json" "$W/b1.json" && echo "  reports identical"
done
echo "nothing new, warm cache: $(GIT_GOVERN_TRACE=1 timed "$BIN" audit --format json --output "$W/b2.json")"
cached
cmp "$W/b0.json" "$W/b2.json" && echo "  reports identical"
