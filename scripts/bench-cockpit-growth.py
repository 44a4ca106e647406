#!/usr/bin/env python3
"""Whether the cockpit's cost grows with history (issue 30): two generated stores of the same
catalog, one with few records and one with many, each opened in a real cockpit in tmux in turn,
round after round, so that the machine's noise weighs on both. Per store: the first frame (the
selected item's id on screen), and another process's write (its exit) to its note on screen.

    scripts/bench-cockpit-growth.py [--items 8000] [--small 1000] [--large 1000000] [--rounds 7]

Release build (`swift build -c release`); tmux polled every 5 ms, so figures are ±5 ms.
"""
import argparse, os, re, statistics, subprocess, sys, tempfile, time
from tmux_wait import wait_for

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
release = os.path.join(root, ".build", "release")
golive, bench = os.path.join(release, "golive"), os.path.join(release, "golive-bench")
p = argparse.ArgumentParser()
p.add_argument("--items", type=int, default=8000)
p.add_argument("--small", type=int, default=1000)
p.add_argument("--large", type=int, default=1_000_000)
p.add_argument("--rounds", type=int, default=7)
args = p.parse_args()
for binary in (golive, bench):
    if not os.access(binary, os.X_OK):
        sys.exit(f"build first: swift build -c release (no {binary})")

work = tempfile.mkdtemp(prefix="golive-cockpit-growth-")
sock = f"golive-growth-{os.getpid()}"
tmux = ["tmux", "-L", sock]
env = dict(os.environ, GOLIVE_CACHE=os.path.join(work, "cache"))
SELECTED = re.compile(r"│ ([a-z_]+\.[a-z_0-9]+) +│")


def run(argv, **kw):
    return subprocess.run(argv, capture_output=True, text=True, env=env, **kw)


def screen():
    return run(tmux + ["capture-pane", "-p", "-t", "c"]).stdout


def selected(s):
    m = SELECTED.search(s)
    return m.group(1) if m else None


try:
    stores = {}
    for name, events in (("small", args.small), ("large", args.large)):
        store = os.path.join(work, name)
        made = run([bench, "make-store", "--dir", store, "--items", str(args.items), "--events", str(events)])
        if made.returncode != 0:
            sys.exit(made.stderr)
        # The first write makes the state.json every later read starts from, as in any store.
        run([golive, "item", "runtime.happy_path", "--note", "first", "--store", store, "--as", "alice"])
        stores[name] = (store, events)
    first = {name: [] for name in stores}
    seen = {name: [] for name in stores}
    for r in range(args.rounds):
        for name, (store, _) in stores.items():
            # tmux's server has now and then exited as it started on these machines ("server exited
            # unexpectedly"): asked once more before giving up.
            for attempt in range(2):
                started = time.monotonic()
                opened = run(tmux + ["new-session", "-d", "-x", "120", "-y", "40", "-s", "c",
                                     f"env TERM=xterm-256color LANG=C.UTF-8 GOLIVE_CACHE={env['GOLIVE_CACHE']} {golive} --store {store} --as alice; sleep 600"])
                if opened.returncode == 0:
                    break
            else:
                sys.exit(f"tmux did not start: {opened.stderr}")
            first[name].append(wait_for(screen, lambda s: selected(s) is not None, 60, f"{name}: no first frame:") - started)
            item = selected(screen())
            for i in range(3):
                note = f"growth-{r}-{i}-{os.getpid()}"
                w = run([golive, "item", item, "--note", note, "--store", store, "--as", "alice"])
                if w.returncode != 0:
                    sys.exit(w.stderr)
                written = time.monotonic()
                seen[name].append(wait_for(screen, lambda s: note in s, 60, f"{name}: the note did not show:") - written)
            run(tmux + ["kill-session", "-t", "c"])
    ms = lambda xs: f"{statistics.median(xs) * 1000:.0f} ms ({min(xs) * 1000:.0f}–{max(xs) * 1000:.0f})"
    print(f"Cockpit in tmux, {args.items} items, {args.small} and {args.large} records, {args.rounds} rounds interleaved, release build")
    print(f"| measure | {args.small} records | {args.large} records | growth |")
    print("| --- | --- | --- | --- |")
    for label, data in (("first frame", first), ("another process's write (exit) → its note on screen", seen)):
        print(f"| {label} | {ms(data['small'])} | {ms(data['large'])} | {statistics.median(data['large']) / statistics.median(data['small']):.2f}× |")
finally:
    run(tmux + ["kill-server"])
    time.sleep(0.5)  # the cockpit ends its session as it goes
