"""W3C trace context: the active trace/span ids for new events (from ``observe()`` spans, an
incoming ``traceparent`` header, or an active OpenTelemetry span when that package is in use)."""

from __future__ import annotations

import random
import re
import sys
from contextvars import ContextVar
from typing import Any, Optional, Tuple

TraceContext = Tuple[str, str]  # (trace_id: 32 hex, span_id: 16 hex)

_current: ContextVar[Optional[TraceContext]] = ContextVar("llm_observer_trace", default=None)
_TRACEPARENT = re.compile(r"[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-[0-9a-f]{2}\Z")


def new_trace_id() -> str:
    return "%032x" % (random.getrandbits(128) or 1)


def new_span_id() -> str:
    return "%016x" % (random.getrandbits(64) or 1)


def current() -> Optional[TraceContext]:
    """The active (trace_id, span_id), or None when no trace is active."""
    ctx = _current.get()
    if ctx is not None:
        return ctx
    otel = sys.modules.get("opentelemetry.trace")
    if otel is not None:
        return _from_otel(otel)
    return None


def _from_otel(otel: Any) -> Optional[TraceContext]:
    try:
        sc = otel.get_current_span().get_span_context()
        if sc.is_valid:
            return "%032x" % sc.trace_id, "%016x" % sc.span_id
    except Exception:
        pass
    return None


def parse_traceparent(header: str) -> Optional[TraceContext]:
    """(trace_id, parent span_id) from a W3C ``traceparent`` header, or None when malformed."""
    m = _TRACEPARENT.match(header.strip().lower()) if isinstance(header, str) else None
    if not m or set(m.group(1)) == {"0"} or set(m.group(2)) == {"0"}:
        return None
    return m.group(1), m.group(2)


def activate(ctx: Optional[TraceContext]) -> Any:
    return _current.set(ctx)


def deactivate(token: Any) -> None:
    try:
        _current.reset(token)
    except ValueError:  # reset from another context (e.g. a generator closed elsewhere)
        _current.set(None)


class continue_trace:
    """``with llm_observer.continue_trace(request.headers["traceparent"]):`` — events inside join
    the caller's trace. A missing or malformed header leaves the context unchanged."""

    def __init__(self, traceparent: Optional[str]) -> None:
        self._ctx = parse_traceparent(traceparent) if traceparent else None
        self._token: Any = None

    def __enter__(self) -> Optional[TraceContext]:
        if self._ctx is not None:
            self._token = activate(self._ctx)
        return self._ctx

    def __exit__(self, *exc: Any) -> None:
        if self._token is not None:
            deactivate(self._token)
            self._token = None
