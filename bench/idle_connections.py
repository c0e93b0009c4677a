#!/usr/bin/env python3
"""Opens N keep-alive connections to a server, makes one request on each, then holds them all idle and reports the
server's resident memory before and after. Usage: idle_connections.py PORT PID COUNT PATH"""
import resource
import selectors
import socket
import sys


def rss_kib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    raise RuntimeError("no VmRSS")


def main():
    port, pid, count, path = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (hard, hard))
    before = rss_kib(pid)
    request = f"GET {path} HTTP/1.1\r\nHost: bench\r\n\r\n".encode()
    selector = selectors.DefaultSelector()
    sockets = []
    pending = 0
    for _ in range(count):
        connection = socket.create_connection(("127.0.0.1", port))
        connection.sendall(request)
        connection.setblocking(False)
        selector.register(connection, selectors.EVENT_READ, bytearray())
        sockets.append(connection)
        pending += 1
        # Keep the number of unanswered requests small so the accept backlog never overflows.
        while pending > 256:
            pending -= drain(selector)
    while pending:
        pending -= drain(selector)
    after = rss_kib(pid)
    per_connection = (after - before) / count
    print(f"idle_connections {count}")
    print(f"idle_rss_before_mib {before / 1024:.1f}")
    print(f"idle_rss_total_mib {after / 1024:.1f}")
    print(f"idle_rss_per_connection_kib {per_connection:.2f}")
    for connection in sockets:
        connection.close()


def drain(selector):
    """Reads whatever arrived; returns how many connections got a complete response."""
    completed = 0
    for key, _ in selector.select(timeout=10):
        data = key.fileobj.recv(65536)
        if not data:
            raise RuntimeError("server closed an idle connection during the benchmark")
        buffer = key.data
        buffer.extend(data)
        head_end = buffer.find(b"\r\n\r\n")
        if head_end >= 0:
            length = 0
            for line in buffer[:head_end].split(b"\r\n")[1:]:
                name, _, value = line.partition(b":")
                if name.strip().lower() == b"content-length":
                    length = int(value)
            if len(buffer) >= head_end + 4 + length:
                selector.unregister(key.fileobj)
                completed += 1
    return completed


if __name__ == "__main__":
    main()
