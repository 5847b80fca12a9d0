#!/usr/bin/env bash
# `npm run bench`: native throughput (cargo bench) and the same 10 MB log in headless Chromium,
# plus the gzip sizes of what ships, the CLI on a log and on a support bundle, and the CLI against
# ripgrep on a healthy and a retry-heavy log. Figures, not
# pass/fail.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
cargo bench --bench throughput
# The crafted shapes beside a real log; also writes them to target/hostile/ for the browser half.
cargo bench --bench hostile
# The floor: the same engine built to confirm no candidate (Cargo feature `floor`), timed beside
# the real one in the browser and against ripgrep, so every run shows what the stages before
# confirmation cost on their own (the limit under the throughput targets). Built before the real
# engine, into target/floor-dist/ and target/floor/, never into dist/.
node scripts/build.mjs --floor >/dev/null
node scripts/build.mjs >/dev/null
ARC_TRIAGE_BENCH_AGAINST="${ARC_TRIAGE_BENCH_AGAINST:-target/floor-dist}" node scripts/bench-browser.mjs
node scripts/bench-startup.mjs
cargo build -q --release --bin arc-triage
cargo build -q --release --bin arc-triage --features floor --target-dir target/floor
node scripts/bench-cli.mjs
# The CLI against ripgrep on the same patterns (Debian's ripgrep, installed once for this).
if ! command -v rg >/dev/null; then
  echo "bench: installing Debian's ripgrep for the comparison"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq ripgrep >/dev/null
fi
cargo bench --bench versus_rg
