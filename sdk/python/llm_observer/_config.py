"""SDK settings: keyword arguments to ``init()`` over ``LLM_OBSERVER_*`` environment variables over
defaults. A bad value is logged and replaced by its default, never raised into the application."""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass, field, fields
from typing import Any, Dict, Mapping, Optional
from urllib.parse import urlsplit

log = logging.getLogger("llm_observer")

MIB = 1024 * 1024


@dataclass
class Config:
    api_key: Optional[str] = None
    endpoint: Optional[str] = None
    environment: Optional[str] = None
    file: Optional[str] = None
    enabled: bool = True
    attributes: Dict[str, Any] = field(default_factory=dict)
    capture_error_messages: bool = False
    max_queue_size: int = 10_000
    batch_max_events: int = 1000
    batch_max_bytes: int = MIB
    flush_interval: float = 1.0
    request_timeout: float = 10.0
    max_retries: int = 5
    backoff_base: float = 0.5
    backoff_max: float = 30.0
    retry_after_max: float = 60.0
    shutdown_timeout: float = 2.0
    gzip_level: int = 6


_ENV = {
    "api_key": "LLM_OBSERVER_API_KEY",
    "endpoint": "LLM_OBSERVER_ENDPOINT",
    "environment": "LLM_OBSERVER_ENVIRONMENT",
    "file": "LLM_OBSERVER_FILE",
    "flush_interval": "LLM_OBSERVER_FLUSH_INTERVAL",
    "max_queue_size": "LLM_OBSERVER_MAX_QUEUE_SIZE",
    "shutdown_timeout": "LLM_OBSERVER_SHUTDOWN_TIMEOUT",
}

# (minimum, maximum) of every numeric setting.
_BOUNDS = {
    "max_queue_size": (1, 10_000_000),
    "batch_max_events": (1, 1000),
    "batch_max_bytes": (1024, MIB),
    "flush_interval": (0.01, 3600.0),
    "request_timeout": (0.1, 600.0),
    "max_retries": (0, 100),
    "backoff_base": (0.0, 600.0),
    "backoff_max": (0.0, 3600.0),
    "retry_after_max": (0.0, 3600.0),
    "shutdown_timeout": (0.0, 600.0),
    "gzip_level": (0, 9),
}


def build_config(overrides: Mapping[str, Any], environ: Mapping[str, str] = os.environ) -> Config:
    """Merges ``overrides`` (init's keyword arguments) over the environment over defaults."""
    cfg = Config()
    known = {f.name: f for f in fields(Config)}
    raw: Dict[str, Any] = {}
    for name, var in _ENV.items():
        if environ.get(var):
            raw[name] = environ[var]
    if environ.get("LLM_OBSERVER_DISABLED", "").lower() in ("1", "true", "yes"):
        raw["enabled"] = False
    for name, value in overrides.items():
        if name not in known:
            log.warning("llm_observer.init: unknown setting %r ignored", name)
            continue
        if value is not None:
            raw[name] = value
    for name, value in raw.items():
        default = getattr(cfg, name)
        try:
            setattr(cfg, name, _coerce(name, value, default))
        except (TypeError, ValueError) as exc:
            log.warning("llm_observer: setting %s ignored (%s); using %r", name, exc, default)
    if cfg.endpoint is not None:
        parts = urlsplit(cfg.endpoint)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            log.warning("llm_observer: endpoint must be an http(s) URL; events stay local")
            cfg.endpoint = None
    if cfg.endpoint and not cfg.api_key:
        log.warning("llm_observer: an endpoint without an API key; events stay local")
        cfg.endpoint = None
    return cfg


def _coerce(name: str, value: Any, default: Any) -> Any:
    if name == "attributes":
        if not isinstance(value, Mapping):
            raise TypeError("a mapping is needed")
        return dict(value)
    if isinstance(default, bool) or name == "enabled":
        if isinstance(value, str):
            return value.lower() in ("1", "true", "yes")
        return bool(value)
    if name in _BOUNDS:
        lo, hi = _BOUNDS[name]
        number = int(value) if isinstance(_BOUNDS[name][0], int) and isinstance(default, int) else float(value)
        if not lo <= number <= hi:
            raise ValueError("must be within [%s, %s]" % (lo, hi))
        return number
    if not isinstance(value, str):
        raise TypeError("a string is needed")
    return value or None
