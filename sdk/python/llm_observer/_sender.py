"""The fail-open pipeline: a bounded queue that the application thread only appends to, and one
daemon thread that serialises events, appends them to the local JSONL file, and posts gzip batches
to the ingest endpoint with bounded, jittered retries."""

from __future__ import annotations

import email.utils
import gzip
import http.client
import json
import logging
import os
import random
import threading
import time
from collections import deque
from typing import Any, Deque, Dict, List, Mapping, Optional, Tuple
from urllib.parse import urlsplit

from ._config import MIB, Config
from ._event import new_event_id, utc_timestamp
from ._version import __version__

log = logging.getLogger("llm_observer")

MAX_EVENT_BYTES = 256 * 1024  # the ingest API refuses a batch holding a larger event
MAX_RAW_BATCH_BYTES = 8 * MIB  # under the ingest API's 10 MiB decompressed bound
RETRY_STATUSES = frozenset((408, 429, 500, 502, 503, 504))
_OK_STATUSES = frozenset((200, 201, 202))
_MAX_RESPONSE_BYTES = 4 * MIB
_ENCODER = json.JSONEncoder(separators=(",", ":"), ensure_ascii=False, allow_nan=False)


class HttpTransport:
    """One keep-alive connection to ``<endpoint>/v1/events`` (reopened after any failure)."""

    def __init__(self, endpoint: str, api_key: str) -> None:
        parts = urlsplit(endpoint)
        self._https = parts.scheme == "https"
        self._host = parts.hostname or ""
        self._port = parts.port
        path = parts.path.rstrip("/")
        self._path = path if path.endswith("/v1/events") else path + "/v1/events"
        self._headers = {
            "Authorization": "Bearer " + api_key,
            "Content-Type": "application/json",
            "Content-Encoding": "gzip",
            "Accept": "application/json",
            "User-Agent": "llm_observer-python/" + __version__,
        }
        self._conn: Optional[http.client.HTTPConnection] = None

    def post(self, body: bytes, timeout: float) -> Tuple[int, Mapping[str, str], bytes]:
        conn = self._conn
        if conn is None:
            cls = http.client.HTTPSConnection if self._https else http.client.HTTPConnection
            conn = self._conn = cls(self._host, self._port, timeout=timeout)
        elif conn.sock is not None:
            conn.sock.settimeout(timeout)
        conn.timeout = timeout
        try:
            conn.request("POST", self._path, body, self._headers)
            resp = conn.getresponse()
            data = resp.read(_MAX_RESPONSE_BYTES)
            if resp.will_close or not resp.isclosed():
                self.close()
            return resp.status, resp.headers, data
        except BaseException:
            self.close()
            raise

    def close(self) -> None:
        conn, self._conn = self._conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:
                pass

    def forget(self) -> None:
        """After fork: drop the parent's connection without touching it."""
        self._conn = None


class FileSink:
    """Appends JSONL lines with one ``write`` per batch on an O_APPEND descriptor (no Python-side
    buffer, so nothing is written twice after a fork)."""

    def __init__(self, path: str) -> None:
        self.path = path
        self._fd: Optional[int] = None

    def write(self, lines: List[bytes]) -> None:
        if self._fd is None:
            self._fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        data = b"\n".join(lines) + b"\n"
        view = memoryview(data)
        while view:
            n = os.write(self._fd, view)
            view = view[n:]

    def close(self) -> None:
        fd, self._fd = self._fd, None
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


def retry_after_seconds(value: Optional[str]) -> Optional[float]:
    """Seconds from a Retry-After header (delta-seconds or HTTP-date), or None."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(float(value), 0.0)
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    return max(when.timestamp() - time.time(), 0.0)


class Sender:
    """Owns the queue and the daemon thread. ``enqueue`` never blocks and never raises."""

    def __init__(self, cfg: Config) -> None:
        self._cfg = cfg
        self._http = HttpTransport(cfg.endpoint, cfg.api_key or "") if cfg.endpoint else None
        self._file = FileSink(cfg.file) if cfg.file else None
        self._logged: set = set()
        self._reset_state()

    # -- state ----------------------------------------------------------------------------------
    def _reset_state(self) -> None:
        self._lock = threading.Lock()
        self._idle = threading.Condition(threading.Lock())
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._q: Deque[Dict[str, Any]] = deque()
        self._thread: Optional[threading.Thread] = None
        self._inflight = 0
        self._flush_waiters = 0
        self._closed = False
        self._deadline: Optional[float] = None
        self._sent = 0
        self._rejected = 0
        self._retried = 0
        self._requests = 0
        self._dropped: Dict[str, int] = {}
        self._last_status: Optional[int] = None

    def after_fork_in_child(self) -> None:
        """The child starts empty with its own thread (started by its first event); the parent's
        queued events stay the parent's to send."""
        if self._http is not None:
            self._http.forget()
        self._reset_state()

    # -- application side -----------------------------------------------------------------------
    def enqueue(self, event: Dict[str, Any]) -> None:
        with self._lock:
            if self._closed:
                self._count_drop("after_shutdown", 1)
                return
            q = self._q
            if len(q) >= self._cfg.max_queue_size:
                q.popleft()
                self._count_drop("queue_full", 1)
            q.append(event)
            n = len(q)
            if self._thread is None:
                self._start_locked()
        if n >= self._cfg.batch_max_events:
            self._wake.set()

    def _start_locked(self) -> None:
        t = threading.Thread(target=self._run, name="llm_observer-sender", daemon=True)
        self._thread = t
        t.start()

    def flush(self, timeout: float) -> bool:
        """Waits until everything queued so far was handled (sent, written, or dropped), at most ``timeout`` s."""
        end = time.monotonic() + max(timeout, 0.0)
        with self._lock:
            if self._thread is None and not self._q:
                return True
            if self._thread is None and not self._closed:
                self._start_locked()
        with self._idle:
            self._flush_waiters += 1
        try:
            self._wake.set()
            with self._idle:
                while self._q or self._inflight:
                    left = end - time.monotonic()
                    if left <= 0:
                        return False
                    self._idle.wait(min(left, 0.05))
                    self._wake.set()
            return True
        finally:
            with self._idle:
                self._flush_waiters -= 1

    def shutdown(self, timeout: float) -> bool:
        """Sends what it can within ``timeout`` s, then stops the thread; later events are dropped."""
        end = time.monotonic() + max(timeout, 0.0)
        self._deadline = end
        flushed = self.flush(timeout)
        with self._lock:
            self._closed = True
            left = len(self._q)
            self._q.clear()
            if left:
                self._count_drop("shutdown", left)
            thread = self._thread
        self._stop.set()
        self._wake.set()
        if thread is not None and thread is not threading.current_thread():
            thread.join(max(end - time.monotonic(), 0.0))
        if self._file is not None:
            self._file.close()
        return flushed

    def stats(self) -> Dict[str, Any]:
        with self._lock:
            dropped = dict(self._dropped)
            queued = len(self._q) + self._inflight
        return {
            "queued": queued,
            "sent": self._sent,
            "rejected": self._rejected,
            "dropped": sum(dropped.values()),
            "dropped_by_reason": dropped,
            "retried": self._retried,
            "requests": self._requests,
            "last_status": self._last_status,
        }

    def _count_drop(self, reason: str, n: int) -> None:
        self._dropped[reason] = self._dropped.get(reason, 0) + n

    # -- worker thread --------------------------------------------------------------------------
    def _run(self) -> None:
        while True:
            self._wake.wait(self._cfg.flush_interval)
            self._wake.clear()
            try:
                self._drain()
            except Exception:  # never let the thread die: log and go on
                log.exception("llm_observer: sender error")
                with self._lock:
                    self._inflight = 0
            with self._idle:
                self._idle.notify_all()
            if self._stop.is_set():
                return

    def _drain(self) -> None:
        while True:
            with self._lock:
                take = min(len(self._q), self._cfg.batch_max_events)
                if take == 0:
                    return
                q = self._q
                events = [q.popleft() for _ in range(take)]
                self._inflight = take
            lines = self._serialise(events)
            if lines and self._file is not None:
                try:
                    self._file.write(lines)
                except OSError as exc:
                    self._log_once("file", "llm_observer: cannot write %s: %s", self._file.path, exc)
            if lines and self._http is not None:
                self._send_lines(lines)
            with self._lock:
                self._inflight = 0
            with self._idle:
                self._idle.notify_all()

    def _serialise(self, events: List[Dict[str, Any]]) -> List[bytes]:
        lines = []
        encode = _ENCODER.encode
        for n, ev in enumerate(events):
            if n % 256 == 255:
                time.sleep(0)  # hand the GIL to application threads now and then within a long batch
            if ev.get("event_id") is None:
                ev["event_id"] = new_event_id()
            ts = ev.get("timestamp")
            if isinstance(ts, float):
                ev["timestamp"] = utc_timestamp(ts)
            try:
                line = encode(ev).encode("utf-8")
            except (TypeError, ValueError):
                self._count_drop("unserialisable", 1)
                continue
            if len(line) > MAX_EVENT_BYTES:
                self._count_drop("too_large", 1)
                continue
            lines.append(line)
        return lines

    def _send_lines(self, lines: List[bytes]) -> None:
        group: List[bytes] = []
        size = 0
        for line in lines:
            if group and size + len(line) + 1 > MAX_RAW_BATCH_BYTES:
                self._send_group(group)
                group, size = [], 0
            group.append(line)
            size += len(line) + 1
        if group:
            self._send_group(group)

    def _send_group(self, lines: List[bytes]) -> None:
        body = gzip.compress(b'{"events":[' + b",".join(lines) + b"]}", self._cfg.gzip_level, mtime=0)
        if len(body) > self._cfg.batch_max_bytes:
            if len(lines) == 1:
                self._count_drop("too_large", 1)
                return
            mid = len(lines) // 2
            self._send_group(lines[:mid])
            self._send_group(lines[mid:])
            return
        self._post(body, len(lines))

    def _post(self, body: bytes, n: int) -> None:
        cfg = self._cfg
        attempt = 0
        assert self._http is not None
        while True:
            timeout = cfg.request_timeout
            if self._deadline is not None:
                timeout = min(timeout, self._deadline - time.monotonic())
                if timeout <= 0:
                    self._count_drop("shutdown", n)
                    return
            status: Optional[int] = None
            headers: Mapping[str, str] = {}
            data = b""
            self._requests += 1
            try:
                status, headers, data = self._http.post(body, timeout)
            except Exception as exc:  # network error, DNS failure, timeout, reset
                self._log_once("net:" + type(exc).__name__, "llm_observer: cannot reach the endpoint (%s)", type(exc).__name__)
            self._last_status = status
            if status in _OK_STATUSES:
                rejected = _rejected_count(data)
                self._rejected += rejected
                self._sent += n - rejected
                if rejected:
                    self._log_once("rejected", "llm_observer: the endpoint rejected %d event(s) of a batch", rejected)
                return
            if status is not None and status not in RETRY_STATUSES:
                self._rejected += n
                self._log_once(
                    "status:%d" % status,
                    "llm_observer: the endpoint answered %d (%s); %d event(s) not sent, not retried",
                    status,
                    _error_code(data),
                    n,
                )
                return
            attempt += 1
            if attempt > cfg.max_retries:
                self._count_drop("retries_exhausted", n)
                return
            self._retried += 1
            delay = retry_after_seconds(headers.get("Retry-After")) if status is not None else None
            if delay is None:
                delay = min(cfg.backoff_max, cfg.backoff_base * 2 ** (attempt - 1)) * random.uniform(0.5, 1.0)
            else:
                delay = min(delay, cfg.retry_after_max)
            if self._deadline is not None and time.monotonic() + delay >= self._deadline:
                self._count_drop("shutdown", n)
                return
            if self._stop.wait(delay):
                self._count_drop("shutdown", n)
                return

    def _log_once(self, key: str, msg: str, *args: Any) -> None:
        if key not in self._logged:
            self._logged.add(key)
            log.warning(msg, *args)


def _rejected_count(data: bytes) -> int:
    try:
        body = json.loads(data)
        rejected = body.get("rejected") if isinstance(body, dict) else None
        return len(rejected) if isinstance(rejected, list) else 0
    except (ValueError, TypeError):
        return 0


def _error_code(data: bytes) -> str:
    try:
        body = json.loads(data)
        return str(body["error"]["code"])[:64]
    except Exception:
        return "no error code"
