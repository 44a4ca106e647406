"""What the benchmark scripts that drive golive in tmux share: the screen poll (a tmux pane's
text, read every 5 ms until a condition holds), the release binaries, and the cockpit's selected
item. Used by bench-cockpit-tmux.py, bench-cockpit-growth.py and bench-postgres.py."""
import os, re, subprocess, sys, tempfile, time


def release_binaries():
    """The release build's golive and golive-bench; exits saying to build when either is missing."""
    release = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), ".build", "release")
    golive, bench = os.path.join(release, "golive"), os.path.join(release, "golive-bench")
    for binary in (golive, bench):
        if not os.access(binary, os.X_OK):
            sys.exit(f"build first: swift build -c release (no {binary})")
    return golive, bench


# The selected item's id, alone on the first line of the cockpit's detail pane.
SELECTED = re.compile(r"│ ([a-z_]+\.[a-z_0-9]+) +│")


def selected(s):
    m = SELECTED.search(s)
    return m.group(1) if m else None


def wait_for(screen, cond, timeout, failure):
    """The time `cond(screen())` first held; exits with `failure` and the screen after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond(screen()):
            return time.monotonic()
        time.sleep(0.005)
    sys.exit(failure + "\n" + screen()[:2000])


def cockpit_session(prefix):
    """A folder of the script's own, a tmux server of its own (socket named after the process), the
    environment golive runs in (its parse cache in that folder), and `run` and `screen` over them:
    (work, tmux, env, run, screen). The cockpit runs in the session named "c"."""
    work = tempfile.mkdtemp(prefix=prefix)
    tmux = ["tmux", "-L", f"{prefix}{os.getpid()}"]
    env = dict(os.environ, GOLIVE_CACHE=os.path.join(work, "cache"))

    def run(argv, **kw):
        return subprocess.run(argv, capture_output=True, text=True, env=env, **kw)

    def screen():
        return run(tmux + ["capture-pane", "-p", "-t", "c"]).stdout

    return work, tmux, env, run, screen


def note_to_screen(run, screen, golive, store, item, note, failure):
    """Another process writes `note` on `item` as alice: seconds from its exit to the note on screen."""
    w = run([golive, "item", item, "--note", note, "--store", store, "--as", "alice"])
    if w.returncode != 0:
        sys.exit(w.stderr)
    written = time.monotonic()
    return wait_for(screen, lambda s: note in s, 60, failure) - written
