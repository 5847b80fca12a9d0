#!/usr/bin/env bash
# Installs what building and testing need, and skips whatever is already there, so `npm start`
# and `npm test` work on a fresh machine and cost nothing on a prepared one.
#   - Rust 1.95.0 with the wasm32 target              (rustup, from rust-toolchain.toml)
#   - wasm-pack 0.15.1                                 (cargo install --locked, from crates.io)
#   - wasm-bindgen-cli at exactly Cargo.lock's version (cargo install, no --locked: see below)
#   - cargo-audit 0.22.2                               (cargo install --locked; scripts/audit.sh)
#   - node packages: esbuild, binaryen's wasm-opt, Playwright (npm ci, from package-lock.json)
#   - Debian's chromium and chromium-driver            (apt-get; browser downloads fail here),
#     checked against the major version the suite was last run with (a warning, not an upgrade)
# Every version is exact, so a fresh machine builds what was tested.
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
  # rust-toolchain.toml names the toolchain and its wasm32 target; this installs them if needed.
  rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
  if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
    say "adding the wasm32-unknown-unknown target"
    rustup target add wasm32-unknown-unknown
  fi
else
  say "rustup not found; assuming Rust $(awk -F'"' '/^channel/ { print $2 }' rust-toolchain.toml) with the wasm32-unknown-unknown target is installed"
fi

want_pack=0.15.1
have_pack=$(wasm-pack --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have_pack" != "$want_pack" ]; then
  say "installing wasm-pack $want_pack (have: ${have_pack:-none}; a few minutes, once)"
  cargo install wasm-pack --version "$want_pack" --locked --force
fi

want_bindgen=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
[ -n "$want_bindgen" ] || die "cannot find the wasm-bindgen version in Cargo.lock"
have_bindgen=$(wasm-bindgen --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have_bindgen" != "$want_bindgen" ]; then
  say "installing wasm-bindgen-cli $want_bindgen (have: ${have_bindgen:-none}; a few minutes, once)"
  # --locked fails: its lockfile pins a crate version the registry does not serve.
  cargo install wasm-bindgen-cli --version "$want_bindgen" --force
fi

want_audit=0.22.2
have_audit=$(cargo audit --version 2>/dev/null | awk '{ print $2 }' || true)
if [ "$have_audit" != "$want_audit" ]; then
  say "installing cargo-audit $want_audit (have: ${have_audit:-none}; a few minutes, once)"
  cargo install cargo-audit --version "$want_audit" --locked --force
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

# Debian updates Chromium with security fixes, so its version is checked, not held: another major
# version gets a warning (the suite's figures were measured on the one named here), and a driver
# that does not match the browser stops the run, since the WASM tests need both.
tested_chromium=156
chromium_major=$(chromium --version 2>/dev/null | awk '{ split($2, v, "."); print v[1] }')
driver_major=$(chromedriver --version 2>/dev/null | awk '{ split($2, v, "."); print v[1] }')
if [ "$chromium_major" != "$tested_chromium" ]; then
  say "warning: Chromium $chromium_major is installed; the browser suite was last run with Chromium $tested_chromium"
fi
[ "$chromium_major" = "$driver_major" ] ||
  die "chromedriver $driver_major does not match Chromium $chromium_major: install the same version of both (apt-get install chromium chromium-driver)"
