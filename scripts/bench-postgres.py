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
    for n in (1, 4, 16):
        url = f"{server}?rollout=w{n}"
        run([golive, "store", "push", sample, url])
        per = max(1, writes // n)
        procs = []
        start = time.monotonic()
        for i in range(n):
            op, item = plan[i % len(plan)]
            sh = (f'i=0; while [ $i -lt {per} ]; do i=$((i+1)); "$GOLIVE" item {item} --note "w{n}-{i}-$i" --store "$URL" '
                  f'--as {op} --key "{keys}/{op}" >/dev/null || exit 1; done')
            procs.append(subprocess.Popen(["/bin/sh", "-c", sh], env=dict(os.environ, GOLIVE=golive, URL=url,
                                          GOLIVE_CACHE=os.path.join(work, f"cache-{n}-{i}"),
                                          GOLIVE_PHASES=os.path.join(work, f"phases-{n}"))))
        if any(p.wait() != 0 for p in procs):
            sys.exit(f"a writer failed with {n} writers")
        seconds = time.monotonic() - start
        done = per * n
        pg = run([pgbench, "-n", "-C", "-c", str(n), "-j", str(min(n, 2)), "-T", "5", "-f", script, server], env={"PGPASSWORD": "golive-test"}).stdout
        tps = float([l for l in pg.splitlines() if l.startswith("tps")][0].split("=")[1].split()[0])
        rows.append((n, done, seconds, done / seconds, tps))
        with open(os.path.join(work, f"phases-{n}")) as f:
            for line in f:
                for field in line.split():
                    name, ms = field.split("=")
                    phases.setdefault((n, name), []).append(float(ms))
    print(f"PostgreSQL store: durable writes (one `golive item --note` each: a process, a transaction of 3 records), {os.cpu_count()} CPUs")
    print(f"| writers | writes | seconds | golive writes/s | pgbench -C one-row INSERT tps | golive / pgbench -C |")
    print(f"| --- | --- | --- | --- | --- | --- |")
    for n, done, seconds, rate, tps in rows:
        print(f"| {n} | {done} | {seconds:.2f} | {rate:.1f} | {tps:.1f} | {rate / tps:.2f} |")
    def pct(values, p):
        q = sorted(values)
        return q[min(len(q) - 1, int(round(p / 100 * (len(q) - 1))))]
    print()
    print(f"Where a write's time goes (ms per process, median; `golive --version` alone: {statistics.median(floor) * 1000:.1f} ms wall)")
    names = ["main", "open", "connect", "catch_up", "sign", "lock_wait", "lock_held"]
    print("| writers | " + " | ".join(names) + " | lock held p99 |")
    print("| --- | " + " | ".join("---" for _ in names) + " | --- |")
    for n, *_ in rows:
        cells = [f"{statistics.median(phases[(n, k)]):.1f}" if (n, k) in phases else "-" for k in names]
        held = phases.get((n, "lock_held"), [0])
        print(f"| {n} | " + " | ".join(cells) + f" | {pct(held, 99):.1f} |")
    print("(main: from golive's main to exit; open: connecting, checking the schema and catching up before the command;"
          " catch_up: every catch-up, the ones under the lock included; lock_held: from the rollout's lock to COMMIT's answer)")
    # The cockpit: another machine's write to the changed screen, over LISTEN/NOTIFY.
    url = f"{server}?rollout=w1"
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
