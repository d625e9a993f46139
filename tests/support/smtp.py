"""A real SMTP server on localhost (aiosmtpd) that keeps what it receives."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from email import message_from_bytes, policy
from email.message import EmailMessage
from typing import Any

from aiosmtpd.controller import Controller


@dataclass
class Inbox:
    messages: list[EmailMessage] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)

    async def handle_RCPT(
        self, server: Any, session: Any, envelope: Any, address: str, options: Any
    ) -> str:
        if address in self.refuse:
            return "550 5.1.1 mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        msg = message_from_bytes(envelope.original_content, policy=policy.default)
        assert isinstance(msg, EmailMessage)
        self.messages.append(msg)
        return "250 Message accepted for delivery"

    def to(self) -> list[str]:
        return sorted(str(m["To"].addresses[0].addr_spec) for m in self.messages)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def smtp_server() -> Iterator[tuple[Inbox, int]]:
    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


# --------------------------------------------------------------------------- a server that drops

# Where the dropping server hangs up: on MAIL, on RCPT, on the DATA command, or after it has
# received the whole message but before it answers (the message may or may not be kept).
STAGES = ("mail", "rcpt", "data", "after-data")


@dataclass
class DroppingServer:
    """A bare SMTP server that hangs up at ``stage`` (for the first ``drops`` connections
    that reach it; every time if ``drops`` is None) and keeps what it receives."""

    stage: str
    drops: int | None = None
    received: list[bytes] = field(default_factory=list)
    refuse: set[str] = field(default_factory=set)
    port: int = 0

    def _should_drop(self, stage: str) -> bool:
        if stage != self.stage:
            return False
        if self.drops is None:
            return True
        if self.drops > 0:
            self.drops -= 1
            return True
        return False

    def _session(self, conn: socket.socket) -> None:
        reader = conn.makefile("rb")

        def say(line: str) -> None:
            conn.sendall(line.encode() + b"\r\n")

        say("220 dropping.test ESMTP")
        while True:
            raw = reader.readline()
            if not raw:
                return
            verb = raw.decode("ascii", "replace").strip().split(" ", 1)[0].upper()
            if verb in ("EHLO", "HELO"):
                say("250 dropping.test")
            elif verb == "MAIL":
                if self._should_drop("mail"):
                    return
                say("250 OK")
            elif verb == "RCPT":
                if self._should_drop("rcpt"):
                    return
                address = raw.decode().split(":", 1)[1].strip().strip("<>")
                say("550 5.1.1 mailbox unavailable" if address in self.refuse else "250 OK")
            elif verb == "DATA":
                if self._should_drop("data"):
                    return
                say("354 go ahead")
                lines = []
                while (line := reader.readline()) not in (b".\r\n", b""):
                    lines.append(line)
                self.received.append(b"".join(lines))
                if self._should_drop("after-data"):
                    return
                say(f"250 2.0.0 Ok: queued as Q{len(self.received)}")
            elif verb == "RSET" or verb == "NOOP":
                say("250 OK")
            elif verb == "QUIT":
                say("221 bye")
                return
            else:
                say("502 not implemented")


@contextmanager
def dropping_smtp_server(stage: str, drops: int | None = None) -> Iterator[DroppingServer]:
    import threading

    assert stage in STAGES
    server = DroppingServer(stage, drops)
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.2)
    server.port = int(listener.getsockname()[1])
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            with conn:
                conn.settimeout(10)
                with suppress(OSError):
                    server._session(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        stop.set()
        thread.join(timeout=5)
        listener.close()
