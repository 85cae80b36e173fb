"""A private Mosquitto MQTT broker that the twin runs itself, like its database.

The broker lives in ``<home>/mqtt`` (configuration, persistence database,
log, port and pid files) and listens on a free loopback port only.  Queued
QoS 1 messages of persistent sessions are written to the persistence
database on every stop and every :data:`AUTOSAVE_S` seconds, so a restart of
the broker loses none of them.  When the twin runs as root, Mosquitto drops
its privileges itself to its ``user`` (the Debian package's ``mosquitto``
user), which is then given the folder.

``TWIN_MQTT_URL`` (``mqtt://[user:password@]host:port``) names an external
broker instead; then nothing is started.
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from twin.config import Settings
from twin.errors import TwinError

__all__ = ["AUTOSAVE_S", "Broker", "BrokerError", "MqttTarget", "mqtt_target"]

AUTOSAVE_S = 10
SERVICE_USER = "mosquitto"
_BINARIES = ("/usr/sbin/mosquitto", "/usr/local/sbin/mosquitto")


class BrokerError(TwinError):
    title = "MQTT broker error"


@dataclass(frozen=True)
class MqttTarget:
    """Where the MQTT clients connect."""

    host: str
    port: int
    username: str | None = None
    password: str | None = None

    @property
    def url(self) -> str:
        return f"mqtt://{self.host}:{self.port}"


def find_mosquitto() -> str:
    for path in _BINARIES:
        if os.access(path, os.X_OK):
            return path
    found = shutil.which("mosquitto")
    if found:
        return found
    raise BrokerError(
        "Mosquitto not found: install the Debian package mosquitto (make run "
        "does) or set TWIN_MQTT_URL to an external broker"
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _listening(port: int) -> bool:
    with socket.socket() as s:
        s.settimeout(0.2)
        return s.connect_ex(("127.0.0.1", port)) == 0


@dataclass
class Broker:
    """The broker under ``home/mqtt``; every method is safe to call twice."""

    home: Path

    @property
    def folder(self) -> Path:
        return self.home / "mqtt"

    @property
    def config_file(self) -> Path:
        return self.folder / "mosquitto.conf"

    @property
    def log_file(self) -> Path:
        return self.folder / "mosquitto.log"

    def port(self) -> int | None:
        path = self.folder / "port"
        return int(path.read_text()) if path.exists() else None

    def pid(self) -> int | None:
        path = self.folder / "pid"
        return int(path.read_text()) if path.exists() else None

    def running(self) -> bool:
        pid = self.pid()
        if pid is None:
            return False
        try:
            cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
        except OSError:
            return False
        return b"mosquitto" in cmdline and str(self.config_file).encode() in cmdline

    def target(self) -> MqttTarget:
        port = self.port()
        if port is None:
            raise BrokerError(f"no broker set up in {self.folder}: run 'twin live broker start'")
        return MqttTarget("127.0.0.1", port)

    def _write_config(self, port: int) -> None:
        data = self.folder / "data"
        data.mkdir(parents=True, exist_ok=True)
        lines = [
            "# the twin's private broker (written by twin.live.broker)",
            f"listener {port} 127.0.0.1",
            "allow_anonymous true",
            "persistence true",
            f"persistence_location {data}/",
            f"autosave_interval {AUTOSAVE_S}",
            # A disconnected persistent subscriber must not lose its backlog.
            "max_queued_messages 0",
            "max_inflight_messages 1000",
            "log_type error",
            "log_type warning",
            "log_type notice",
        ]
        if os.geteuid() == 0:
            lines.append(f"user {SERVICE_USER}")
        self.config_file.write_text("\n".join(lines) + "\n")

    def _hand_over(self) -> None:
        """Give the folder to the user Mosquitto becomes when started as root."""
        if os.geteuid() != 0:
            return
        try:
            entry = pwd.getpwnam(SERVICE_USER)
        except KeyError:
            subprocess.run(
                [
                    "useradd",
                    "--system",
                    "--no-create-home",
                    "--shell",
                    "/usr/sbin/nologin",
                    SERVICE_USER,
                ],
                check=True,
                capture_output=True,
            )
            entry = pwd.getpwnam(SERVICE_USER)
        for root, _dirs, files in os.walk(self.folder):
            os.chown(root, entry.pw_uid, entry.pw_gid)
            for name in files:
                os.chown(os.path.join(root, name), entry.pw_uid, entry.pw_gid)
        for parent in self.folder.parents:
            mode = parent.stat().st_mode
            if not mode & 0o001:
                parent.chmod(mode | 0o001)

    def start(self, *, timeout_s: float = 15.0) -> MqttTarget:
        """Start the broker (first time: write its configuration); a running one is kept."""
        if self.running():
            return self.target()
        self.folder.mkdir(parents=True, exist_ok=True)
        port = self.port()
        if port is None or _listening(port):
            port = _free_port()
            (self.folder / "port").write_text(str(port))
        self._write_config(port)
        self._hand_over()
        with open(self.log_file, "ab") as log:
            proc = subprocess.Popen(
                [find_mosquitto(), "-c", str(self.config_file)],
                stdout=log,
                stderr=log,
                stdin=subprocess.DEVNULL,
                cwd="/",
                start_new_session=True,
            )
        _CHILDREN[proc.pid] = proc
        (self.folder / "pid").write_text(str(proc.pid))
        deadline = time.monotonic() + timeout_s
        while not _listening(port):
            if proc.poll() is not None or time.monotonic() > deadline:
                tail = self.log_file.read_text(errors="replace")[-500:]
                raise BrokerError(f"Mosquitto did not start on port {port}: {tail.strip()}")
            time.sleep(0.05)
        return MqttTarget("127.0.0.1", port)

    def stop(self, *, timeout_s: float = 15.0) -> None:
        """Stop gracefully (SIGTERM), so the persistence database is saved."""
        if not self.running():
            return
        pid = self.pid()
        os.kill(pid, signal.SIGTERM)
        deadline = time.monotonic() + timeout_s
        while self.running() and time.monotonic() < deadline:
            _reap(pid)
            time.sleep(0.05)
        if self.running():
            os.kill(pid, signal.SIGKILL)
        _reap(pid)


#: Brokers started by this process, kept so their exit status is collected.
_CHILDREN: dict[int, subprocess.Popen] = {}


def _reap(pid: int) -> None:
    """Collect the exit status when this process started the broker (no zombie)."""
    proc = _CHILDREN.get(pid)
    if proc is not None:
        if proc.poll() is not None:
            del _CHILDREN[pid]
        return
    try:
        os.waitpid(pid, os.WNOHANG)
    except ChildProcessError:
        pass


def mqtt_target(settings: Settings, *, environ=None, start: bool = True) -> MqttTarget:
    """The broker to use: ``TWIN_MQTT_URL`` when set, else the private one (started)."""
    env = os.environ if environ is None else environ
    url = settings.extra.get("mqtt_url") or env.get("TWIN_MQTT_URL")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "tcp") or not parts.hostname:
            raise BrokerError(f"TWIN_MQTT_URL: {url.split('@')[-1]!r} is not mqtt://host:port")
        return MqttTarget(parts.hostname, parts.port or 1883, parts.username, parts.password)
    broker = Broker(settings.home)
    return broker.start() if start else broker.target()
