#!/usr/bin/env bash
# Every test: formatting and lints, the Rust engine and CLI, the rule corpus, the WASM boundary in
# headless Chromium, then the release build and the browser suite against it. Run by `npm test`
# (after scripts/bootstrap.sh) and by .ci/run.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
step() { printf '\n== %s\n' "$*"; }

step "format and lints"
cargo fmt --check
cargo clippy --all-targets -- -D warnings
# The wasm as it ships (lean: rules precompiled, no loader) and its authoring build.
cargo clippy --lib --target wasm32-unknown-unknown -- -D warnings
cargo clippy --lib --target wasm32-unknown-unknown --features authoring -- -D warnings

step "advisories (cargo audit against the RustSec database)"
bash scripts/audit.sh

step "engine, CLI, rule samples, fixtures, benign corpus, docs sync"
cargo test
cargo run --quiet -- --check-rules rules

step "WASM boundary (wasm-bindgen-test in headless Chromium)"
CHROMEDRIVER="$(command -v chromedriver)" \
  CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  cargo test --target wasm32-unknown-unknown --test wasm

step "release build (the page, and the CLI the browser tests compare it with)"
node scripts/build.mjs
cargo build --release --bin arc-triage

step "browser tests (Playwright, Debian's Chromium)"
playwright test
