#!/usr/bin/env bash
# Writes a screenshot of every pattern's default HTML report and of one
# compare page, paused at an interesting moment, into shots/ (gitignored),
# with the pages beside them. Needs chromium (apt-get install chromium).
set -euo pipefail
cd "$(dirname "$0")/.."
dir="${1:-$PWD/shots}"
mkdir -p "$dir"
MSGPLAY_SHOTS="$(cd "$dir" && pwd)" go test -count=1 -run '^TestScreenshots$' ./cmd
ls -l "$dir"/*.png
