"""In-process aggregation of events: calls, errors, tokens, cost and latency percentiles per
provider/model/operation/environment (the same numbers ``python -m llm_observer report`` prints)."""

from __future__ import annotations

import threading
from typing import Any, Dict, List, Mapping, Optional, Tuple

from ._histogram import Histogram, merge, percentiles, record

DIMENSIONS = ("provider", "model", "operation", "environment")
_Key = Tuple[str, str, str, Optional[str]]


class _Row:
    __slots__ = ("calls", "errors", "input_tokens", "output_tokens", "cache_read", "cache_write", "cost", "hist")

    def __init__(self) -> None:
        self.calls = 0
        self.errors = 0
        self.input_tokens = 0
        self.output_tokens = 0
        self.cache_read = 0
        self.cache_write = 0
        self.cost = 0.0
        self.hist: Histogram = {}

    def add_row(self, other: "_Row") -> None:
        self.calls += other.calls
        self.errors += other.errors
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.cache_read += other.cache_read
        self.cache_write += other.cache_write
        self.cost += other.cost
        merge(self.hist, other.hist)


class Aggregator:
    """Thread-safe running totals; ``summary(by=...)`` groups them by one dimension."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: Dict[_Key, _Row] = {}

    def reset(self) -> None:
        """Forgets everything (also used in a forked child, whose lock may have been held at fork)."""
        self._lock = threading.Lock()
        self._rows = {}

    def add(self, event: Mapping[str, Any]) -> None:
        key = (event["provider"], event["model"], event["operation"], event.get("environment"))
        usage = event.get("usage")
        duration = event.get("duration_ms")
        with self._lock:
            row = self._rows.get(key)
            if row is None:
                row = self._rows[key] = _Row()
            row.calls += 1
            if event["status"] == "error":
                row.errors += 1
            if usage:
                row.input_tokens += usage.get("input_tokens", 0)
                row.output_tokens += usage.get("output_tokens", 0)
                row.cache_read += usage.get("cache_read_input_tokens", 0)
                row.cache_write += usage.get("cache_creation_input_tokens", 0)
            cost = event.get("cost_usd")
            if cost:
                row.cost += cost
            if duration is not None:
                record(row.hist, duration)

    def summary(self, by: str = "model") -> List[Dict[str, Any]]:
        """One dict per value of ``by`` (provider, model, operation or environment), most calls first."""
        if by not in DIMENSIONS:
            raise ValueError("by must be one of %s" % ", ".join(DIMENSIONS))
        pos = DIMENSIONS.index(by)
        groups: Dict[Optional[str], _Row] = {}
        with self._lock:
            for key, row in self._rows.items():
                group = groups.get(key[pos])
                if group is None:
                    group = groups[key[pos]] = _Row()
                group.add_row(row)
        out = [_as_dict(by, k, r) for k, r in groups.items()]
        out.sort(key=lambda d: (-d["calls"], str(d[by])))
        return out


def _as_dict(by: str, key: Optional[str], row: _Row) -> Dict[str, Any]:
    d: Dict[str, Any] = {
        by: key,
        "calls": row.calls,
        "errors": row.errors,
        "error_rate": row.errors / row.calls if row.calls else 0.0,
        "input_tokens": row.input_tokens,
        "output_tokens": row.output_tokens,
        "cache_read_input_tokens": row.cache_read,
        "cache_creation_input_tokens": row.cache_write,
        "cost_usd": row.cost,
    }
    d.update({k + "_ms": v for k, v in percentiles(row.hist).items()})
    return d
