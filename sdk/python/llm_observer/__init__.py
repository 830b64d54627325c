"""llm_observer: one telemetry event per LLM call (provider, model, tokens, cost, latency, status,
trace ids; never prompt or completion text), aggregated locally and, when configured, sent in the
background to an LLM Observer ingest endpoint. Nothing here ever raises into, or blocks, your code."""

from __future__ import annotations

from typing import Any, Dict, List, Optional

from ._event import SCHEMA_VERSION
from ._providers import instrument_anthropic, instrument_openai
from ._runtime import runtime as _runtime
from ._span import Span, observe
from ._trace import continue_trace
from ._version import __version__

__all__ = [
    "SCHEMA_VERSION",
    "Span",
    "__version__",
    "continue_trace",
    "flush",
    "init",
    "instrument_anthropic",
    "instrument_openai",
    "observe",
    "set_price",
    "shutdown",
    "stats",
    "summary",
]


def init(
    api_key: Optional[str] = None,
    endpoint: Optional[str] = None,
    environment: Optional[str] = None,
    **settings: Any,
) -> None:
    """Configures the SDK (arguments override ``LLM_OBSERVER_*`` environment variables).

    Without an endpoint and key, events stay in this process (``summary()``) and in the JSONL
    ``file`` if one is set. See the README for every setting. Calling it again replaces the settings.
    """
    try:
        _runtime.configure({"api_key": api_key, "endpoint": endpoint, "environment": environment, **settings})
    except Exception:  # fail-open, even for a broken call
        import logging

        logging.getLogger("llm_observer").exception("llm_observer.init failed; events stay local")


def flush(timeout: float = 5.0) -> bool:
    """Waits up to ``timeout`` seconds until every event queued so far is sent (or dropped); True if done."""
    try:
        return _runtime.flush(timeout)
    except Exception:
        return False


def shutdown(timeout: Optional[float] = None) -> bool:
    """Flushes within ``timeout`` (default: the ``shutdown_timeout`` setting) and stops the sender.
    Runs by itself at interpreter exit."""
    try:
        return _runtime.shutdown(timeout)
    except Exception:
        return False


def stats() -> Dict[str, Any]:
    """Sender counters: queued, sent, rejected (refused by the endpoint), dropped (with
    ``dropped_by_reason``), retried, requests, last_status."""
    return _runtime.stats()


def summary(by: str = "model") -> List[Dict[str, Any]]:
    """This process's calls, errors, tokens, cost and p50/p95/p99 latency, grouped ``by`` provider,
    model, operation or environment."""
    return _runtime.aggregator.summary(by)


def set_price(provider: str, model: str, **per_million_tokens: float) -> None:
    """Overrides one model's price (USD per 1M tokens): ``input``, ``output``, ``cache_read``, ``cache_write``."""
    _runtime.prices.set_price(provider, model, **per_million_tokens)
