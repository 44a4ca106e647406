"""The one screen poll the benchmark scripts share: a tmux pane's text, read every 5 ms until a
condition holds. Used by bench-cockpit-tmux.py and bench-postgres.py (scripts of their own)."""
import sys, time


def wait_for(screen, cond, timeout, failure):
    """The time `cond(screen())` first held; exits with `failure` and the screen after `timeout` s."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if cond(screen()):
            return time.monotonic()
        time.sleep(0.005)
    sys.exit(failure + "\n" + screen()[:2000])
