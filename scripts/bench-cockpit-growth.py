#!/usr/bin/env python3
"""Whether the cockpit's cost grows with history (issue 30): two generated stores of the same
catalog, one with few records and one with many, each opened in a real cockpit in tmux in turn,
round after round, so that the machine's noise weighs on both. Per store: the first frame (the
selected item's id on screen), and another process's write (its exit) to its note on screen.

    scripts/bench-cockpit-growth.py [--items 8000] [--small 1000] [--large 1000000] [--rounds 7]

Release build (`swift build -c release`); tmux polled every 5 ms, so figures are ±5 ms.
"""
import argparse, os, shutil, statistics, sys, time
from tmux_wait import cockpit_session, note_to_screen, release_binaries, selected, wait_for

golive, bench = release_binaries()
p = argparse.ArgumentParser()
p.add_argument("--items", type=int, default=8000)
p.add_argument("--small", type=int, default=1000)
p.add_argument("--large", type=int, default=1_000_000)
p.add_argument("--rounds", type=int, default=7)
args = p.parse_args()

work, tmux, env, run, screen = cockpit_session("golive-cockpit-growth-")


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
                seen[name].append(note_to_screen(run, screen, golive, store, item, f"growth-{r}-{i}-{os.getpid()}", f"{name}: the note did not show:"))
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
    shutil.rmtree(work, ignore_errors=True)
