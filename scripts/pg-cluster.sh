#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for GoLive's tests and benchmarks, run as the `postgres` user
# (initdb refuses root) in a temp folder, on 127.0.0.1 and a free port, with a password.
#   scripts/pg-cluster.sh start DIR   prints the URL to use (also written to DIR/url)
#   scripts/pg-cluster.sh stop DIR
#   scripts/pg-cluster.sh crash DIR    SIGKILL the server (the fault tests)
#   scripts/pg-cluster.sh resume DIR   start it again on the same port, after a crash or a stop
set -euo pipefail
cmd=${1:?start|stop}; dir=${2:?cluster folder}
bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)
[[ -x "$bin/initdb" ]] || { echo "pg-cluster: PostgreSQL is not installed (apt-get install -y postgresql)" >&2; exit 2; }
as_pg() { if [[ $(id -u) == 0 ]]; then runuser -u postgres -- "$@"; else "$@"; fi; }
case "$cmd" in
start)
  mkdir -p "$dir"; [[ $(id -u) == 0 ]] && chown postgres "$dir"
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  pw=golive-test
  echo "$pw" > "$dir/pw"; [[ $(id -u) == 0 ]] && chown postgres "$dir/pw"
  as_pg "$bin/initdb" -D "$dir/data" -U postgres --auth=scram-sha-256 --pwfile="$dir/pw" -E UTF8 >"$dir/initdb.log" 2>&1 \
    || { cat "$dir/initdb.log" >&2; exit 1; }
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
    -o "-h 127.0.0.1 -p $port -k $dir/data -c fsync=on -c max_connections=200" start >/dev/null
  PGPASSWORD=$pw "$bin/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE golive" >/dev/null
  echo "$port" > "$dir/port"
  echo "postgres://postgres:$pw@127.0.0.1:$port/golive" | tee "$dir/url"
  ;;
crash)
  kill -9 "$(head -1 "$dir/data/postmaster.pid")"
  ;;
resume)
  port=$(cat "$dir/port")
  for _ in $(seq 1 50); do
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 \
      -o "-h 127.0.0.1 -p $port -k $dir/data -c fsync=on -c max_connections=200" start >/dev/null 2>&1 && exit 0
    sleep 0.1
  done
  echo "pg-cluster: could not start the server again (see $dir/data/server.log)" >&2; exit 1
  ;;
stop)
  [[ -d "$dir/data" ]] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  ;;
*) echo "pg-cluster: start|stop" >&2; exit 2;;
esac
