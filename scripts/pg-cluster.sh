#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for GoLive's tests and benchmarks, run as the `postgres` user
# (initdb refuses root) in a temp folder, on 127.0.0.1 and a free port, with a password, TLS
# (DIR/ca.crt is its CA) and a Unix socket in DIR/data.
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
  # TLS as a real deployment has it: a CA made here (DIR/ca.crt, for sslrootcert) and a server
  # certificate it signed for localhost (not for 127.0.0.1: verify-full by address is refused, as libpq refuses it).
  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=golive test CA" \
    -keyout "$dir/ca.key" -out "$dir/ca.crt" >"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
  openssl req -newkey rsa:2048 -nodes -subj "/CN=localhost" -keyout "$dir/data/server.key" -out "$dir/server.csr" >>"$dir/openssl.log" 2>&1
  printf 'subjectAltName=DNS:localhost\n' > "$dir/san.ext"
  openssl x509 -req -in "$dir/server.csr" -CA "$dir/ca.crt" -CAkey "$dir/ca.key" -CAcreateserial -days 30 \
    -extfile "$dir/san.ext" -out "$dir/data/server.crt" >>"$dir/openssl.log" 2>&1 || { cat "$dir/openssl.log" >&2; exit 1; }
  chmod 600 "$dir/data/server.key"; chmod 644 "$dir/ca.crt"
  [[ $(id -u) == 0 ]] && chown postgres "$dir/data/server.key" "$dir/data/server.crt"
  echo "-h 127.0.0.1 -p $port -k $dir/data -c fsync=on -c max_connections=200 -c ssl=on" > "$dir/options"
  as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null
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
    as_pg "$bin/pg_ctl" -D "$dir/data" -l "$dir/data/server.log" -w -t 60 -o "$(cat "$dir/options")" start >/dev/null 2>&1 && exit 0
    sleep 0.1
  done
  echo "pg-cluster: could not start the server again (see $dir/data/server.log)" >&2; exit 1
  ;;
stop)
  [[ -d "$dir/data" ]] && as_pg "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
  ;;
*) echo "pg-cluster: start|stop" >&2; exit 2;;
esac
