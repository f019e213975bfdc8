#!/usr/bin/env python3
"""Keystrokes of the full-screen interface timed in a real terminal (tmux).

benches/tui.rs times the interface headless, through the same drawing code; this script
drives the real binary in a tmux pane on a database (the large dataset: `kith --db
DIR/large.db demo --size large`), sends the keys a user types in a working session, and
times each one from the moment tmux is told to send it until the pane shows its effect and
stops changing. So it measures what a user sees: the key read, the database read, the frame
drawn, tmux's own round trip too (measured alone and printed as the floor).

    python3 benches/keys.py --bin target/release/kith --db DIR/large.db [--runs 3]

Prints one row per kind of keystroke: how many were timed, the median, the 95th percentile
and the slowest, against the budget of docs/performance.md; the exit status is 1 when a
kind's 95th percentile is over its budget. Nothing is written to the database.
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

SESSION = "kith-keys"

# (what, keys to send, the budget in ms of its kind). Keys are tmux key names, or text
# sent literally when written as ("-l", "text") — one keystroke per character.
STEPS = [
    ("open a list", ["5"], "list"),
    *[("move down", ["j"], "move")] * 20,
    ("page down", ["C-d"], "move"),
    ("G: the end of 89,911 deals", ["G"], "G"),
    ("g g: the top", ["g", "g"], "G"),
    ("open the filter line", ["/"], "filter"),
    *[("filter: a character", ["-l", c], "filter") for c in "白云机场"],
    ("filter: back to the open deals", ["Escape"], "filter"),
    ("mark", ["Space"], "move"),
    ("mark", ["Space"], "move"),
    ("drop the marks", ["Escape"], "move"),
    ("open a list", ["2"], "list"),
    ("G: the end of 100,000 accounts", ["G"], "G"),
    ("open a record", ["Enter"], "list"),
    ("back", ["Escape"], "move"),
    ("open the finder", ["C-p"], "finder"),
    *[("finder: a character", ["-l", c], "finder") for c in "gua"],
    ("finder: back a character", ["BSpace"], "finder"),
    ("close the finder", ["Escape"], "finder"),
    ("open the finder", ["C-p"], "finder"),
    *[("finder: a character", ["-l", c], "finder") for c in "白云"],
    ("close the finder", ["Escape"], "finder"),
    ("the pipeline board", ["6"], "screen"),
    ("next column", ["l"], "move"),
    ("the reports", ["9"], "report"),
    ("next report", ["j"], "report"),
    ("Today", ["1"], "screen"),
    ("help", ["?"], "move"),
    ("close help", ["Escape"], "move"),
    ("palette", [":"], "move"),
    *[("palette: a character", ["-l", c], "move") for c in "dea"],
    ("close the palette", ["Escape"], "move"),
]

# ms, the 95th percentile of each kind (docs/performance.md).
BUDGETS = {
    "move": 16,
    "filter": 16,
    "finder": 16,
    "G": 50,
    "list": 100,
    "screen": 150,
    "report": 200,
}


def tmux(*args, check=True):
    return subprocess.run(["tmux", *args], capture_output=True, text=True, check=check)


def screen():
    # With the escapes (-e), so a move of the reversed selection is a change too.
    return tmux("capture-pane", "-p", "-e", "-t", SESSION).stdout


def timed_key(keys, settle_polls=4):
    """Send keys; ms until the pane changed and then stayed the same for a few looks."""
    before = screen()
    start = time.perf_counter()
    tmux("send-keys", "-t", SESSION, *keys)
    last_change, last, quiet = None, before, 0
    while True:
        now = screen()
        t = time.perf_counter()
        if now != last:
            if os.environ.get("KEYS_DEBUG"):
                print("   change at", round((t - start) * 1000, 1), keys)
            last_change, last, quiet = t, now, 0
        elif last_change is not None:
            quiet += 1
            if quiet >= settle_polls:
                break
        if t - start > 10:
            break
    if last_change is None:
        return None
    return (last_change - start) * 1000


def floor_ms(n=30):
    """tmux's own round trip: one capture of an unchanged pane."""
    v = []
    for _ in range(n):
        t = time.perf_counter()
        screen()
        v.append((time.perf_counter() - t) * 1000)
    return statistics.median(v)


def percentile(v, p):
    v = sorted(v)
    return v[min(len(v) - 1, len(v) * p // 100)]


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--bin", default="target/release/kith")
    ap.add_argument("--db", required=True)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--settle", type=float, default=3.0,
                    help="seconds to wait after the first frame (default 3)")
    ap.add_argument("--each", action="store_true", help="also print every keystroke's time")
    a = ap.parse_args()
    if not shutil.which("tmux"):
        sys.exit("tmux is needed (apt-get install tmux)")
    env = {
        **os.environ,
        "KITH_NOW": "2026-11-22T10:00",
        "TZ": "UTC",
        "KITH_USER": "bench",
        "NO_COLOR": "1",
    }
    times = {}
    missed = []
    floors = []
    for run in range(a.runs):
        tmux("kill-session", "-t", SESSION, check=False)
        cmd = f"{a.bin} --db {a.db}"
        subprocess.run(
            ["tmux", "new-session", "-d", "-s", SESSION, "-x", "120", "-y", "40", cmd],
            env=env,
            check=True,
        )
        # The first frame, then a moment for what is read ahead on the second connection
        # (the names a filter ranks, the count of what is due) — `--settle` seconds.
        deadline = time.time() + 10
        while "Today" not in screen() and time.time() < deadline:
            time.sleep(0.01)
        time.sleep(a.settle)
        for what, keys, kind in STEPS:
            ms = timed_key(keys)
            if ms is None:
                missed.append(what)
                continue
            times.setdefault(kind, []).append((ms, what))
            if a.each:
                print(f"  {ms:8.1f} ms  {what}")
        floors.append(floor_ms())
        tmux("send-keys", "-t", SESSION, "C-c")
        time.sleep(0.3)
    tmux("kill-session", "-t", SESSION, check=False)
    base = statistics.median(floors)
    over = False
    print(f"tmux round trip (capture-pane), median: {base:.1f} ms — in every figure below")
    print(f"{'keystrokes':<10} {'n':>4} {'median':>8} {'p95':>8} {'max':>8}  budget  ok  slowest")
    for kind, budget in BUDGETS.items():
        v = times.get(kind, [])
        if not v:
            continue
        ms = [m for m, _ in v]
        p95 = percentile(ms, 95)
        ok = p95 <= budget
        over |= not ok
        slowest = max(v)[1]
        print(
            f"{kind:<10} {len(ms):>4} {statistics.median(ms):>8.1f} {p95:>8.1f} "
            f"{max(ms):>8.1f}  ≤ {budget:<4} {'yes' if ok else 'NO':<3} {slowest}"
        )
    if missed:
        print("keys that changed nothing on screen:", ", ".join(sorted(set(missed))))
    sys.exit(1 if over else 0)


if __name__ == "__main__":
    main()
