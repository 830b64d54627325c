"""Mergeable log-bucketed latency histogram, the same arithmetic the LLM Observer service uses.

Bucket ``i`` holds values ``v`` with ``gamma**(i-1) < v <= gamma**i`` where
``gamma = (1 + alpha) / (1 - alpha)`` and ``alpha = 0.01``; a bucket is reported as
``2 * gamma**i / (gamma + 1)``, within 1 % of every value in it. A quantile ``q`` is the value at
0-based rank ``floor(q * (n - 1))`` of the sorted observations, so local reports and the service's
dashboards agree within that 1 %.
"""

from __future__ import annotations

import math
from typing import Dict, Iterable, Mapping, Optional

RELATIVE_ACCURACY = 0.01
GAMMA = (1 + RELATIVE_ACCURACY) / (1 - RELATIVE_ACCURACY)
_LN_GAMMA = math.log(GAMMA)
MIN_TRACKED_MS = 0.001
MAX_TRACKED_MS = 1e9
ZERO_BUCKET = -32768
MAX_BUCKET = math.ceil(math.log(MAX_TRACKED_MS) / _LN_GAMMA)

Histogram = Dict[int, int]


def bucket_index(value_ms: float) -> int:
    """Bucket index of a latency in milliseconds (zero bucket for tiny, negative or NaN values)."""
    if not value_ms > MIN_TRACKED_MS:
        return ZERO_BUCKET
    return min(math.ceil(math.log(value_ms) / _LN_GAMMA), MAX_BUCKET)


def bucket_value(index: int) -> float:
    """Representative value (ms) of a bucket."""
    if index <= ZERO_BUCKET:
        return 0.0
    return 2 * GAMMA**index / (GAMMA + 1)


def record(hist: Histogram, value_ms: float) -> None:
    """Adds one observation to ``hist`` in place."""
    i = bucket_index(value_ms)
    hist[i] = hist.get(i, 0) + 1


def histogram_of(values: Iterable[float]) -> Histogram:
    """A histogram of the given values."""
    hist: Histogram = {}
    for v in values:
        record(hist, v)
    return hist


def merge(target: Histogram, other: Mapping[int, int]) -> Histogram:
    """Adds ``other``'s counts into ``target`` and returns it."""
    for i, c in other.items():
        target[i] = target.get(i, 0) + c
    return target


def quantile(hist: Mapping[int, int], q: float) -> Optional[float]:
    """Quantile ``q`` in [0, 1] in ms, or None when the histogram is empty."""
    entries = sorted((i, c) for i, c in hist.items() if c > 0)
    n = sum(c for _, c in entries)
    if n == 0:
        return None
    rank = math.floor(min(1.0, max(0.0, q)) * (n - 1))
    seen = 0
    for i, c in entries:
        seen += c
        if seen > rank:
            return bucket_value(i)
    return bucket_value(entries[-1][0])


def percentiles(hist: Mapping[int, int]) -> Dict[str, Optional[float]]:
    """p50, p95 and p99 in ms (None without data)."""
    return {"p50": quantile(hist, 0.5), "p95": quantile(hist, 0.95), "p99": quantile(hist, 0.99)}
