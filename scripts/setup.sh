#!/usr/bin/env bash
# Bootstraps a machine that has only Node and npm into one that can run and test Marquee.
# Idempotent: every step checks first and skips what is already there, so a second run is a fast no-op.
# Works for a developer (may use sudo) and for CI (clean clone, CI=true, no stdin, root).
#
#   bash scripts/setup.sh            # or: npm run setup / bun run setup
#   bash scripts/setup.sh --quiet    # only report what was done (used by `npm test`)
#
# Steps: bun → ffmpeg + chromium (apt) → bun install → web build → .dev.vars (local secrets).
set -euo pipefail

QUIET=0
for arg in "$@"; do
  case "$arg" in
    --quiet | -q) QUIET=1 ;;
    -h | --help)
      sed -n '2,9p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "setup: unknown option $arg" >&2
      exit 2
      ;;
  esac
done

cd "$(dirname "${BASH_SOURCE[0]}")/.."
ROOT="$PWD"
INSTALL_STAMP="node_modules/.marquee-install.stamp"

did() { echo "setup: $*"; }                         # an action taken: always printed
skip() { if [ "$QUIET" = 0 ]; then echo "setup: $* (ok)"; fi; }  # nothing to do: printed unless --quiet
die() {
  echo "setup: error: $*" >&2
  exit 1
}

# Runs a command; with --quiet its output is shown only if it fails.
run() {
  if [ "$QUIET" = 0 ]; then
    "$@"
  else
    local log
    log="$(mktemp)"
    if ! "$@" >"$log" 2>&1; then
      cat "$log" >&2
      rm -f "$log"
      return 1
    fi
    rm -f "$log"
  fi
}

# Root runs commands as is; anyone else goes through sudo if it exists (non-interactive without a terminal).
as_root() {
  if [ "$(id -u)" = 0 ]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1; then
    if [ -t 0 ]; then sudo "$@"; else sudo -n "$@"; fi
  else
    die "need root for: $* (not root and no sudo). Install it yourself and run setup again."
  fi
}

# True if any of the given files/dirs (recursively) is newer than $1, or if $1 doesn't exist.
newer_than() {
  local ref="$1"
  shift
  [ -e "$ref" ] || return 0
  [ -n "$(find "$@" -newer "$ref" -print -quit 2>/dev/null)" ]
}

# 1. bun (runs the scripts, the origin and the package install)
if command -v bun >/dev/null 2>&1; then
  skip "bun $(bun --version)"
else
  did "installing bun (npm install -g bun)"
  run npm install -g bun || run as_root npm install -g bun
  hash -r
  if ! command -v bun >/dev/null 2>&1; then
    # npm's global bin may not be on PATH yet: use it for the rest of this script and say so.
    NPM_BIN="$(npm prefix -g)/bin"
    export PATH="$NPM_BIN:$PATH"
    command -v bun >/dev/null 2>&1 || die "bun was installed but can't be found; add $NPM_BIN to PATH"
    echo "setup: note: add $NPM_BIN to your PATH to use bun outside this script" >&2
  fi
fi

# 2. ffmpeg/ffprobe (the origin transcodes with them) and Chromium (the platform e2e test drives it)
APT_PKGS=()
if ! command -v ffmpeg >/dev/null 2>&1 || ! command -v ffprobe >/dev/null 2>&1; then APT_PKGS+=(ffmpeg); fi
if [ ! -x /usr/bin/chromium ]; then APT_PKGS+=(chromium fonts-liberation); fi
if [ "${#APT_PKGS[@]}" = 0 ]; then
  skip "ffmpeg, ffprobe, /usr/bin/chromium"
elif command -v apt-get >/dev/null 2>&1; then
  did "installing ${APT_PKGS[*]} (apt-get)"
  run as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
  run as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${APT_PKGS[@]}"
else
  echo "setup: warning: no apt-get; install ${APT_PKGS[*]} yourself (transcoding and the e2e test need them)" >&2
fi

# 3. JavaScript dependencies, reinstalled whenever the lockfile or any package.json changes
MANIFESTS=(bun.lock package.json apps/*/package.json packages/*/package.json)
if [ -d node_modules ] && ! newer_than "$INSTALL_STAMP" "${MANIFESTS[@]}"; then
  skip "node_modules"
else
  did "installing dependencies (bun install --frozen-lockfile)"
  run bun install --frozen-lockfile
  rm -rf node_modules/.cache/tsc # `tsc -b` build info may describe the old dependencies
  touch "$INSTALL_STAMP"
fi

# 4. Web app assets (apps/web/dist), which the edge serves; rebuilt when sources or dependencies change
WEB_OUT="apps/web/dist/index.html"
if newer_than "$WEB_OUT" apps/web/src apps/web/public apps/web/index.html apps/web/vite.config.ts \
  apps/web/package.json "$INSTALL_STAMP"; then
  did "building the web app (apps/web/dist)"
  run bun run --cwd apps/web build
  touch "$WEB_OUT"
else
  skip "apps/web/dist"
fi

# 5. Local secrets for `wrangler dev` (git-ignored). Never overwritten: delete the file to regenerate.
if [ -f .dev.vars ]; then
  skip ".dev.vars"
else
  did "generating local secrets in .dev.vars (JWT_PRIVATE_JWK, ORIGIN_TOKEN, PAYOUTS_TOKEN, MEDIA_SIGNING_KEY)"
  (
    umask 077
    bun scripts/gen-dev-keys.ts >.dev.vars.tmp
  )
  mv .dev.vars.tmp .dev.vars
fi
# Secrets added after a developer's .dev.vars was made are appended, never replacing existing ones.
for secret in MEDIA_SIGNING_KEY PAYOUTS_TOKEN; do
  if ! grep -q "^$secret=" .dev.vars; then
    did "adding $secret to .dev.vars"
    bun scripts/gen-dev-keys.ts | grep "^$secret=" >>.dev.vars
  fi
done

if [ "$QUIET" = 0 ]; then echo "setup: done"; fi
