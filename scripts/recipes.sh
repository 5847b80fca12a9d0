#!/usr/bin/env bash
# `npm run test:recipes`: the README's embedding recipes, tested with the real generators. Installs
# them when missing, each at an exact version (examples/*/package-lock.json, examples/mkdocs/
# requirements.txt), builds the release package if dist/ has none, then runs tests/recipes/ in
# Chromium. Run by .ci/run after the main suite; not part of `npm test` (it installs three
# generators and builds five sites: several minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
say() { printf 'recipes: %s\n' "$*" >&2; }

for site in docusaurus vitepress; do
  dir="examples/$site"
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing $site from the npm registry (package-lock.json)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
done

venv=examples/mkdocs/.venv
want=$(grep -v '^#' examples/mkdocs/requirements.txt | sort)
if [ ! -x "$venv/bin/mkdocs" ] || [ "$("$venv/bin/pip" freeze --disable-pip-version-check 2>/dev/null | sort)" != "$want" ]; then
  say "installing mkdocs-material (examples/mkdocs/requirements.txt) from PyPI into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check -r examples/mkdocs/requirements.txt
fi

if ! compgen -G "dist/release/arc-triage-*/arc-triage.js" >/dev/null; then
  say "no release package in dist/release: building it"
  bash scripts/bootstrap.sh
  node scripts/build.mjs
fi

playwright test -c playwright.recipes.config.js "$@"
