"""Personal data kept out of the logs: every log record is made safe when it is created.

domain/privacy.md: no phone numbers, names, e-mails or tokens in application logs; IDs only. They
reached the logs three ways, each closed here for every logger of the process (the app's, werkzeug's,
gunicorn's, SQLAlchemy's), through a log-record factory rather than per-handler filters, so a
handler added later (a log shipper, pytest's caplog) never sees the raw record:

- Request lines (werkzeug's dev server, gunicorn's access and error logs) carry the query string
  (`/participants/?q=0912345678`) and tokens in paths (`/c/<token>`): query values become `*`,
  tokens `***` (`mask_url`).
- Exceptions: a database error quotes the SQL parameters (the engine's `hide_parameters` hides
  them) and, on PostgreSQL, a DETAIL line with the duplicate key or the whole failing row. Tracebacks
  are written here (`safe_traceback`) with a database error reduced to its driver's first line and
  its statement, and quoted values that look like data (spaces, letters beyond ASCII) masked.
- Any message: phone numbers, e-mail addresses and bearer tokens are masked (`scrub`). Names
  cannot be recognised in free text: the code logs IDs only, and the traceback rule above covers
  the values an exception quotes.

SQLAlchemy's DEBUG echo prints result rows, which hold names: the rows are replaced by
"(hidden)". gunicorn.conf.py builds its access line from `private_atom`.
"""

from __future__ import annotations

import logging
import re
import traceback
from typing import Any

MASK = "***"
_DB_DRIVERS = frozenset({"sqlite3", "_sqlite3", "psycopg", "psycopg2", "psycopg_binary", "pg8000", "asyncpg"})

# Paths whose segment is a credential: a session's check-in token, a signed material link, a
# certificate's verification code (it opens the holder's name).
_SECRET_SEGMENT = re.compile(r"(/(?:c|m|verify)/)[^/?#\s\"'<>\x1b]+")
_CERTIFICATE_CODE = re.compile(r"(/certificates/)[2-9A-HJ-NP-Z]{10,24}(?=[/.?#\s\"'<>\x1b]|$)")
# A query string after a path or a host: `/participants/?q=...`, `example.vn?x=...`.
_QUERY = re.compile(r"(?<=[\w/.\-~%])\?([^\s\"'<>#\x1b]+)")
_PHONE = re.compile(r"(?<![\w+])(?:\+84|0084|84|0)(?:[ .\-]?\d){9,10}(?!\d)")
_EMAIL = re.compile(r"[\w.+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+")
_BEARER = re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+")
_QUOTED = re.compile(r"(\w*)(\s*:?\s*)(['\"])(.*?)\3")
# Words that precede an identifier (not a value) in PostgreSQL's messages.
_IDENTIFIER_WORDS = frozenset({"constraint", "column", "relation", "table", "index", "type", "schema", "function",
                               "sequence", "view", "trigger", "database", "role", "operator", "extension",
                               "domain", "collation", "savepoint", "cursor", "statement", "attribute"})
_HIDDEN_HEADERS = frozenset({"{authorization}i", "{cookie}i", "{set-cookie}o", "{http_authorization}e",
                             "{http_cookie}e", "{proxy-authorization}i", "{x-csrftoken}i"})


def mask_query(query: str) -> str:
    """A query string with every value replaced: `q=0912345678&page=2` → `q=*&page=*`."""
    return "&".join(f"{part.split('=', 1)[0]}=*" if "=" in part else "*" for part in query.split("&") if part)


def mask_url(text: str) -> str:
    """`text` with tokens in paths and query-string values masked."""
    text = _QUERY.sub(lambda m: "?" + mask_query(m.group(1)), text)
    text = _SECRET_SEGMENT.sub(rf"\1{MASK}", text)
    return _CERTIFICATE_CODE.sub(rf"\1{MASK}", text)


def scrub(text: str) -> str:
    """`text` without URLs' tokens and query values, phone numbers, e-mail addresses, bearer tokens."""
    if not text:
        return text
    text = mask_url(text)
    text = _BEARER.sub(rf"\1{MASK}", text)
    text = _EMAIL.sub("<email>", text)
    return _PHONE.sub("<phone>", text)


def _looks_like_data(value: str) -> bool:
    """A quoted value that reads like something typed (a name, an address), not an identifier."""
    return any(ch.isspace() or ord(ch) > 127 or ch == "@" for ch in value)


def _mask_quoted(text: str, *, database: bool) -> str:
    """Quoted values masked: in a database message every value (identifiers after `constraint`,
    `column`... stay); elsewhere those that look like data (an exception quoting an input)."""

    def replace(match: re.Match) -> str:
        word, gap, quote, value = match.groups()
        identifier = word.lower() in _IDENTIFIER_WORDS and ":" not in gap
        keep = identifier if database else not _looks_like_data(value)
        return match.group(0) if keep else f"{word}{gap}{quote}{MASK}{quote}"

    return _QUOTED.sub(replace, text)


def _first_line(value: object) -> str:
    return (str(value).strip().splitlines() or [""])[0]


def _is_driver_error(exc: BaseException) -> bool:
    return type(exc).__module__.split(".")[0] in _DB_DRIVERS


def safe_message(exc: BaseException) -> str:
    """What an exception says, without the data it quotes (see the module)."""
    from sqlalchemy.exc import StatementError

    if isinstance(exc, StatementError):
        orig = exc.orig
        if orig is not None:
            head = f"({type(orig).__module__}.{type(orig).__qualname__}) " + _mask_quoted(
                _first_line(orig), database=_is_driver_error(orig))
        else:
            head = _mask_quoted(_first_line(exc.args[0] if exc.args else ""), database=False)
        statement = f"\n[SQL: {exc.statement}]" if exc.statement else ""
        return scrub(head + statement)
    if _is_driver_error(exc):
        return scrub(_mask_quoted(_first_line(exc), database=True))
    try:
        text = str(exc)
    except Exception:  # noqa: BLE001 - a broken __str__ must not break logging
        text = ""
    return scrub(_mask_quoted(text, database=False))


def _qualified(exc: BaseException) -> str:
    cls = type(exc)
    return cls.__qualname__ if cls.__module__ in ("builtins", "__main__") else f"{cls.__module__}.{cls.__qualname__}"


def safe_traceback(exc: BaseException) -> str:
    """A traceback like Python's, chained exceptions included, with each message made safe.

    The frames (file, line, function, source line) are code and stay as they are.
    """
    chain: list[tuple[BaseException, str]] = []
    seen: set[int] = set()
    current: BaseException | None = exc
    link = ""
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        chain.append((current, link))
        if current.__cause__ is not None:
            current, link = current.__cause__, ("\nThe above exception was the direct cause of the following "
                                                "exception:\n\n")
        elif current.__context__ is not None and not current.__suppress_context__:
            current, link = current.__context__, ("\nDuring handling of the above exception, another exception "
                                                  "occurred:\n\n")
        else:
            current = None
    parts: list[str] = []
    for item, following_link in reversed(chain):
        if item.__traceback__ is not None:
            parts.append("Traceback (most recent call last):\n")
            parts.extend(traceback.format_tb(item.__traceback__))
        message = safe_message(item)
        parts.append(f"{_qualified(item)}: {message}\n" if message else f"{_qualified(item)}\n")
        for note in getattr(item, "__notes__", None) or ():
            parts.append(scrub(_mask_quoted(str(note), database=False)) + "\n")
        parts.append(following_link)
    return "".join(parts).rstrip("\n")


def make_record_safe(record: logging.LogRecord) -> logging.LogRecord:
    """Rewrite a record in place: its message scrubbed, its exception as a safe traceback."""
    if record.name.startswith("sqlalchemy.engine") and record.msg == "Row %r":
        record.msg, record.args = "Row (hidden)", ()
    else:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string is logged as it was written
            message = str(record.msg)
        record.msg, record.args = scrub(message), ()
    if record.exc_info:
        exc = record.exc_info[1]
        record.exc_info = None  # a handler formatting it itself would print the raw messages
        if exc is not None:
            record.exc_text = safe_traceback(exc)
    return record


_previous_factory: Any = None


def _safe_record_factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    return make_record_safe(_previous_factory(*args, **kwargs))


def install_log_privacy() -> None:
    """Make every log record of this process safe when it is created (idempotent)."""
    global _previous_factory
    if logging.getLogRecordFactory() is _safe_record_factory:
        return
    _previous_factory = logging.getLogRecordFactory()
    logging.setLogRecordFactory(_safe_record_factory)


def private_atom(key: str, value: Any) -> Any:
    """One atom of gunicorn's access-log format, safe: the request line, path, query and referer
    masked, credentials' headers hidden, anything else scrubbed."""
    if not isinstance(value, str):
        return value
    name = key.lower() if key.startswith("{") else key
    if name in _HIDDEN_HEADERS:
        return "-"
    if name == "q" or name == "{query_string}e":
        return mask_query(value)
    return scrub(value)
