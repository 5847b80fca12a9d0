#!/usr/bin/env bash
# Installs what building and testing need, and skips whatever is already there, so `npm start`
# and `npm test` work on a fresh machine and cost nothing on a prepared one.
#   - Rust's wasm32-unknown-unknown target                          (rustup)
#   - wasm-pack                                                     (cargo install, from crates.io)
#   - wasm-bindgen-cli at exactly the version in Cargo.lock        (cargo install, no --locked)
#   - node packages: esbuild, binaryen's wasm-opt, Playwright      (npm ci)
#   - Debian's chromium and chromium-driver                        (apt-get; browser downloads fail here)
# Debian's own wasm-opt (binaryen 108) corrupts wasm-bindgen output, so it is never used: the build
# puts node_modules/.bin first on PATH.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { printf 'bootstrap: %s\n' "$*" >&2; }
die() { say "$*"; exit 2; }

command -v cargo >/dev/null || die "cargo is missing: install Rust with rustup (https://rustup.rs), then run this again."
command -v node >/dev/null || die "node is missing: install Node.js 20 or newer, then run this again."
export PATH="$HOME/.cargo/bin:$PATH"

if command -v rustup >/dev/null; then
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
else
  say "rustup not found; assuming the wasm32-unknown-unknown target is installed"
fi

if ! command -v wasm-pack >/dev/null; then
  say "installing wasm-pack (a few minutes, once)"
  cargo install wasm-pack --locked
fi

want_bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want_bindgen" ] || die "cannot find the wasm-bindgen version in Cargo.lock"
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have_bindgen" != "$want_bindgen" ]; then
  say "installing wasm-bindgen-cli $want_bindgen (have: ${have_bindgen:-none}; a few minutes, once)"
  # --locked fails: its lockfile pins a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$want_bindgen" --force
fi

if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "installing node packages"
  npm ci --no-audit --no-fund
fi

if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null; then
  say "installing Debian's chromium and chromium-driver"
  sudo=""
  [ "$(id -u)" = 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq chromium chromium-driver >/dev/null
fi
