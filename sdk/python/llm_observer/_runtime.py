"""Process-wide state: settings, the aggregator, the price table and the sender; ``emit`` is the
one path every event takes. Configured from the environment on first use unless ``init()`` ran."""

from __future__ import annotations

import atexit
import logging
import os
import threading
from typing import Any, Dict, Mapping, Optional

from ._aggregator import Aggregator
from ._config import Config, build_config
from ._prices import PriceTable
from ._sender import Sender

log = logging.getLogger("llm_observer")


class Runtime:
    def __init__(self) -> None:
        self.config: Optional[Config] = None
        self.aggregator = Aggregator()
        self.prices = PriceTable()
        self.sender: Optional[Sender] = None
        self._lock = threading.Lock()

    def config_or_default(self) -> Config:
        cfg = self.config
        if cfg is None:
            cfg = self.configure({})
        return cfg

    def configure(self, overrides: Mapping[str, Any]) -> Config:
        """Applies settings; a previous sender is flushed (briefly) and replaced."""
        overrides = dict(overrides)
        prices = overrides.pop("prices", None)
        cfg = build_config(overrides)
        with self._lock:
            old, self.sender = self.sender, None
            self.config = cfg
            if cfg.enabled and (cfg.endpoint or cfg.file):
                self.sender = Sender(cfg)
        if old is not None:
            old.shutdown(min(cfg.shutdown_timeout, 1.0))
        if prices:
            try:
                self.prices.update(prices)
            except Exception as exc:
                log.warning("llm_observer: prices ignored (%s)", exc)
        return cfg

    def emit(self, event: Dict[str, Any]) -> None:
        cfg = self.config
        if cfg is None:
            cfg = self.configure({})
        if not cfg.enabled:
            return
        try:
            self.aggregator.add(event)
        except Exception:
            pass
        sender = self.sender
        if sender is not None:
            try:
                sender.enqueue(event)
            except Exception:
                pass

    def flush(self, timeout: float) -> bool:
        sender = self.sender
        return True if sender is None else sender.flush(timeout)

    def shutdown(self, timeout: Optional[float] = None) -> bool:
        sender = self.sender
        if sender is None:
            return True
        if timeout is None:
            timeout = self.config_or_default().shutdown_timeout
        return sender.shutdown(timeout)

    def stats(self) -> Dict[str, Any]:
        sender = self.sender
        if sender is not None:
            return sender.stats()
        return {"queued": 0, "sent": 0, "rejected": 0, "dropped": 0, "dropped_by_reason": {}, "retried": 0,
                "requests": 0, "last_status": None}

    def _after_fork_in_child(self) -> None:
        self._lock = threading.Lock()
        self.aggregator.reset()
        self.prices._lock = threading.Lock()
        if self.sender is not None:
            self.sender.after_fork_in_child()

    def _at_exit(self) -> None:
        try:
            self.shutdown()
        except Exception:
            pass


runtime = Runtime()
atexit.register(runtime._at_exit)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=runtime._after_fork_in_child)
