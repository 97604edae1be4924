#!/bin/sh
# paced-check.sh drives msgplay on a real terminal (tmux) to check what
# only a terminal shows: the tour paged a screen at a time, and
# --step interesting stopping at the crash with its prompt on stderr.
# Needs tmux (apt-get install tmux). Run from the repository root:
#   tools/paced-check.sh
# It exits 0 when every check passes and prints what failed otherwise.
set -eu
go build -o /tmp/msgplay-paced .
s=msgplay-paced-$$
fail=0
pane() { tmux capture-pane -p -t "$s"; }
start() { tmux new-session -d -s "$s" -x 100 -y 35 "$1; sleep 30"; sleep 1; }
stop() { tmux kill-session -t "$s" 2>/dev/null || true; }
trap stop EXIT

# 1. The tour pages its runs: a full screen ends with the pager's prompt.
start "/tmp/msgplay-paced tour --color never"
tmux send-keys -t "$s" Enter; sleep 1          # past the first pause: the broken run
if ! pane | grep -q 'Enter: next screen'; then echo "FAIL: the tour did not page its run"; fail=1; fi
tmux send-keys -t "$s" q Enter; sleep 1
if ! pane | grep -q 'The tour ends here.'; then echo "FAIL: q at the pager did not end the tour"; fail=1; fi
stop

# 2. --step interesting: the first stop is at the crash, with the prompt;
# q ends the run there and the checks are not judged.
start "/tmp/msgplay-paced competing --messages 3 --crash worker-1@10ms --step interesting --color never"
if ! pane | grep -q 'crash' || ! pane | grep -q 'Enter: next'; then echo "FAIL: --step interesting did not stop at the crash"; fail=1; fi
tmux send-keys -t "$s" q Enter; sleep 1
if ! pane | grep -q 'stopped early with q at 10ms'; then echo "FAIL: q did not stop the run at 10ms"; fail=1; fi
if ! pane | grep -q 'not judged'; then echo "FAIL: unsettled checks were judged"; fail=1; fi
stop
[ "$fail" = 0 ] && echo "ok: paced tour and --step interesting"
exit "$fail"
