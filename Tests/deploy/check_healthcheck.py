"""The image's HEALTHCHECK program (deploy/healthcheck.c), built as the Dockerfile builds it and run against a gateway.

Usage: check_healthcheck.py REPO_ROOT GATEWAY_BINARY

It must exit 0 while the gateway serves /health/live, and 1 when the port answers something other than 200 or
nothing listens. The gateway runs on a free loopback port with the in-memory store, and is stopped by its PID.
"""

import http.server
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def run_probe(probe, port):
    environment = {"PATH": "/usr/bin:/bin", "HOST": "0.0.0.0", "PORT": str(port)}
    result = subprocess.run([probe], env=environment, capture_output=True, text=True, timeout=10)
    return result.returncode, result.stderr.strip()


class Unavailable(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        self.send_response(503)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, *arguments):
        pass


def main():
    root, binary = sys.argv[1], sys.argv[2]
    failures = []
    compiler = shutil.which("clang") or shutil.which("cc")
    if not compiler:
        print("  FAIL no C compiler (clang comes with the Swift toolchain)")
        return 1
    with tempfile.TemporaryDirectory() as directory:
        probe = os.path.join(directory, "healthcheck")
        # The Dockerfile's command line.
        subprocess.run([compiler, "-static", "-Os", "-Wall", "-Wextra", "-Werror", "-o", probe,
                        os.path.join(root, "deploy", "healthcheck.c")], check=True)

        port = free_port()
        environment = {"PATH": "/usr/bin:/bin", "HOST": "127.0.0.1", "PORT": str(port), "LOG_LEVEL": "warning"}
        log = open(os.path.join(directory, "gateway.log"), "w+")
        gateway = subprocess.Popen([binary], env=environment, stdout=log, stderr=subprocess.STDOUT)
        try:
            deadline = time.monotonic() + 60
            status, message = run_probe(probe, port)
            while status != 0 and time.monotonic() < deadline and gateway.poll() is None:
                time.sleep(0.2)
                status, message = run_probe(probe, port)
            if status == 0:
                print(f"  healthcheck exits 0 while the gateway serves /health/live on port {port}")
            else:
                log.seek(0)
                failures.append(f"healthcheck exited {status} against a running gateway: {message}\n"
                                + log.read()[-2000:])
        finally:
            gateway.send_signal(signal.SIGTERM)
            try:
                gateway.wait(timeout=30)
            except subprocess.TimeoutExpired:
                gateway.kill()
                gateway.wait()
            log.close()
        status, message = run_probe(probe, port)
        if status == 1:
            print(f"  healthcheck exits 1 when nothing listens ({message})")
        else:
            failures.append(f"healthcheck exited {status} with nothing listening on port {port}")

        server = http.server.HTTPServer(("127.0.0.1", 0), Unavailable)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        try:
            status, message = run_probe(probe, server.server_address[1])
        finally:
            server.shutdown()
            server.server_close()
        if status == 1:
            print(f"  healthcheck exits 1 on a 503 ({message})")
        else:
            failures.append(f"healthcheck exited {status} on a 503")
    for message in failures:
        print(f"  FAIL {message}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
