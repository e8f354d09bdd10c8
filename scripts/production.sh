#!/bin/sh
# The production steps, in one place: the Dockerfile runs them, a systemd install runs them, and
# CI runs them outside a container on a fresh copy of the repository (`verify`), since no
# container engine is available there.
#
#   sh scripts/production.sh install-dev    npm ci (everything the build needs)
#   sh scripts/production.sh build          bundle into dist/ (esbuild)
#   sh scripts/production.sh install-prod   npm ci --omit=dev (only what runs; no TypeScript)
#   sh scripts/production.sh verify [--reuse-native DIR]
#       copies the tracked files to a temporary folder and there: install-dev, build,
#       install-prod, then starts `node dist/src/cli.js start` (Slack in HTTP mode against a
#       stub Slack API on loopback, HEALTH_PORT set), waits for /readyz to answer 200, stops it
#       with SIGTERM and expects exit 0.
#       --reuse-native DIR: install with --ignore-scripts and copy better-sqlite3's compiled
#       addon from DIR's node_modules (same lockfile version and Node ABI, both checked) instead
#       of compiling it again; esbuild's install check is then skipped too (its binary comes
#       from the @esbuild/<platform> optional dependency, which needs no install script).
set -eu
cd "$(dirname "$0")/.."

NPM_FLAGS="--no-audit --no-fund"
REUSE_NATIVE=""

reuse_native() {
  # $1: the node_modules folder to take better_sqlite3.node from.
  from="$1/better-sqlite3"
  want=$(node -p "require('./node_modules/better-sqlite3/package.json').version")
  have=$(node -p "require('$from/package.json').version")
  if [ "$want" != "$have" ]; then
    echo "production.sh: better-sqlite3 $have in $1 is not the lockfile's $want: cannot reuse it" >&2
    exit 1
  fi
  mkdir -p node_modules/better-sqlite3/build/Release
  cp "$from/build/Release/better_sqlite3.node" node_modules/better-sqlite3/build/Release/
  node -e "new (require('better-sqlite3'))(':memory:').close()" # loads: same Node ABI
}

npm_ci() {
  if [ -n "$REUSE_NATIVE" ]; then
    npm ci $NPM_FLAGS --ignore-scripts "$@"
    reuse_native "$REUSE_NATIVE"
  else
    npm ci $NPM_FLAGS "$@"
  fi
}

install_dev() { npm_ci; }
build() { npm run build; }
install_prod() { npm_ci --omit=dev; }

verify() {
  if [ "${1:-}" = "--reuse-native" ]; then REUSE_NATIVE="$(cd "$2" && pwd)/node_modules"; fi
  work=$(mktemp -d)
  trap 'kill "$bot" "$stub" 2>/dev/null || true; rm -rf "$work"' EXIT
  echo "== a fresh copy of the tracked files in $work/copy"
  mkdir "$work/copy"
  git ls-files -z | tar --null -T - -cf - | tar -xf - -C "$work/copy"
  cd "$work/copy"

  echo "== install-dev"; install_dev
  echo "== build"; build
  echo "== install-prod"; install_prod
  test ! -e node_modules/typescript || { echo "production.sh: TypeScript is still installed after install-prod" >&2; exit 1; }

  echo "== start (node dist/src/cli.js start) and wait for /readyz"
  # A stub of Slack's Web API: auth.test is all a start needs.
  node -e "
    const s = require('node:http').createServer((q, r) => {
      r.setHeader('content-type', 'application/json');
      r.end(JSON.stringify({ ok: true, team_id: 'T1', user_id: 'U1', bot_id: 'B1', team: 'ci', user: 'handle-bot' }));
    });
    s.listen(0, '127.0.0.1', () => require('node:fs').writeFileSync('$work/stub-port', String(s.address().port)));
  " &
  stub=$!
  health_port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  slack_port=$(node -e "const s=require('node:net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")
  for _ in $(seq 50); do [ -s "$work/stub-port" ] && break; sleep 0.1; done
  env -i PATH="$PATH" HOME="$work" DATA_DIR="$work/data" HEALTH_PORT="$health_port" LOG_FORMAT=json \
    SLACK_BOT_TOKEN=xoxb-production-check SLACK_SIGNING_SECRET=production-check SLACK_PORT="$slack_port" \
    SLACK_API_URL="http://127.0.0.1:$(cat "$work/stub-port")/api/" MAIL_API_URL=http://127.0.0.1:9 \
    node dist/src/cli.js start > "$work/bot.log" 2>&1 &
  bot=$!
  ready=""
  for _ in $(seq 60); do
    if node scripts/readyz.mjs "$health_port" 2>/dev/null; then ready=yes; break; fi
    kill -0 "$bot" 2>/dev/null || break
    sleep 0.5
  done
  if [ -z "$ready" ]; then
    echo "production.sh: /readyz never answered 200; the bot's log:" >&2
    cat "$work/bot.log" >&2
    exit 1
  fi
  echo "/readyz: 200"
  kill -TERM "$bot"
  code=0; wait "$bot" || code=$?
  if [ "$code" -ne 0 ]; then
    echo "production.sh: the bot exited $code after SIGTERM; its log:" >&2
    cat "$work/bot.log" >&2
    exit 1
  fi
  echo "== production steps passed (stopped cleanly on SIGTERM)"
}

# verify runs alone (its options follow it); the other steps may be listed in order.
if [ "${1:-}" = "verify" ]; then shift; verify "$@"; exit 0; fi
for step in "$@"; do
  case "$step" in
    install-dev) install_dev ;;
    build) build ;;
    install-prod) install_prod ;;
    *) echo "production.sh: unknown step $step (install-dev, build, install-prod, verify)" >&2; exit 2 ;;
  esac
done
