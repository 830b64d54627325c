"""Builds telemetry events v1: ids, UTC timestamps, and values clamped into the contract's bounds.

Everything here is total: whatever the caller passes, the result is a valid event v1 (or the value
is left out), so the sender never ships an event the service would refuse.
"""

from __future__ import annotations

import math
import random
import re
import time
from typing import Any, Dict, Iterable, List, Mapping, Optional, Union

from ._version import __version__

SCHEMA_VERSION = "1.0"
SDK_INFO = {"name": "llm_observer", "version": __version__, "language": "python"}

MAX_MODEL = 256
MAX_ERROR_TYPE = 256
MAX_ERROR_MESSAGE = 4096
MAX_OPAQUE_ID = 256
MAX_ENVIRONMENT = 64
MAX_FINISH_REASONS = 16
MAX_FINISH_REASON = 64
MAX_MAP_ENTRIES = 64
MAX_MAP_KEY = 128
MAX_MAP_STRING = 1024
MAX_DURATION_MS = 86_400_000.0
MAX_TOKENS = 1_000_000_000_000
MAX_COST_USD = 1_000_000.0
RESERVED_KEYS = frozenset(("__proto__", "constructor", "prototype"))

_OPERATION_RE = re.compile(r"[a-z0-9_.]{1,64}\Z")
_PROVIDER_RE = re.compile(r"[a-z0-9_.-]{1,64}\Z")
_MAP_KEY_RE = re.compile(r"[A-Za-z0-9_.:-]{1,128}\Z")
_NOT_OPERATION = re.compile(r"[^a-z0-9_.]")
_NOT_PROVIDER = re.compile(r"[^a-z0-9_.-]")
_NOT_MAP_KEY = re.compile(r"[^A-Za-z0-9_.:-]")

Scalar = Union[str, int, float, bool]


def new_event_id() -> str:
    """A UUIDv7 (time-ordered, 74 random bits): unique per project, and sortable by time."""
    ms = time.time_ns() // 1_000_000 & 0xFFFFFFFFFFFF
    r = random.getrandbits(74)  # the random module reseeds itself in a forked child
    h = "%012x%04x%04x%012x" % (ms, 0x7000 | r >> 62, 0x8000 | (r >> 48) & 0x3FFF, r & 0xFFFFFFFFFFFF)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


_last_second = -1
_last_prefix = ""


def utc_timestamp(epoch_seconds: float) -> str:
    """RFC 3339 in UTC with millisecond precision and a 'Z' suffix, e.g. 2026-11-25T12:00:00.000Z."""
    global _last_second, _last_prefix
    second = int(epoch_seconds)
    millis = int((epoch_seconds - second) * 1000)
    if second != _last_second:
        _last_prefix = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        _last_second = second
        prefix = _last_prefix
    else:
        prefix = _last_prefix
    return "%s.%03dZ" % (prefix, min(max(millis, 0), 999))


def clean_operation(value: Any) -> str:
    """gen_ai.operation.name: lower-case ``[a-z0-9_.]{1,64}``; anything else is normalised."""
    s = value if isinstance(value, str) else str(value)
    if _OPERATION_RE.match(s):
        return s
    s = _NOT_OPERATION.sub("_", s.lower())[:64]
    return s or "unknown"


def clean_provider(value: Any) -> str:
    """gen_ai.provider.name: lower-case ``[a-z0-9_.-]{1,64}``; anything else is normalised."""
    s = value if isinstance(value, str) else str(value)
    if _PROVIDER_RE.match(s):
        return s
    s = _NOT_PROVIDER.sub("_", s.lower())[:64]
    return s or "unknown"


def clean_text(value: Any, max_len: int, default: Optional[str] = None) -> Optional[str]:
    """A string cut to ``max_len`` code points; empty or None gives ``default``."""
    if value is None:
        return default
    s = value if isinstance(value, str) else _safe_str(value)
    if not s:
        return default
    return s[:max_len]


def clean_ms(value: Any) -> Optional[float]:
    """Milliseconds within [0, one day], or None for anything that is not a finite number."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return min(max(float(value), 0.0), MAX_DURATION_MS)


def clean_tokens(value: Any) -> Optional[int]:
    """A token counter: a non-negative integer up to 10^12, or None."""
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, float):
        if not math.isfinite(value):
            return None
        value = int(value)
    if not isinstance(value, int):
        return None
    return min(max(value, 0), MAX_TOKENS)


def clean_cost(value: Any) -> Optional[float]:
    """Cost in USD within [0, 10^6], or None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        return None
    return min(max(float(value), 0.0), MAX_COST_USD)


def clean_finish_reasons(values: Iterable[Any]) -> List[str]:
    """At most 16 non-empty reasons of at most 64 code points."""
    out: List[str] = []
    for v in values:
        s = clean_text(v, MAX_FINISH_REASON)
        if s:
            out.append(s)
            if len(out) == MAX_FINISH_REASONS:
                break
    return out


def _safe_str(value: Any) -> str:
    try:
        return str(value)
    except Exception:  # a __str__ that raises must not reach the application
        return "<%s>" % type(value).__name__


def _clean_key(key: Any) -> Optional[str]:
    k = key if isinstance(key, str) else _safe_str(key)
    if not _MAP_KEY_RE.match(k):
        k = _NOT_MAP_KEY.sub("_", k)[:MAX_MAP_KEY]
    if not k or k in RESERVED_KEYS:
        return None
    return k


def _clean_scalar(value: Any) -> Scalar:
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return value if -(2**53) <= value <= 2**53 else str(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else str(value)
    s = value if isinstance(value, str) else _safe_str(value)
    return s[:MAX_MAP_STRING]


def clean_flat_map(values: Mapping[Any, Any], into: Optional[Dict[str, Scalar]] = None) -> Dict[str, Scalar]:
    """A flat map for ``attributes``/``analysis``: nested mappings become dotted keys, other values
    strings (cut to 1024), keys ``[A-Za-z0-9_.:-]{1,128}``, at most 64 entries (later ones are left out)."""
    out: Dict[str, Scalar] = {} if into is None else into
    try:
        items = list(values.items())
    except Exception:
        return out
    _flatten(items, "", out, 0)
    return out


def _flatten(items: List[Any], prefix: str, out: Dict[str, Scalar], depth: int) -> None:
    for key, value in items:
        if len(out) >= MAX_MAP_ENTRIES:
            return
        k = _clean_key(prefix + (key if isinstance(key, str) else _safe_str(key)))
        if k is None:
            continue
        if isinstance(value, Mapping) and depth < 4:
            try:
                nested = list(value.items())
            except Exception:
                nested = []
            _flatten(nested, k + ".", out, depth + 1)
        elif value is not None:
            out[k] = _clean_scalar(value)
