"""A private Mosquitto MQTT broker that the twin runs itself, like its database.

The broker lives in ``<home>/mqtt`` (configuration, password and ACL files,
persistence database, log, port and pid files) and listens on a free
loopback port only.  Nobody connects without an account of
:mod:`twin.live.credentials` (passwords in ``<home>/mqtt.secret``), a device
account publishes only under its own kind's topics, only the ingest reads,
and a packet larger than :data:`MAX_PACKET_BYTES` costs the sender its
connection.  Queued QoS 1 messages of persistent sessions are written to the
persistence database on every stop and every :data:`AUTOSAVE_S` seconds, so
a restart of the broker loses none of them.  When the twin runs as root,
Mosquitto drops its privileges itself to its ``user`` (the Debian package's
``mosquitto`` user), which is then given the folder.

``TWIN_MQTT_URL`` (``mqtt://`` or, over TLS, ``mqtts://[user:password@]host:port``)
names an external broker instead; then nothing is started and every client
logs in with the user name and password of the URL (or ``TWIN_MQTT_USERNAME``
and ``TWIN_MQTT_PASSWORD``).
"""

from __future__ import annotations

import os
import pwd
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import urlsplit

from twin.config import Settings
from twin.errors import TwinError
from twin.private_files import write_private

from . import credentials
from .credentials import INGEST

__all__ = ["AUTOSAVE_S", "MAX_PACKET_BYTES", "Broker", "BrokerError", "MqttTarget", "mqtt_target"]

AUTOSAVE_S = 10
#: The largest MQTT packet a client may send (Mosquitto's ``max_packet_size``;
#: a larger one closes the sender's connection).  The largest legitimate
#: message, an environmental station's with every reading, is about 350 bytes.
MAX_PACKET_BYTES = 4096
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
    password: str | None = field(default=None, repr=False)
    #: The private broker's passwords by user name (empty for an external broker).
    accounts: Mapping[str, str] = field(default_factory=dict, repr=False, compare=False)
    #: Connect over TLS, checking the broker's certificate against ``ca_file``
    #: (default: the system's certificate authorities).
    tls: bool = False
    ca_file: str | None = None

    @property
    def url(self) -> str:
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"

    def login(self, username: str) -> MqttTarget:
        """The same broker as the account ``username``.

        An external broker's target is returned as it is: its clients all use
        the one account of the settings.
        """
        if not self.accounts:
            return self
        if username not in self.accounts:
            raise BrokerError(f"the private MQTT broker has no account {username!r}")
        return replace(self, username=username, password=self.accounts[username])

    def prepare(self, client) -> None:
        """Give a paho client, before it connects, this target's TLS and account."""
        if self.tls:
            client.tls_set(ca_certs=self.ca_file)
        if self.username:
            client.username_pw_set(self.username, self.password)


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

    @property
    def secret_file(self) -> Path:
        """The accounts' passwords: the twin's, outside the folder the broker's user owns."""
        return self.home / "mqtt.secret"

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

    def target(self, username: str = INGEST) -> MqttTarget:
        """Where to connect, logged in as ``username`` (see :meth:`MqttTarget.login`)."""
        port = self.port()
        if port is None or not self.secret_file.exists():
            raise BrokerError(f"no broker set up in {self.folder}: run 'twin live broker start'")
        passwords = credentials.load_or_create(self.secret_file)
        return MqttTarget("127.0.0.1", port, accounts=passwords).login(username)

    def _config_text(self, port: int) -> str:
        data = self.folder / "data"
        password_file, acl_file = self.folder / "passwd", self.folder / "acl"
        lines = [
            "# the twin's private broker (written by twin.live.broker)",
            "per_listener_settings false",
            f"listener {port} 127.0.0.1",
            "allow_anonymous false",
            f"password_file {password_file}",
            f"acl_file {acl_file}",
            f"max_packet_size {MAX_PACKET_BYTES}",
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
        return "\n".join(lines) + "\n"

    def _write_config(self, port: int) -> None:
        (self.folder / "data").mkdir(parents=True, exist_ok=True)
        passwords = credentials.load_or_create(self.secret_file)
        hashed = credentials.password_file_text(passwords)
        write_private(self.folder / "passwd", hashed)
        write_private(self.folder / "acl", credentials.acl_text())
        self.config_file.write_text(self._config_text(port))

    def _current(self) -> bool:
        """Whether the running broker was started with this version's configuration."""
        port = self.port()
        return (
            port is not None
            and self.secret_file.exists()
            and self.config_file.read_text() == self._config_text(port)
        )

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
        """Start the broker (first time: write its configuration); a running one is kept.

        One started with another configuration (an open broker of an earlier
        version) is restarted with the current one; its queue is saved on the stop.
        """
        if self.running():
            if self._current():
                return self.target()
            self.stop()
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
        return self.target()

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
    """The broker to use: ``TWIN_MQTT_URL`` when set, else the private one (started).

    The private broker's target is logged in as the ingest; clients that
    publish switch with :meth:`MqttTarget.login`.  An external broker's user
    name and password come from the URL, else ``TWIN_MQTT_USERNAME`` and
    ``TWIN_MQTT_PASSWORD`` (settings ``mqtt_username``, ``mqtt_password``);
    ``mqtts://`` connects over TLS, with ``TWIN_MQTT_CA_FILE`` (setting
    ``mqtt_ca_file``) naming the authority that signed the broker's certificate
    when it is not one the system trusts.
    """
    env = os.environ if environ is None else environ
    url = settings.extra.get("mqtt_url") or env.get("TWIN_MQTT_URL")
    if url:
        parts = urlsplit(url)
        if parts.scheme not in ("mqtt", "tcp", "mqtts") or not parts.hostname:
            raise BrokerError(
                f"TWIN_MQTT_URL: {url.split('@')[-1]!r} is not mqtt://host:port or mqtts://host:port"
            )
        tls = parts.scheme == "mqtts"
        username = (
            parts.username or settings.extra.get("mqtt_username") or env.get("TWIN_MQTT_USERNAME")
        )
        password = (
            parts.password or settings.extra.get("mqtt_password") or env.get("TWIN_MQTT_PASSWORD")
        )
        return MqttTarget(
            parts.hostname,
            parts.port or (8883 if tls else 1883),
            username,
            password,
            tls=tls,
            ca_file=settings.extra.get("mqtt_ca_file") or env.get("TWIN_MQTT_CA_FILE"),
        )
    broker = Broker(settings.home)
    return broker.start() if start else broker.target()
