#!/usr/bin/env python3
"""A test tool: a TCP proxy to PostgreSQL that forwards everything, except that it swallows the
server's answer to the first COMMIT and cuts that client's connection, as a network failure at the
worst moment would. The commit happens; the client never hears so. With `hang`, it instead stops
passing the server's answers on, connection left open, once a query names golive_records (a
half-dead network after the connection was made). With `freeze`, it passes on the first INSERT
into golive_records and then nothing more either way, both connections left open: a laptop whose
network froze mid-write, its transaction left open on the server holding the rollout's lock.
It offers no TLS (a client's SSLRequest is answered "N"): a server without TLS, for sslmode tests.
In every mode, SIGUSR1 turns the network into a black hole: nothing more passes either way and
nothing is closed (a partition, not a cut); SIGUSR2 heals it, and what was held back is delivered.
    usage: scripts/lose-commit-answer.py HOST PORT [hang|freeze]   (prints its port, then "dropped" or "frozen")"""
import signal, socket, sys, threading, time

host, port = sys.argv[1], int(sys.argv[2])
hang = len(sys.argv) > 3 and sys.argv[3] == "hang"
freeze = len(sys.argv) > 3 and sys.argv[3] == "freeze"
listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(("127.0.0.1", 0))
listener.listen(64)
print(listener.getsockname()[1], flush=True)
lock = threading.Lock()
state = {"done": False}
black_hole = threading.Event()
signal.signal(signal.SIGUSR1, lambda *_: (black_hole.set(), print("black hole", flush=True)))
signal.signal(signal.SIGUSR2, lambda *_: black_hole.clear())

def hold_while_black_holed():
    # Held, not dropped: TCP delivers what it could not send once the partition heals.
    while black_hole.is_set():
        time.sleep(0.02)

SSL_REQUEST = b"\x00\x00\x00\x08\x04\xd2\x16\x2f"

def serve(client):
    # The proxy is a server without TLS: it answers a client's SSLRequest "N", so what passes
    # through it is cleartext it can read (and sslmode=require must refuse it).
    first = b""
    while len(first) < 8:
        data = client.recv(8 - len(first))
        if not data:
            client.close()
            return
        first += data
    if first == SSL_REQUEST:
        client.sendall(b"N")
        first = b""
    server = socket.create_connection((host, port))
    server.sendall(first)
    armed = threading.Event()
    def upstream():
        try:
            while True:
                data = client.recv(65536)
                hold_while_black_holed()
                if not data:
                    if freeze and armed.is_set():
                        threading.Event().wait()  # a frozen network carries no FIN either: the server never hears
                    break
                if freeze:
                    if armed.is_set():
                        continue  # the frozen network: nothing more reaches the server
                    with lock:
                        if not state["done"] and b"INSERT INTO golive_records" in data:
                            state["done"] = True
                            armed.set()
                            server.sendall(data)
                            print("frozen", flush=True)
                            continue
                    server.sendall(data)
                    continue
                with lock:
                    if not state["done"] and (b"golive_records" in data if hang else b"COMMIT\x00" in data):
                        state["done"] = True
                        armed.set()
                server.sendall(data)
        except OSError:
            pass
        finally:
            try: server.shutdown(socket.SHUT_WR)
            except OSError: pass
    threading.Thread(target=upstream, daemon=True).start()
    try:
        while True:
            data = server.recv(65536)
            if not data:
                break
            hold_while_black_holed()
            if freeze and armed.is_set():
                continue  # nor does any answer reach the client
            if armed.is_set():
                print("dropped", flush=True)
                if hang:
                    while server.recv(65536):  # answers go nowhere; the client waits
                        pass
                # The server has answered the COMMIT: it is committed. The client never hears it.
                break
            client.sendall(data)
    except OSError:
        pass
    # shutdown first: a thread blocked in recv keeps a closed socket open (no FIN would be sent).
    for s in (client, server):
        try: s.shutdown(socket.SHUT_RDWR)
        except OSError: pass
        try: s.close()
        except OSError: pass

while True:
    c, _ = listener.accept()
    threading.Thread(target=serve, args=(c,), daemon=True).start()
