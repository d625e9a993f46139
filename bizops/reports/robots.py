"""Posting reports to WeCom (企业微信) and DingTalk (钉钉) group robots through their webhooks.

Both take a markdown message as JSON:

- WeCom: ``{"msgtype": "markdown", "markdown": {"content": TEXT}}``; the content is at most
  4096 bytes of UTF-8.
- DingTalk: ``{"msgtype": "markdown", "markdown": {"title": TITLE, "text": TEXT}}``; the body
  is at most 20000 bytes. A robot with a signing secret (加签) needs ``timestamp`` (ms) and
  ``sign`` query parameters: base64 of HMAC-SHA256 of ``"{timestamp}\\n{secret}"`` keyed by the
  secret, URL-encoded.

Both answer ``{"errcode": 0, "errmsg": "ok"}``, and both take at most 20 messages a minute per
robot: the poster waits rather than be refused. A report too long for one message is split at
line ends into a few parts; what does not fit in those is cut, with a note saying so.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import http.client
import json
import os
import time
import urllib.error
import urllib.parse
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from bizops.domain.errors import BizopsError, Invalid
from bizops.domain.policy import RobotSettings
from bizops.i18n import _

# Bytes of markdown per message (the limits, less room for the part's header and the JSON).
LIMITS: dict[str, int] = {"wecom": 4000, "dingtalk": 18000}
MAX_PARTS = 3
PER_MINUTE = 20


class RobotUncertain(BizopsError):
    """The request went out but no answer came back (a timeout, a dropped connection), or
    only some parts of a long message were posted: it may have arrived (exit 1)."""

    exit_code = 1


class RobotError(BizopsError):
    """A robot's webhook could not be reached or refused the message (exit 1)."""

    exit_code = 1


def sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature: base64(HMAC-SHA256(secret, "timestamp\\nsecret")), URL-encoded."""
    text = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), text, hashlib.sha256).digest()
    return urllib.parse.quote_plus(base64.b64encode(digest))


def signed_url(url: str, secret: str | None, timestamp_ms: int) -> str:
    """The webhook with ``timestamp`` and ``sign`` added (DingTalk with a secret)."""
    if not secret:
        return url
    joiner = "&" if urllib.parse.urlsplit(url).query else "?"
    return f"{url}{joiner}timestamp={timestamp_ms}&sign={sign(secret, timestamp_ms)}"


def payload(via: str, title: str, text: str) -> dict[str, object]:
    """The JSON body of one markdown message."""
    if via == "wecom":
        return {"msgtype": "markdown", "markdown": {"content": text}}
    return {"msgtype": "markdown", "markdown": {"title": title, "text": text}}


def _cut(line: str, limit: int) -> str:
    data = line.encode()
    return line if len(data) <= limit else data[:limit].decode("utf-8", "ignore")


def split_markdown(text: str, limit: int, max_parts: int = MAX_PARTS) -> list[str]:
    """At most ``max_parts`` parts of at most ``limit`` bytes, cut at line ends; the last one
    says how many lines did not fit."""
    lines = [_cut(line, limit) for line in text.rstrip("\n").split("\n")]
    parts: list[list[str]] = [[]]
    size = 0
    for line in lines:
        cost = len(line.encode()) + 1
        if parts[-1] and size + cost > limit:
            parts.append([])
            size = 0
        parts[-1].append(line)
        size += cost
    if len(parts) <= max_parts:
        return ["\n".join(p) for p in parts]
    kept = parts[:max_parts]
    left = sum(len(p) for p in parts[max_parts:])
    note = _(
        "… {count} more line(s) not shown: run `bizops report daily` for the whole report."
    ).format(count=left)
    last = kept[-1]
    while last and len("\n".join([*last, "", note]).encode()) > limit:
        last.pop()
        left += 1
        note = _(
            "… {count} more line(s) not shown: run `bizops report daily` for the whole report."
        ).format(count=left)
    kept[-1] = [*last, "", note]
    return ["\n".join(p) for p in kept]


def secret_of(robot: RobotSettings) -> str | None:
    """The signing secret: from the policy, or from the variable ``secret_env`` names."""
    if robot.secret:
        return robot.secret
    if robot.secret_env:
        value = os.environ.get(robot.secret_env)
        if not value:
            raise Invalid(
                _(
                    "robot {name}: the environment variable {env} (secret_env) that holds its "
                    "signing secret is empty"
                ).format(name=robot.name, env=robot.secret_env)
            )
        return value
    return None


Post = Callable[[str, bytes, float], bytes]


def http_post(url: str, body: bytes, timeout: float) -> bytes:
    request = urllib.request.Request(
        url, data=body, headers={"Content-Type": "application/json; charset=utf-8"}
    )
    with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - http(s) only
        data: bytes = response.read()
        return data


@dataclass
class RobotPoster:
    """Posts markdown to robots, at most ``per_minute`` messages a minute to each one."""

    timeout: float = 20.0
    per_minute: int = PER_MINUTE
    post: Post = http_post
    clock: Callable[[], float] = time.monotonic
    sleep: Callable[[float], None] = time.sleep
    wall_ms: Callable[[], int] = field(default=lambda: int(time.time() * 1000))
    _sent: dict[str, deque[float]] = field(default_factory=dict, init=False, repr=False)

    def _wait_turn(self, robot: RobotSettings) -> None:
        sent = self._sent.setdefault(robot.name, deque())
        while sent and self.clock() - sent[0] >= 60.0:
            sent.popleft()
        if len(sent) >= self.per_minute:
            self.sleep(60.0 - (self.clock() - sent[0]))
            sent.popleft()
        sent.append(self.clock())

    def _post_one(self, robot: RobotSettings, body: bytes, secret: str | None) -> None:
        assert robot.url is not None
        self._wait_turn(robot)
        url = signed_url(robot.url, secret, self.wall_ms())
        try:
            answer = self.post(url, body, self.timeout)
        except urllib.error.HTTPError as exc:
            raise RobotError(self._failed(robot, f"HTTP {exc.code} {exc.reason}")) from exc
        except (TimeoutError, http.client.RemoteDisconnected) as exc:
            # The request was sent; its answer never came.
            raise RobotUncertain(self._failed(robot, str(exc) or type(exc).__name__)) from exc
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", None) or exc
            raise RobotError(self._failed(robot, str(reason))) from exc
        try:
            reply = json.loads(answer.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            raise RobotError(self._failed(robot, _("the answer is not JSON"))) from None
        code = reply.get("errcode") if isinstance(reply, dict) else None
        if code != 0:
            message = reply.get("errmsg", "") if isinstance(reply, dict) else ""
            raise RobotError(self._failed(robot, f"errcode {code}: {message}".strip()))

    @staticmethod
    def _failed(robot: RobotSettings, why: str) -> str:
        # The url holds the robot's key: name the robot, never the url.
        return _("{via} robot {name}: {why}").format(via=robot.via, name=robot.name, why=why)

    def send(self, robot: RobotSettings, *, title: str, text: str) -> str:
        """Post ``text`` (in parts if it is long); return an id for the delivery record."""
        if not robot.url:
            raise Invalid(
                _("robot {name} has no url; nothing is sent to it").format(name=robot.name)
            )
        secret = secret_of(robot) if robot.via == "dingtalk" else None
        parts = split_markdown(text, LIMITS.get(robot.via, LIMITS["wecom"]))
        started = self.wall_ms()
        for i, part in enumerate(parts, start=1):
            shown = part if len(parts) == 1 else f"**({i}/{len(parts)})**\n\n{part}"
            body = json.dumps(payload(robot.via, title, shown), ensure_ascii=False).encode()
            try:
                self._post_one(robot, body, secret)
            except RobotError as exc:
                if i == 1:
                    raise
                # Earlier parts are in the group already: part of the report arrived.
                raise RobotUncertain(exc.message) from exc
        return f"{robot.via}:{robot.name}:{started}"
