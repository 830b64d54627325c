"""Cost of a call from the versioned price table shipped in ``prices.json`` (USD per million tokens),
with user overrides taking precedence."""

from __future__ import annotations

import json
import threading
from importlib import resources
from typing import Any, Dict, Mapping, Optional, Tuple

Price = Dict[str, float]


def _load_builtin() -> Tuple[str, Dict[str, Dict[str, Price]]]:
    raw = json.loads(resources.files(__package__).joinpath("prices.json").read_text("utf-8"))
    return str(raw["version"]), {p: dict(models) for p, models in raw["providers"].items()}


class PriceTable:
    """Looks up a model's price by provider and the longest matching model-name prefix
    (``gpt-4o-mini-2024-07-18`` uses ``gpt-4o-mini``); unknown models cost nothing (cost left out)."""

    def __init__(self) -> None:
        self.version, self._builtin = _load_builtin()
        self._overrides: Dict[str, Dict[str, Price]] = {}
        self._cache: Dict[Tuple[str, str], Optional[Price]] = {}
        self._lock = threading.Lock()

    def set_price(self, provider: str, model: str, **per_million: float) -> None:
        """Overrides one model's prices: ``input``, ``output``, ``cache_read``, ``cache_write`` (USD per 1M tokens)."""
        with self._lock:
            self._overrides.setdefault(provider, {})[model] = {k: float(v) for k, v in per_million.items()}
            self._cache = {}

    def update(self, prices: Mapping[str, Mapping[str, Mapping[str, float]]]) -> None:
        """Overrides many: ``{provider: {model: {"input": .., "output": ..}}}``."""
        for provider, models in prices.items():
            for model, price in models.items():
                self.set_price(provider, model, **price)

    def lookup(self, provider: str, model: str) -> Optional[Price]:
        key = (provider, model)
        try:
            return self._cache[key]
        except KeyError:
            pass
        found = _longest_prefix(self._overrides.get(provider, {}), model)
        if found is None:
            found = _longest_prefix(self._builtin.get(provider, {}), model)
        self._cache[key] = found
        return found

    def cost(self, provider: str, model: str, usage: Mapping[str, Any]) -> Optional[float]:
        """USD for a call's usage (input_tokens counts every input token, cached ones included)."""
        price = self.lookup(provider, model)
        if price is None:
            return None
        inp = usage.get("input_tokens") or 0
        out = usage.get("output_tokens") or 0
        read = usage.get("cache_read_input_tokens") or 0
        write = usage.get("cache_creation_input_tokens") or 0
        base_in = price.get("input", 0.0)
        plain = max(inp - read - write, 0)
        total = (
            plain * base_in
            + read * price.get("cache_read", base_in)
            + write * price.get("cache_write", base_in)
            + out * price.get("output", 0.0)
        )
        return total / 1_000_000


def _longest_prefix(models: Mapping[str, Price], model: str) -> Optional[Price]:
    exact = models.get(model)
    if exact is not None:
        return exact
    best: Optional[str] = None
    for name in models:
        if model.startswith(name) and (best is None or len(name) > len(best)):
            best = name
    return None if best is None else models[best]
