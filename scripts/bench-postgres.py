#!/usr/bin/env python3
"""The PostgreSQL store's benchmark: GoLive's durable writes per second with 1, 4 and 16 writers,
next to `pgbench -C` (a new connection, TLS and SCRAM for every transaction, as each golive write
is a new process) running a one-row INSERT transaction with as many clients against the same
server in the same run; where a write's time goes (GOLIVE_PHASES) and how long the rollout's lock
is held; and the cockpit's change-to-screen latency over LISTEN/NOTIFY (tmux). Starts its own
throwaway cluster (scripts/pg-cluster.sh) and stops it.
    usage: scripts/bench-postgres.py [WRITES_PER_RUN]
    (uses .build/release/golive, built with the store: swift build -c release --traits Postgres)"""
import os, statistics, subprocess, sys, tempfile, time
from tmux_wait import wait_for

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
golive = os.environ.get("GOLIVE", os.path.join(root, ".build/release/golive"))
keys = os.path.join(root, "sample-data/demo-keys")
writes = int(sys.argv[1]) if len(sys.argv) > 1 else 192
# To look at one case: BENCH_WRITERS=16 BENCH_MODES=agent (the table then shows 0 for the others).
counts = [int(c) for c in os.environ.get("BENCH_WRITERS", "1,4,16").split(",")]
modes = os.environ.get("BENCH_MODES", "alone,agent").split(",")
work = tempfile.mkdtemp(prefix="golive-pgbench-")
os.chmod(work, 0o755)
cluster = os.path.join(work, "cluster")

def run(args, env=None, check=True, **kw):
    e = dict(os.environ, **(env or {}))
    for k in ("GOLIVE_OPERATOR", "GOLIVE_STORE", "SSH_AUTH_SOCK", "GOLIVE_SIGNING_KEY"):
        e.pop(k, None)
    r = subprocess.run(args, env=e, capture_output=True, text=True, **kw)
    if check and r.returncode != 0:
        sys.exit(f"{' '.join(args)}: exit {r.returncode}: {r.stderr}")
    return r

server = run([os.path.join(root, "scripts/pg-cluster.sh"), "start", cluster]).stdout.strip()
try:
    run([golive, "store", "init", server])
    sample = os.path.join(work, "sample")
    run([golive, "init", "--from", os.path.join(root, "sample-data"), "--demo-keys", "--store", sample, "--as", "alice"])
    bindir = sorted(d for d in os.listdir("/usr/lib/postgresql"))[-1]
    pgbench = f"/usr/lib/postgresql/{bindir}/bin/pgbench"
    run(["psql", "-X", "-q", server, "-c", "CREATE TABLE bench (id bigserial PRIMARY KEY, line bytea NOT NULL)"])
    script = os.path.join(work, "insert.sql")
    with open(script, "w") as f:
        f.write("INSERT INTO bench (line) VALUES (convert_to(repeat('x', 600), 'UTF8'));\n")
    # The writers: operators on the items their roles may touch, each on a machine (cache) of its own.
    plan = [("carol", "operations.runbook"), ("dan", "eval_slo.offline_evals"), ("alice", "observability.key_spans"), ("bob", "safety.prechecks_guardrails")]
    rows = []
    phases = {}
    # The floor: a golive process that does no work.
    floor = []
    for _ in range(20):
        t = time.monotonic()
        run([golive, "--version"])
        floor.append(time.monotonic() - t)
    def writers(n, mode):
        """`n` writers on machines of their own, each writing `writes // n` times; with mode "agent",
        each machine runs `golive store agent` and its commands go through it."""
        url = f"{server}?rollout={mode}{n}"
        run([golive, "store", "push", sample, url])
        per = max(1, writes // n)
        agents = []
        for i in range(n):
            cache = os.path.join(work, f"cache-{mode}-{n}-{i}")
            if mode == "agent":
                log = open(os.path.join(work, f"agent-{n}-{i}.log"), "w")
                agents.append(subprocess.Popen([golive, "store", "agent", "--store", url], stdout=subprocess.DEVNULL, stderr=log,
                                               env=dict(os.environ, GOLIVE_CACHE=cache, GOLIVE_PHASES=os.path.join(work, f"phases-{mode}-{n}"))))
        for i, a in enumerate(agents):
            deadline = time.monotonic() + 30
            while "serving" not in open(os.path.join(work, f"agent-{n}-{i}.log")).read():
                if time.monotonic() > deadline or a.poll() is not None:
                    sys.exit(f"agent {i} did not start: " + open(os.path.join(work, f"agent-{n}-{i}.log")).read())
                time.sleep(0.02)
        procs = []
        start = time.monotonic()
        for i in range(n):
            op, item = plan[i % len(plan)]
            sh = (f'i=0; while [ $i -lt {per} ]; do i=$((i+1)); "$GOLIVE" item {item} --note "w{n}-{i}-$i" --store "$URL" '
                  f'--as {op} --key "{keys}/{op}" >/dev/null || exit 1; done')
            procs.append(subprocess.Popen(["/bin/sh", "-c", sh], env=dict(os.environ, GOLIVE=golive, URL=url,
                                          GOLIVE_CACHE=os.path.join(work, f"cache-{mode}-{n}-{i}"),
                                          GOLIVE_PHASES=os.path.join(work, f"phases-{mode}-{n}"))))
        if any(p.wait() != 0 for p in procs):
            sys.exit(f"a writer failed with {n} writers ({mode})")
        seconds = time.monotonic() - start
        for a in agents:
            a.terminate()
            a.wait()
        done = per * n
        with open(os.path.join(work, f"phases-{mode}-{n}")) as f:
            lines = f.readlines()
        # Every write measured where it ran: in its own process, or in the agent (none declined).
        if len(lines) != done:
            sys.exit(f"{len(lines)} writes measured for {done} made ({mode}, {n} writers)")
        for line in lines:
            for field in line.split():
                name, ms = field.split("=")
                phases.setdefault((mode, n, name), []).append(float(ms))
        return done, seconds
    for n in counts:
        done, seconds = writers(n, "alone") if "alone" in modes else (1, float("inf"))
        done_agent, seconds_agent = writers(n, "agent") if "agent" in modes else (1, float("inf"))
        pg = run([pgbench, "-n", "-C", "-c", str(n), "-j", str(min(n, 2)), "-T", "5", "-f", script, server], env={"PGPASSWORD": "golive-test"}).stdout
        tps = float([l for l in pg.splitlines() if l.startswith("tps")][0].split("=")[1].split()[0])
        rows.append((n, done, seconds, done / seconds, done_agent / seconds_agent, tps))
    print(f"PostgreSQL store: durable writes (one `golive item --note` each: a process, a transaction of 3 records), {os.cpu_count()} CPUs")
    print(f"| writers | writes | golive writes/s, alone | with `golive store agent` | pgbench -C one-row INSERT tps | alone / pgbench -C | agent / pgbench -C |")
    print(f"| --- | --- | --- | --- | --- | --- | --- |")
    for n, done, seconds, rate, agent_rate, tps in rows:
        print(f"| {n} | {done} | {rate:.1f} | {agent_rate:.1f} | {tps:.1f} | {rate / tps:.2f} | {agent_rate / tps:.2f} |")
    def pct(values, p):
        q = sorted(values)
        return q[min(len(q) - 1, int(round(p / 100 * (len(q) - 1))))]
    print()
    print(f"Where a write's time goes (ms per process, median; `golive --version` alone: {statistics.median(floor) * 1000:.1f} ms wall)")
    names = ["main", "open", "connect", "catch_up", "sign", "lock_wait", "lock_held", "locked_catch_up", "locked_decide", "locked_insert"]
    print("| writers | " + " | ".join(names) + " | lock held p99 |")
    print("| --- | " + " | ".join("---" for _ in names) + " | --- |")
    for mode in ("alone", "agent"):
        for n, *_ in rows:
            cells = [f"{statistics.median(phases[(mode, n, k)]):.1f}" if (mode, n, k) in phases else "-" for k in names]
            held = phases.get((mode, n, "lock_held"), [0])
            print(f"| {n} {mode} | " + " | ".join(cells) + f" | {pct(held, 99):.1f} |")
    print("(alone: each write a golive process; agent: the write served by the machine's `golive store agent`, main being the command"
          " inside it, not the process that asked; the asking process is about `golive --version`)")
    print("(main: from golive's main to exit; open: connecting, checking the schema and catching up before the command;"
          " catch_up: every catch-up, the ones under the lock included; lock_held: from the rollout's lock to COMMIT's answer)")
    # The cockpit: another machine's write to the changed screen, over LISTEN/NOTIFY.
    url = f"{server}?rollout=cockpit"
    run([golive, "store", "push", sample, url])
    sock = "golive-bench-" + str(os.getpid())
    tmux = ["tmux", "-L", sock]
    cmd = (f"env GOLIVE_CACHE={work}/cockpit {golive} --store '{url}' --as carol --key {keys}/carol")
    run(tmux + ["new-session", "-d", "-x", "120", "-y", "40", "-s", "c", f"env TERM=xterm-256color LANG=C.UTF-8 {cmd}; sleep 60"])
    def screen():
        return run(tmux + ["capture-pane", "-p", "-t", "c"]).stdout
    def wait(cond, timeout=20):
        return wait_for(screen, cond, timeout, "the cockpit did not change:")
    wait(lambda s: "│ ✓ closed      ││ ✓ closed" in s)
    lat = []
    for i in range(10):
        verdict = "--fail" if i % 2 == 0 else "--pass"
        # The Runtime pane's summary, beside Safety's: one failed item, or all closed again.
        expect = "│ ✗ 1 failed    ││ ✓ closed" if i % 2 == 0 else "│ ✓ closed      ││ ✓ closed"
        run([golive, "item", "runtime.happy_path", verdict, "--note", f"latency {i}", "--store", url, "--as", "alice", "--key", f"{keys}/alice"],
            env={"GOLIVE_CACHE": os.path.join(work, "writer")})
        written = time.monotonic()
        lat.append(wait(lambda s: expect in s) - written)
    run(tmux + ["kill-server"], check=False)
    print()
    print("Cockpit over LISTEN/NOTIFY: the write's exit to the other machine's changed screen (10 writes, tmux polled every 5 ms)")
    print(f"| median | p90 | max |")
    print(f"| --- | --- | --- |")
    q = sorted(lat)
    print(f"| {statistics.median(q) * 1000:.0f} ms | {q[8] * 1000:.0f} ms | {q[-1] * 1000:.0f} ms |")
finally:
    run([os.path.join(root, "scripts/pg-cluster.sh"), "stop", cluster], check=False)
    subprocess.run(["rm", "-rf", work])
