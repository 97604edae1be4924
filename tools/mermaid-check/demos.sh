#!/usr/bin/env bash
# Writes every --help demo of every pattern as a Mermaid diagram into DIR,
# plus a diagram of hostile labels from the trace package's tests.
set -euo pipefail
dir=${1:?usage: demos.sh DIR}
cd "$(dirname "$0")/../.."
mkdir -p "$dir"
go build -o "$dir/msgplay" .
for p in $("$dir/msgplay" list | awk '{print $1}'); do
  i=0
  while IFS= read -r args; do
    i=$((i+1))
    # shellcheck disable=SC2086
    "$dir/msgplay" "$p" $args --format mermaid > "$dir/$p-$i.mmd"
    "$dir/msgplay" "$p" $args --format mermaid --explain --max-events 40 > "$dir/$p-$i-explain.mmd"
  done < <("$dir/msgplay" "$p" --help | sed -n "s/^  msgplay $p\( \(.*\)\)\{0,1\}\$/\2/p" | grep -vx "\[flags\]")
  [ "$i" -gt 0 ] || { echo "no demos found for $p" >&2; exit 1; }
done
MSGPLAY_MERMAID_DIR="$dir" go test -count=1 -run TestMermaidHostileLabels ./internal/trace >/dev/null
ls "$dir"/*.mmd | wc -l
