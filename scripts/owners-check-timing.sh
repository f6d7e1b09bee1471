#!/usr/bin/env bash
# Times `git govern check` (the gate the hooks run) on a release that changes 1,000 files
# under a policy with 100 owner patterns, and the same release under the policy without them.
# Run by hand from the package root, after `swift build`:
#   scripts/owners-check-timing.sh [runs]        (GIT_GOVERN_BIN picks another binary)
set -euo pipefail
runs=${1:-20}
bin=${GIT_GOVERN_BIN:-$PWD/.build/debug/git-govern}
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
mkdir -p "$dir/bin" "$dir/keys"
ln -s "$bin" "$dir/bin/git-govern"
export PATH="$dir/bin:$PATH"
for who in alice bob carol; do ssh-keygen -q -t ed25519 -N "" -C "$who" -f "$dir/keys/$who"; done
as() { local who=$1; shift; git -c user.name="$who" -c user.email="$who@example.com" -c user.signingkey="$dir/keys/$who" "$@"; }

git init -q -b main "$dir/work"
cd "$dir/work"
git config gpg.format ssh
echo base > README.md && git add README.md && as alice commit -qm base
as alice govern init >/dev/null
as alice govern identity add bob --email bob@example.com --key "$dir/keys/bob.pub" --role developer >/dev/null
as alice govern identity add carol --email carol@example.com --key "$dir/keys/carol.pub" --role security >/dev/null

policy() {
  printf 'version: 1\nprotected: [refs/heads/main]\nrules:\n  - name: default\n    approvals: 1\n'
  if [ "$1" = owners ]; then
    printf 'owners:\n'
    for i in $(seq 0 99); do printf '  team%d/**: {people: [carol]}\n' "$i"; done
  fi
}

for i in $(seq 0 999); do mkdir -p "team$((i % 100))/src" && echo "$i" > "team$((i % 100))/src/file$i.txt"; done
git add . && as bob commit -qm "1,000 files"

measure() {
  policy "$1" > "$dir/policy.yml"
  as alice govern policy apply "$dir/policy.yml" >/dev/null
  as bob commit -q --amend -m "1,000 files ($1)"  # a commit of its own: one release to judge
  release=$(as bob govern request HEAD --to refs/heads/main 2>/dev/null)
  as carol govern approve "$release" >/dev/null
  as carol govern check HEAD --to refs/heads/main >/dev/null  # warm
  local start end
  start=$(date +%s%N)
  for _ in $(seq "$runs"); do as carol govern check HEAD --to refs/heads/main >/dev/null; done
  end=$(date +%s%N)
  echo "$1: $(( (end - start) / runs / 1000000 )) ms per check (mean of $runs; 1,001 changed files)"
}
measure none
measure owners
