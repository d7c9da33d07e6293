#!/usr/bin/env bash
# The README's commands on a fresh clone, exactly as written, in a clean environment.
#
# Clones the committed HEAD of this repository into a new folder and runs there, each in a login
# shell started by `env -i` with only PATH and HOME (so the shell has what a user's login gives
# and no variable of this project or of CI):
#   npm ci && npm start                       the README's first command
#   npx autodidact-classics crar --out runs/crar   a command of the README's CLI block (issue 22)
#   npm test                                  the README's second command; it must report 0 failed
#                                             and 0 skipped (on a machine with tools/apt/*.txt
#                                             installed nothing is skipped by design)
# then each extra command given as an argument (CI passes its slower jobs), in the same clone and
# the same clean environment. Prints each step's wall time; exits non-zero at the first failure.
#
#   tools/ci/fresh-clone.sh ["npm run test:publish" ...]
# Environment: FRESH_CLONE_DIR (default: a new folder under /tmp) and FRESH_CLONE_KEEP=1 (leave
# the clone) are read by this script only and never reach the commands.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../.." && pwd)"
head="$(git -C "$repo" rev-parse HEAD)"
dir="${FRESH_CLONE_DIR:-$(mktemp -d /tmp/autodidact-fresh-clone-XXXXXX)}"
log="$dir.log"
start=$(date +%s)
last=$start
step() {
  local now
  now=$(date +%s)
  echo "== [$((now - start)) s total, previous step $((now - last)) s] $*"
  last=$now
}
cleanup() {
  if [ "${FRESH_CLONE_KEEP:-0}" != 1 ]; then rm -rf "$dir"; fi
}
trap cleanup EXIT

# One command in the clone: a login shell with nothing but PATH and HOME from outside.
clean() {
  env -i PATH="$PATH" HOME="$HOME" bash -lc "cd '$dir' && $1"
}

step "clone $head (committed HEAD of $repo) into $dir"
rm -rf "$dir"
git clone --quiet --no-checkout "$repo" "$dir"
git -C "$dir" checkout --quiet "$head"
echo "environment of the commands: $(env -i PATH="$PATH" HOME="$HOME" bash -lc 'env | cut -d= -f1 | sort | tr "\n" " "')"

step "npm ci && npm start"
clean "npm ci && npm start"

step "npx autodidact-classics crar --out runs/crar"
clean "npx autodidact-classics crar --out runs/crar"
test -s "$dir/runs/crar/summary.json"

step "npm test"
set +e
clean "npm test" 2>&1 | tee "$log"
status=${PIPESTATUS[0]}
set -e
[ "$status" = 0 ] || { echo "npm test failed (exit $status)"; exit "$status"; }
summary=$(sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -E '^ +Tests +[0-9]+' | tail -1)
echo "npm test: $summary"
if echo "$summary" | grep -qE 'failed|skipped'; then
  echo "npm test must run every test on a fresh clone: 0 failed, 0 skipped. What the tests said about skipping:"
  sed 's/\x1b\[[0-9;]*m//g' "$log" | grep -i 'skipping' | sort -u
  exit 1
fi

for extra in "$@"; do
  step "$extra"
  clean "$extra"
done

step "done"
