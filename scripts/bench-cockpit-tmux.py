#!/usr/bin/env python3
"""The cockpit at scale, seen as a person sees it: a real cockpit in tmux on a generated store
(2,000 items, 1M records by default), another process writing a note to the selected item, and
the time from that write's exit to the note on the screen. Beside it, in the same run, the key
to the moved selection while another process writes every 100 ms.

    scripts/bench-cockpit-tmux.py [--items N] [--events N]

Release build (`swift build -c release`); tmux polled every 5 ms, so figures are ±5 ms.
"""
import argparse, os, statistics, subprocess, sys, threading, time
from tmux_wait import cockpit_session, note_to_screen, release_binaries, selected, wait_for

golive, bench = release_binaries()
p = argparse.ArgumentParser()
p.add_argument("--items", type=int, default=2000)
p.add_argument("--events", type=int, default=1_000_000)
args = p.parse_args()

work, tmux, env, run, screen = cockpit_session("golive-cockpit-bench-")
store = os.path.join(work, "store")


def wait(cond, timeout=60):
    return wait_for(screen, cond, timeout, "the cockpit did not show it in time:")


try:
    made = run([bench, "make-store", "--dir", store, "--items", str(args.items), "--events", str(args.events)])
    if made.returncode != 0:
        sys.exit(made.stderr)
    # The first write makes the state.json every later read starts from, as in any store.
    run([golive, "item", "runtime.happy_path", "--note", "first", "--store", store, "--as", "alice"])
    journal = os.path.getsize(os.path.join(store, "journal.jsonl"))
    # The first frame, five times (the median): one start is at the mercy of this machine's noise.
    firsts = []
    for attempt in range(5):
        if attempt:
            run(tmux + ["kill-session", "-t", "c"])
        started = time.monotonic()
        run(tmux + ["new-session", "-d", "-x", "120", "-y", "40", "-s", "c",
                    f"env TERM=xterm-256color LANG=C.UTF-8 GOLIVE_CACHE={env['GOLIVE_CACHE']} {golive} --store {store} --as alice; sleep 600"])
        firsts.append(wait(lambda s: selected(s) is not None) - started)
    first = sorted(firsts)[2]
    item = selected(screen())
    # Another process's write to the changed screen.
    lat = []
    for i in range(10):
        lat.append(note_to_screen(run, screen, golive, store, item, f"latency-{i}-{os.getpid()}", "the cockpit did not show it in time:"))
    # Key to moved selection while another process writes every 100 ms.
    stop = threading.Event()

    def writer():
        n = 0
        while not stop.is_set():
            run([golive, "item", item, "--note", f"background-{n}", "--store", store, "--as", "alice"])
            n += 1
            time.sleep(0.1)

    t = threading.Thread(target=writer)
    t.start()
    keys = []
    for i in range(20):
        before = selected(screen())
        sent = time.monotonic()
        run(tmux + ["send-keys", "-t", "c", "j" if i % 2 == 0 else "k"])
        keys.append(wait(lambda s: selected(s) not in (None, before)) - sent)
    stop.set()
    t.join()
    # Key to moved selection while the cockpit exports the whole journal as Markdown (an effect
    # run off the key loop): keys are pressed until the export says it is done.
    report = os.path.join(work, "report.md")
    run(tmux + ["send-keys", "-t", "c", "-l", f":export md {report}"])
    run(tmux + ["send-keys", "-t", "c", "Enter"])
    wait(lambda s: "exporting the journal" in s or "exported " in s)
    during = []
    while "exported " not in screen():
        before = selected(screen())
        sent = time.monotonic()
        run(tmux + ["send-keys", "-t", "c", "j" if len(during) % 2 == 0 else "k"])
        moved = wait(lambda s: selected(s) not in (None, before)) - sent
        if "exported " in screen():
            break  # the export ended meanwhile: this key was not answered during it
        during.append(moved)
        if len(during) >= 50:
            break
    # The reference: tmux's own echo of a key into `cat`, in the same run.
    run(tmux + ["new-window", "-t", "c", "-n", "echo", "cat"])
    echo = []
    for i in range(10):
        mark = f"x{i}y"
        sent = time.monotonic()
        run(tmux + ["send-keys", "-t", "c:echo", "-l", mark])
        echo.append(wait_for(lambda: run(tmux + ["capture-pane", "-p", "-t", "c:echo"]).stdout, lambda s: mark in s, 10, "no echo:") - sent)
    q, k = sorted(lat), sorted(keys)
    d, e = sorted(during), sorted(echo)
    print(f"Cockpit in tmux, {args.items} items, {args.events} records ({journal / 1e6:.0f} MB journal), release build")
    print("| measure | median | p90 | max |")
    print("| --- | --- | --- | --- |")
    print(f"| first frame, 5 starts | {first * 1000:.0f} ms | | {max(firsts) * 1000:.0f} ms |")
    print(f"| another process's write (exit) → its note on screen, 10 writes | {statistics.median(q) * 1000:.0f} ms | {q[8] * 1000:.0f} ms | {q[-1] * 1000:.0f} ms |")
    print(f"| key → moved selection, another process writing every 100 ms, 20 keys | {statistics.median(k) * 1000:.0f} ms | {k[17] * 1000:.0f} ms | {k[-1] * 1000:.0f} ms |")
    if d:
        print(f"| key → moved selection during `:export md` of the whole journal, {len(d)} keys | {statistics.median(d) * 1000:.0f} ms | {d[int(0.9 * (len(d) - 1))] * 1000:.0f} ms | {d[-1] * 1000:.0f} ms |")
    else:
        print("| key → moved selection during `:export md` | the export ended before a key was answered | | |")
    print(f"| reference: tmux's echo of a key into `cat`, 10 keys | {statistics.median(e) * 1000:.0f} ms | {e[8] * 1000:.0f} ms | {e[-1] * 1000:.0f} ms |")
finally:
    run(tmux + ["kill-server"])
    time.sleep(0.5)  # the cockpit ends its session as it goes
    subprocess.run(["rm", "-rf", work])
