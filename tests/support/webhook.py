"""A local robot webhook (http.server in a thread) that answers as WeCom and DingTalk do.

It keeps every message it receives, checks DingTalk's signature when it is given a secret
(timestamp + HMAC-SHA256 of "timestamp\\nsecret", base64, URL-encoded), and can refuse
the messages of chosen robots (by the ``key`` / ``access_token`` query parameter).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass
class Received:
    path: str
    query: dict[str, str]
    body: dict[str, Any]
    content_type: str


@dataclass
class Hook:
    port: int = 0
    secrets: dict[str, str] = field(default_factory=dict)  # access_token -> DingTalk secret
    refuse: set[str] = field(default_factory=set)  # keys / tokens answered with an errcode
    messages: list[Received] = field(default_factory=list)
    bad_signatures: int = 0

    def url(self, path: str, **query: str) -> str:
        tail = "&".join(f"{k}={v}" for k, v in query.items())
        return f"http://127.0.0.1:{self.port}{path}" + (f"?{tail}" if tail else "")

    def answer(self, path: str, query: dict[str, str], raw: bytes) -> dict[str, Any]:
        token = query.get("access_token") or query.get("key") or ""
        if token in self.secrets:
            secret = self.secrets[token]
            stamp = query.get("timestamp", "")
            expected = base64.b64encode(
                hmac.new(secret.encode(), f"{stamp}\n{secret}".encode(), hashlib.sha256).digest()
            ).decode()
            fresh = stamp.isdigit() and abs(int(stamp) - time.time() * 1000) < 3_600_000
            if query.get("sign") != expected or not fresh:
                self.bad_signatures += 1
                return {"errcode": 310000, "errmsg": "sign not match"}
        if token in self.refuse:
            return {"errcode": 93000, "errmsg": "invalid webhook url"}
        return {"errcode": 0, "errmsg": "ok"}


@contextmanager
def webhook_server() -> Iterator[Hook]:
    hook = Hook()

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:  # noqa: N802 - http.server's name
            split = urlsplit(self.path)
            query = {k: v[0] for k, v in parse_qs(split.query).items()}
            raw = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            reply = hook.answer(split.path, query, raw)
            if reply["errcode"] == 0:
                hook.messages.append(
                    Received(
                        split.path,
                        query,
                        json.loads(raw.decode("utf-8")),
                        self.headers.get("Content-Type", ""),
                    )
                )
            data = json.dumps(reply).encode()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def log_message(self, format: str, *args: Any) -> None:
            return

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    hook.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield hook
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
