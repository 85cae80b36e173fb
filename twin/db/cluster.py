"""An embedded PostgreSQL + PostGIS cluster that the twin runs itself.

The cluster lives in ``<home>/pg`` and listens on a Unix socket in
``<home>/run`` and on a loopback port chosen once and kept in ``<home>/pg.port``:
clients that remember the URL find it again after a restart.  It copies every
finished WAL segment into ``<home>/wal`` (see :mod:`twin.db.archive`), so a
backup can be rolled forward to any later moment.  PostgreSQL refuses to run as
root, so when the twin runs as root the server runs as an unprivileged system
user (``twin-pg``) that owns the data folder.  The superuser password is made
at ``initdb`` and kept in ``<home>/pg.secret`` (mode 0600), so only the owner
of the checkout can connect.
"""

from __future__ import annotations

import glob
import os
import pwd
import secrets
import shutil
import socket
import subprocess
import time
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..errors import TwinError
from ..private_files import read_or_create, write_private
from . import archive, replication
from .roles import APP_LOGIN, ensure_app_login

__all__ = ["Cluster", "ClusterError", "find_bindir"]

SERVICE_USER = "twin-pg"
DB_NAME = "twin"
DB_USER = "twin"
#: Unix socket paths are limited to 107 bytes by the kernel.
_MAX_SOCKET_PATH = 100
#: How long a start waits for its port to be released by another program (s).
PORT_WAIT_S = 30.0


class ClusterError(TwinError):
    title = "Embedded database error"


def find_bindir() -> Path:
    """The bin folder of the newest installed PostgreSQL (Debian layout first)."""
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin"),
                        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0)
    for path in reversed(candidates):
        if (Path(path) / "initdb").exists():
            return Path(path)
    found = shutil.which("initdb") or shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    raise ClusterError("PostgreSQL server binaries not found: install postgresql-15-postgis-3 "
                       "(make run does) or set DATABASE_URL to an external PostGIS")


def _ephemeral_low() -> int:
    """The lowest port the kernel hands to outgoing connections (Linux; 32768 elsewhere)."""
    try:
        return int(Path("/proc/sys/net/ipv4/ip_local_port_range").read_text().split()[0])
    except (OSError, ValueError, IndexError):
        return 32768


def _free_port() -> int:
    """A free loopback port below the ephemeral range.

    The port is kept for the cluster's life; one from the ephemeral range
    could be taken, while the cluster is stopped, as the local end of some
    client's connection, and the cluster could not start again on it.
    """
    high = _ephemeral_low()
    low = max(1024, high - 12000)
    rng = secrets.SystemRandom()
    for _ in range(50):
        port = rng.randrange(low, high)
        if _port_free(port):
            return port
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _port_free(port: int) -> bool:
    """Whether the server could listen on ``port`` now.

    PostgreSQL binds with ``SO_REUSEADDR``, so connections of its previous
    run still in TIME_WAIT do not keep it out; only a listener does.
    """
    with closing(socket.socket()) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


@dataclass
class Cluster:
    """The cluster under ``home``; every method is safe to call twice."""

    home: Path

    @property
    def data_dir(self) -> Path:
        return self.home / "pg"

    @property
    def secret_file(self) -> Path:
        return self.home / "pg.secret"

    @property
    def app_secret_file(self) -> Path:
        return self.home / "pg-app.secret"

    @property
    def log_file(self) -> Path:
        return self.home / "pg.log"

    @property
    def socket_dir(self) -> Path:
        local = self.home / "run"
        if len(str(local)) + 20 <= _MAX_SOCKET_PATH:
            return local
        # A deep checkout: keep the socket short but still private to this home.
        return Path("/tmp") / f"twin-{abs(hash(str(self.home))) % 10**10}"

    # -- running commands, as the service user when we are root -------------
    def _as_server_user(self) -> dict:
        if os.geteuid() != 0:
            return {}
        _ensure_service_user()
        entry = pwd.getpwnam(SERVICE_USER)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}

    def run(self, *args: str, check: bool = True, env: dict | None = None
            ) -> subprocess.CompletedProcess:
        """Run the PostgreSQL program ``args[0]`` of the server's version, as the server's user."""
        cmd = [str(find_bindir() / args[0]), *args[1:]]
        proc = subprocess.run(cmd, capture_output=True, text=True, cwd="/", env=env,
                              **self._as_server_user())
        if check and proc.returncode != 0:
            raise ClusterError(f"{args[0]} failed: {proc.stderr.strip() or proc.stdout.strip()}")
        return proc

    # -- lifecycle ----------------------------------------------------------
    def initialised(self) -> bool:
        return (self.data_dir / "PG_VERSION").exists()

    def init(self) -> None:
        if self.initialised():
            return
        self.home.mkdir(parents=True, exist_ok=True)
        self.data_dir.mkdir(mode=0o700, exist_ok=True)
        password = secrets.token_urlsafe(24)
        write_private(self.secret_file, password)
        pwfile = self.home / ".initdb-pw"
        write_private(pwfile, password)
        self._hand_over(pwfile)
        try:
            self.run("initdb", "-D", str(self.data_dir), "-U", DB_USER, "-A", "scram-sha-256",
                      "--pwfile", str(pwfile), "-E", "UTF8", "--locale", "C.UTF-8",
                      "--data-checksums")
        finally:
            pwfile.unlink(missing_ok=True)
        with open(self.data_dir / "postgresql.conf", "a") as conf:
            conf.write("\n# twin embedded cluster\nlisten_addresses = '127.0.0.1'\n"
                       "fsync = on\nshared_buffers = 512MB\nwork_mem = 32MB\n"
                       "maintenance_work_mem = 512MB\nmax_wal_size = 4GB\n"
                       "max_connections = 100\n"
                       "# JIT compilation costs more than it saves on tile-sized queries\n"
                       "jit = off\n")

    def _hand_over(self, *paths: Path) -> None:
        """Give the data folder (and ``paths``) to the service user when root."""
        if os.geteuid() != 0:
            return
        _ensure_service_user()
        entry = pwd.getpwnam(SERVICE_USER)
        for path in (self.data_dir, *paths):
            os.chown(path, entry.pw_uid, entry.pw_gid)
        for root, dirs, files in os.walk(self.data_dir):
            for name in dirs + files:
                os.lchown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)
        # The server must traverse the folders above its data folder.
        for parent in {*self.data_dir.parents, *self.socket_dir.parents}:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)

    def port(self) -> int | None:
        path = self.home / "pg.port"
        return int(path.read_text()) if path.exists() else None

    def _stable_port(self) -> int:
        """The port kept for this cluster, chosen the first time, waited for when busy."""
        port = self.port()
        if port is None:
            port = _free_port()
            (self.home / "pg.port").write_text(str(port))
            return port
        deadline = time.monotonic() + PORT_WAIT_S
        while not _port_free(port):
            if time.monotonic() > deadline:
                raise ClusterError(
                    f"port {port} of the embedded cluster is still used by another program "
                    f"after {PORT_WAIT_S:.0f} s: stop it, or delete {self.home / 'pg.port'} to "
                    "give the cluster a new port (clients must then use the new URL)")
            time.sleep(0.5)
        return port

    @property
    def wal_archive(self) -> Path:
        """Where the server copies every finished WAL segment."""
        return self.home / "wal"

    def _prepare_archiving(self) -> None:
        """Archive settings for this start, also for clusters made before archiving."""
        self.wal_archive.mkdir(mode=0o700, exist_ok=True)
        written = [*archive.configure(self.data_dir, self.wal_archive),
                   replication.write_replication_conf(self.data_dir)]
        for path in (self.wal_archive, *written):
            self._give_to_server(path)

    def take_data(self) -> None:
        """Give the data folder as it now is on disk (a restored one) to the server."""
        self._hand_over()

    def _give_to_server(self, path: Path) -> None:
        """Make ``path`` the service user's when root (no walk of the data folder)."""
        if os.geteuid() == 0:
            _ensure_service_user()
            entry = pwd.getpwnam(SERVICE_USER)
            os.chown(path, entry.pw_uid, entry.pw_gid)

    def running(self) -> bool:
        if not self.initialised():
            return False
        return self.run("pg_ctl", "status", "-D", str(self.data_dir), check=False).returncode == 0

    def start(self) -> None:
        """Initialise if needed and start; a running cluster is left alone.

        The app and replication logins are made if missing (a cluster made
        before they existed gets them at its next start).  A standby
        (:mod:`twin.db.replica`) is read-only: it has the primary's.
        """
        self.init()
        if not self.running():
            self._start_server()
            if self.standby:
                return
            self._ensure_database()
        if not self.standby:
            self._ensure_app_login()
            with self._connect() as conn:
                replication.ensure_replication_login(conn, self.home)

    def start_server(self) -> None:
        """Start the server process alone, connecting to nothing.

        A restore starts the server in recovery: nothing may connect before
        the recovery has ended (a connection is refused meanwhile, and the
        refusal would hide why a recovery failed).
        """
        if not self.running():
            self._start_server()

    @property
    def standby(self) -> bool:
        """Whether this cluster follows a primary (made by ``twin db replica create``)."""
        return replication.is_standby(self.data_dir)

    def _start_server(self) -> None:
        port = self._stable_port()
        self._prepare_archiving()
        self.socket_dir.mkdir(parents=True, exist_ok=True)
        self.socket_dir.chmod(0o700)
        self._hand_over(self.socket_dir)
        log = self.log_file
        log.touch()
        self._hand_over(log)
        try:
            self.run("pg_ctl", "start", "-w", "-t", "60", "-D", str(self.data_dir),
                      "-l", str(log), "-o", f"-p {port} -k {self.socket_dir}")
        except ClusterError as exc:  # pg_ctl says "examine the log": show its end
            tail = log.read_text(errors="replace").strip().splitlines()[-5:]
            raise ClusterError(f"{exc.args[0]}\nserver log ({log}):\n" + "\n".join(tail)) from exc

    def stop(self) -> None:
        if self.running():
            self.run("pg_ctl", "stop", "-w", "-m", "fast", "-D", str(self.data_dir))

    def url(self, driver: str = "postgresql+psycopg", database: str = DB_NAME) -> str:
        if not self.initialised():
            raise ClusterError(f"no embedded cluster in {self.data_dir}: run 'twin db start'")
        password = self.secret_file.read_text().strip()
        return f"{driver}://{DB_USER}:{password}@127.0.0.1:{self.port()}/{database}"

    def app_url(self, driver: str = "postgresql+psycopg", database: str = DB_NAME) -> str:
        """The URL of the app login, which owns nothing (see :mod:`twin.db.roles`)."""
        if not self.app_secret_file.exists():
            raise ClusterError(f"no app login in {self.home}: run 'twin db start'")
        password = self.app_secret_file.read_text().strip()
        return f"{driver}://{APP_LOGIN}:{password}@127.0.0.1:{self.port()}/{database}"

    def _ensure_app_login(self) -> None:
        """The app login with the password of ``pg-app.secret``, both made when missing."""
        made = not self.app_secret_file.exists()
        password = read_or_create(self.app_secret_file, lambda: secrets.token_urlsafe(24))
        with self._connect() as conn:
            known = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s AND rolcanlogin",
                                 (APP_LOGIN,)).fetchone()
            if known is None or made:
                ensure_app_login(conn, password)

    def _ensure_database(self) -> None:
        with self._connect() as conn:
            exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                                  (DB_NAME,)).fetchone()
            if not exists:
                conn.execute(f'CREATE DATABASE "{DB_NAME}"')

    def _connect(self):
        """An autocommit connection of the superuser to ``postgres``, waiting for the server."""
        import psycopg

        for attempt in range(50):
            try:
                conn = psycopg.connect(self.url("postgresql", "postgres"), autocommit=True)
                break
            except psycopg.OperationalError:
                if attempt == 49:
                    raise
                time.sleep(0.2)
        return conn


def _ensure_service_user() -> bool:
    try:
        pwd.getpwnam(SERVICE_USER)
    except KeyError:
        subprocess.run(["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin",
                        SERVICE_USER], check=True, capture_output=True)
    return True
