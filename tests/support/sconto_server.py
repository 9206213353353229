"""Starts and drives a real `sconto serve` for acceptance tests (free port; a temp SQLite file, or a fresh
PostgreSQL database when SCONTO_TEST_DATABASE_URL names a server)."""
import os
import signal
import socket
import sqlite3
import subprocess
import tempfile
import time
import uuid

import requests

ADMIN_EMAIL = "admin@sconto.test"
ADMIN_PASSWORD = "correct horse battery staple"


def binary():
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    return os.environ.get("SCONTO_BIN", os.path.join(root, ".build", "debug", "sconto"))


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_server_url():
    """The PostgreSQL server the acceptance tests run on (`scripts/test`'s second run), or None for SQLite."""
    return os.environ.get("SCONTO_TEST_DATABASE_URL") or None


def psql(url, sql):
    """Runs one statement through psql and returns its unaligned output."""
    result = subprocess.run([os.environ.get("SCONTO_PSQL", "psql"), url, "-X", "-q", "-t", "-A", "-c", sql],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout.strip()


def with_database(url, name):
    """`url` with its database replaced by `name`."""
    return url.rsplit("/", 1)[0] + "/" + name


class Server:
    """One `sconto serve` process, on its own database unless given one (a `--database` URL)."""

    def __init__(self, env=None, args=(), database_url=None, owned_database=None):
        self.directory = tempfile.mkdtemp(prefix="sconto-acceptance-")
        server_url = postgres_server_url()
        # The PostgreSQL database this server drops when it stops (one it made, or one handed over to it).
        self.postgres_name = owned_database
        if database_url:
            # A database another server made (a cluster's later nodes): used, never created or dropped here.
            self.database = database_url[len("sqlite:"):] if database_url.startswith("sqlite:") else None
            self.database_url = database_url
        elif server_url:
            # A fresh database per server on the test cluster, dropped when the server stops.
            self.database = None
            self.postgres_name = "acceptance_" + uuid.uuid4().hex
            psql(server_url, f"CREATE DATABASE {self.postgres_name}")
            self.database_url = with_database(server_url, self.postgres_name)
        else:
            self.database = os.path.join(self.directory, "sconto.sqlite")
            self.database_url = f"sqlite:{self.database}"
        self.port = free_port()
        self.base_url = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.directory, "server.log")
        environment = dict(os.environ)
        environment.update(env if env is not None else
                           {"SCONTO_ADMIN_EMAIL": ADMIN_EMAIL, "SCONTO_ADMIN_PASSWORD": ADMIN_PASSWORD})
        self.log = open(self.log_path, "w")
        self.process = subprocess.Popen(
            [binary(), "serve", "--host", "127.0.0.1", "--port", str(self.port),
             "--database", self.database_url, *args],
            stdout=self.log, stderr=subprocess.STDOUT, env=environment)
        self._wait_until_healthy()

    def _wait_until_healthy(self, timeout=60, probe="/healthz"):
        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"sconto exited with {self.process.returncode}:\n{self.logs()}")
            try:
                if requests.get(self.base_url + probe, timeout=1).status_code == 200:
                    return
            except requests.ConnectionError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"sconto did not become healthy:\n{self.logs()}")

    def count(self, table):
        """How many rows the server's database has in `table`."""
        if self.database:
            with sqlite3.connect(self.database) as db:
                return db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        return int(psql(self.database_url, f"SELECT COUNT(*) FROM {table}"))

    def dump(self):
        """Everything the database holds, as text (to look for what must not be stored)."""
        if self.database:
            with sqlite3.connect(self.database) as db:
                return "\n".join(db.iterdump())
        result = subprocess.run([os.environ.get("SCONTO_PG_DUMP", "pg_dump"), "--data-only", self.database_url], capture_output=True, text=True,
                                timeout=120)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def logs(self):
        self.log.flush()
        with open(self.log_path) as handle:
            return handle.read()

    def stop(self):
        """Stops with SIGTERM (graceful shutdown) and returns the exit code."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        if self.postgres_name:
            psql(postgres_server_url(), f"DROP DATABASE IF EXISTS {self.postgres_name} WITH (FORCE)")
            self.postgres_name = None
        return self.process.returncode

    def release_database(self):
        """Hands this server's database to the caller (for a later server): `stop` no longer drops it.
        Returns (database URL, PostgreSQL database name or None)."""
        name, self.postgres_name = self.postgres_name, None
        return self.database_url, name

    def wait_until_ready(self, timeout=60):
        """Waits for `/readyz` (migrated and warm), as a load balancer would."""
        self._wait_until_healthy(timeout, probe="/readyz")

    def kill(self):
        """SIGKILL: no graceful shutdown, no last flush."""
        self.process.kill()
        self.process.wait()
        self.log.close()

    def stop_cleanly(self):
        """Stops the server and fails the run unless it shut down with exit code 0."""
        code = self.stop()
        assert code == 0, f"sconto did not shut down cleanly ({code}):\n{self.logs()}"


class Admin:
    """A logged-in Management API user speaking plain HTTP (for endpoints the SDK lacks)."""

    def __init__(self, base_url, email=ADMIN_EMAIL, password=ADMIN_PASSWORD):
        self.base_url = base_url
        response = requests.post(f"{base_url}/v1/sessions", json={"email": email, "password": password})
        assert response.status_code == 201, response.text
        self.token = response.json()["token"]
        self.http = requests.Session()
        self.http.headers["Authorization"] = f"Bearer {self.token}"

    def url(self, path):
        return self.base_url + path

    def create_application(self, name="Shop", **settings):
        body = {"name": name, "timezone": "Europe/Berlin", "currency": "EUR", **settings}
        response = self.http.post(self.url("/v1/applications"), json=body)
        assert response.status_code == 201, response.text
        return response.json()

    def create_api_key(self, application_id, **fields):
        body = {"title": "acceptance", "expires": "2099-01-01T00:00:00Z", **fields}
        response = self.http.post(self.url(f"/v1/applications/{application_id}/api_keys"), json=body)
        assert response.status_code == 201, response.text
        return response.json()["key"]


class Cluster:
    """`count` `sconto serve` nodes on one database: a fresh PostgreSQL database when `SCONTO_TEST_DATABASE_URL`
    names a server, else one SQLite file that the nodes share (WAL). The first node migrates before the others start."""

    def __init__(self, count=3, args=()):
        first = Server(args=args)
        first.wait_until_ready()
        self.database_url = first.database_url
        self.nodes = [first] + [Server(args=args, database_url=self.database_url) for _ in range(count - 1)]
        for node in self.nodes:
            node.wait_until_ready()

    def stop(self):
        """Stops every node still running; returns their exit codes (None for killed ones). The first node, which
        made the database (and drops a PostgreSQL one), stops last."""
        codes = [node.stop() if node.process.returncode is None else None for node in reversed(self.nodes)]
        return list(reversed(codes))
