#!/usr/bin/env bash
# Installed size of the production dependencies: what a server gets from `npm ci --omit=dev --omit=optional`.
# Plain `--omit=dev` also installs TypeScript (~30 MB): valibot lists it as an optional peer and npm marks our
# own dev copy "devOptional", which --omit=dev keeps.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$root/package.json" "$root/package-lock.json" "$dir/"
install() { (cd "$dir" && rm -rf node_modules && npm ci "$@" --ignore-scripts --no-audit --no-fund --loglevel=error >/dev/null); }

echo "$(date -Is); $(uname -m); node $(node -v), npm $(npm -v)"
echo
install --omit=dev
plain=$(du -sh "$dir/node_modules" | cut -f1)
install --omit=dev --omit=optional
echo "| package (its own folder) | installed size |"
echo "| --- | --- |"
for package in $(node -p "Object.keys(require('$dir/package.json').dependencies).join(' ')"); do
  echo "| $package | $(du -sh "$dir/node_modules/$package" | cut -f1) |"
done
echo "| **npm ci --omit=dev --omit=optional** ($(ls "$dir/node_modules" | wc -l) top-level folders) | **$(du -sh "$dir/node_modules" | cut -f1)** |"
echo "| npm ci --omit=dev | $plain |"
