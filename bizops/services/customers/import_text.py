"""The text of an import file: its encoding, and the columns a user maps to fields.

- Without ``--encoding``: UTF-8 (with or without BOM), else GB18030. Almost any byte string
  of a Chinese encoding also decodes as GB18030, so on that fallback path a detector
  (charset-normalizer, imported only there) is asked whether the bytes are far more likely
  another encoding (a Big5 file would otherwise import as mojibake); then the file is refused
  naming that encoding. UTF-8 files never reach the detector.
- ``--encoding NAME`` decodes with that codec (any name Python knows: big5, utf-16, cp950...).
- ``--map SOURCE=FIELD`` names the field a column of the file holds (``parse_map``).
"""

from __future__ import annotations

import codecs
import hashlib
from collections.abc import Iterable
from pathlib import Path
from typing import NamedTuple

from bizops.domain.errors import Invalid
from bizops.domain.text import fold
from bizops.i18n import _

__all__ = [
    "GB_FAMILY",
    "check_encoding",
    "decode_text",
    "likely_encoding",
    "parse_map",
    "scan_file",
    "text_codec",
]

# Encodings GB18030 contains: a detector naming one of them agrees with the fallback.
GB_FAMILY = frozenset({"gb18030", "gbk", "gb2312", "hz", "cp936"})


def check_encoding(encoding: str) -> str:
    """The codec's canonical name; an unknown name, or a codec that does not turn bytes
    into text (rot13, base64), is ``Invalid`` (exit 2)."""
    try:
        codec = codecs.lookup(encoding)
        if not getattr(codec, "_is_text_encoding", True):
            raise LookupError(encoding)
        return codec.name
    except LookupError:
        raise Invalid(
            _("--encoding: unknown encoding {name!r} (e.g. utf-8, gb18030, big5, utf-16)").format(
                name=encoding
            )
        ) from None


def likely_encoding(data: bytes) -> str | None:
    """The encoding a detector finds far more likely than GB18030 for ``data``, or None when
    GB18030 (or a subset of it) is among its readings."""
    from charset_normalizer import from_bytes

    matches = from_bytes(data)
    names = {codecs.lookup(m.encoding).name for m in matches}
    best = matches.best()
    if best is None or names & GB_FAMILY:
        return None
    return codecs.lookup(best.encoding).name


def _decode_as(data: bytes, name: str, encoding: str) -> str:
    codec = check_encoding(encoding)
    try:
        text = data.decode(codec)
    except UnicodeDecodeError as exc:
        raise Invalid(
            _(
                "{file}: cannot read the text as {encoding} (byte 0x{byte} at offset {offset})"
            ).format(
                file=name,
                encoding=codec,
                byte=data[exc.start : exc.start + 1].hex(),
                offset=exc.start,
            )
        ) from None
    # A byte-order mark the codec kept (utf-8 without -sig, utf-16-le/be) is not a header.
    return text.removeprefix("\ufeff")


def decode_text(data: bytes, name: str, encoding: str | None = None) -> str:
    """The file's text: in ``encoding`` when given, else UTF-8 (with or without BOM), else
    GB18030 unless the bytes are far more likely another encoding; anything else is an
    error naming the problem."""
    return _decoded(data, name, encoding)[0]


def text_codec(data: bytes, name: str, encoding: str | None = None) -> str:
    """The codec that reads ``data`` by the rules of ``decode_text`` (which it checks the whole
    text with), for a reader that decodes as it goes; a byte-order mark is skipped."""
    codec = _decoded(data, name, encoding)[1]
    return "utf-8-sig" if codec == "utf-8" else codec


def _decoded(data: bytes, name: str, encoding: str | None) -> tuple[str, str]:
    if encoding is not None:
        text, codec = _decode_as(data, name, encoding), check_encoding(encoding)
    else:
        text, codec = _guess(data, name)
    if "\x00" in text:
        raise Invalid(
            _("{file}: the file holds NUL bytes; it is not a CSV text file").format(file=name)
        )
    return text, codec


def _guess(data: bytes, name: str) -> tuple[str, str]:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise Invalid(
            _(
                "{file}: the file is UTF-16 text; import it with --encoding utf-16 "
                "(or save it as 'CSV UTF-8')"
            ).format(file=name)
        )
    try:
        return data.decode("utf-8-sig"), "utf-8-sig"
    except UnicodeDecodeError as utf8_error:
        try:
            text = data.decode("gb18030")
        except UnicodeDecodeError:
            bad = data[utf8_error.start : utf8_error.start + 1].hex()
            raise Invalid(
                _(
                    "{file}: cannot read the text: it is neither UTF-8 nor GB18030 "
                    "(byte 0x{byte} at offset {offset}); save it as 'CSV UTF-8' and import again"
                ).format(file=name, byte=bad, offset=utf8_error.start)
            ) from None
    likely = likely_encoding(data)
    if likely is not None:
        option = likely.replace("_", "-")
        raise Invalid(
            _(
                "{file}: the bytes read as GB18030 but are most likely {encoding}; "
                "import it with --encoding {option} (or save it as 'CSV UTF-8')"
            ).format(file=name, encoding=likely, option=option)
        )
    return text, "gb18030"


class Scanned(NamedTuple):
    """What one pass over a file's bytes found: its SHA-256, how many line feeds it holds,
    and the whole file when a reader still needs it (``None``: read it again as a stream)."""

    sha256: str
    lines: int
    data: bytes | None


# A million-row file is 160 MB: it is read this much at a time, never held whole.
CHUNK = 1 << 20


def scan_file(path: Path, *, utf8: bool, keep: bool) -> Scanned:
    """The file's SHA-256 and line feeds, its bytes read a chunk at a time. With ``utf8`` the
    text is checked on the way as UTF-8 (a BOM allowed, no NUL), the codec ``text_codec``
    would choose without ``--encoding``; if it is not, or with ``keep``, the whole file is
    returned so that ``text_codec`` applies its other rules and messages to it."""
    digest = hashlib.sha256()
    lines = 0
    held: list[bytes] | None = [] if keep else None
    decoder = codecs.getincrementaldecoder("utf-8")() if utf8 else None
    with open(path, "rb") as stream:
        while chunk := stream.read(CHUNK):
            digest.update(chunk)
            lines += chunk.count(b"\n")
            if held is not None:
                held.append(chunk)
            if decoder is not None and not _utf8_chunk(decoder, chunk):
                return Scanned(digest.hexdigest(), 0, path.read_bytes())
    if decoder is not None and not _utf8_chunk(decoder, b"", final=True):
        return Scanned(digest.hexdigest(), 0, path.read_bytes())
    return Scanned(digest.hexdigest(), lines, b"".join(held) if held is not None else None)


def _utf8_chunk(decoder: codecs.IncrementalDecoder, chunk: bytes, *, final: bool = False) -> bool:
    """Whether ``chunk`` continues UTF-8 text without NUL."""
    if b"\x00" in chunk:
        return False
    try:
        decoder.decode(chunk, final)
    except UnicodeDecodeError:
        return False
    return True


def parse_map(
    specs: Iterable[str], fields: dict[str, str], *, example: str = "客户级别=grade"
) -> dict[str, str]:
    """``--map SOURCE=FIELD`` options as {folded source column: field}. ``fields`` maps every
    accepted name of a field (folded) to the field; anything else is ``Invalid``, naming the
    fields (``example`` shows one)."""
    valid = ", ".join(dict.fromkeys(fields.values()))
    out: dict[str, str] = {}
    for spec in specs:
        source, sep, target = spec.partition("=")
        source, target = source.strip(), target.strip()
        if not sep or not source or not target:
            raise Invalid(
                _("--map: {spec!r} is not SOURCE=FIELD (e.g. {example}); fields: {valid}").format(
                    spec=spec, valid=valid, example=example
                )
            )
        field = fields.get(fold(target))
        if field is None:
            raise Invalid(
                _("--map: unknown field {field!r} in {spec!r}; fields: {valid}").format(
                    field=target, spec=spec, valid=valid
                )
            )
        key = fold(source)
        if key in out and out[key] != field:
            raise Invalid(_("--map: column {column!r} is mapped twice").format(column=source))
        out[key] = field
    return out
