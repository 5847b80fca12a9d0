#!/usr/bin/env bash
# Checks Cargo.lock against the RustSec advisory database (`cargo audit`): a crate with a known
# vulnerability fails the run; one that is only unmaintained is reported (the `[advisories]`
# section of .cargo/audit.toml would list what is accepted and why). The database comes from the
# network, or, where there is none, from a local copy: ARC_TRIAGE_ADVISORY_DB, else
# ~/.cargo/advisory-db (where `cargo audit` keeps the one it fetched). With neither, the check is
# skipped and says so: it never passes silently.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

if ! command -v cargo-audit >/dev/null; then
  echo "advisories: skipped, cargo-audit is not installed (scripts/bootstrap.sh installs it)" >&2
  exit 0
fi
db="${ARC_TRIAGE_ADVISORY_DB:-$HOME/.cargo/advisory-db}"
if cargo audit --db "$db" 2>/dev/null; then
  exit 0
fi
# Fetching failed (no network) or found something: tell the two apart with the local copy.
if [ -d "$db/crates" ]; then
  echo "advisories: checking against the database in $db as it is, without fetching" >&2
  exec cargo audit --db "$db" --no-fetch --stale
fi
echo "advisories: skipped, no network and no local advisory database (set ARC_TRIAGE_ADVISORY_DB to a copy of https://github.com/rustsec/advisory-db)" >&2
