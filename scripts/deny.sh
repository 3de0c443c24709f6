#!/usr/bin/env bash
# cargo deny over every dependency: advisories, licenses, sources, bans
# (deny.toml). These machines cannot fetch the RustSec advisory database, so
# the snapshot in ../shared/rustsec-advisory-db (see its .md) is laid out
# under target/advisory-dbs as the git repository cargo deny expects, and
# cargo deny runs --offline. `scripts/setup.sh test` installs cargo-deny.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

snapshot="${QRJUMP_ADVISORY_DB:-$root/../shared/rustsec-advisory-db}"
# The folder name cargo deny derives from the database's URL in deny.toml.
db="$root/target/advisory-dbs/advisory-db-3157b0e258782691"

# --offline needs every crate of every platform's graph on disk first.
cargo fetch --locked --quiet

if [[ ! -d "$snapshot/crates" ]]; then
  echo "deny: no advisory snapshot at $snapshot: licenses, sources and bans only" >&2
  exec cargo deny --offline --log-level error check licenses sources bans
fi

# Laid out again whenever the snapshot changes (its file list and sizes).
stamp=$(cd "$snapshot" && find . -type f -printf '%p %s\n' | sort | sha256sum | cut -c1-16)
if [[ "$(cat "$db/.snapshot" 2>/dev/null || true)" != "$stamp" ]]; then
  rm -rf "$db"
  mkdir -p "$db"
  cp -r "$snapshot/." "$db/"
  rm -rf "$db/.git"
  (
    cd "$db"
    git init --quiet
    git add --all
    GIT_AUTHOR_DATE=2026-08-21T00:00:00Z GIT_COMMITTER_DATE=2026-08-21T00:00:00Z \
      git -c user.name=snapshot -c user.email=snapshot@localhost -c commit.gpgsign=false \
      commit --quiet --message "RustSec advisory-db snapshot"
  )
  echo "$stamp" >"$db/.snapshot"
fi

exec cargo deny --offline --log-level error check
