"""Public surface: settings from the environment, bad settings never raise, observe as a decorator,
the shipped schema and price table, event ids and timestamps."""

from __future__ import annotations

import asyncio
import json
import re
from importlib import resources

import pytest

import llm_observer
from llm_observer._config import build_config
from llm_observer._event import new_event_id, utc_timestamp
from llm_observer._runtime import runtime


def test_settings_come_from_the_environment_and_arguments_win():
    env = {"LLM_OBSERVER_API_KEY": "lok_a.b", "LLM_OBSERVER_ENDPOINT": "https://ingest.example", "LLM_OBSERVER_FILE": "/tmp/x",
           "LLM_OBSERVER_ENVIRONMENT": "staging", "LLM_OBSERVER_FLUSH_INTERVAL": "2.5"}
    cfg = build_config({}, env)
    assert (cfg.api_key, cfg.endpoint, cfg.file, cfg.environment, cfg.flush_interval) == (
        "lok_a.b", "https://ingest.example", "/tmp/x", "staging", 2.5)
    assert build_config({"environment": "prod"}, env).environment == "prod"
    assert build_config({}, {**env, "LLM_OBSERVER_DISABLED": "1"}).enabled is False


def test_bad_settings_are_logged_not_raised(caplog):
    cfg = build_config({"max_queue_size": -1, "flush_interval": "soon", "batch_max_events": 5000, "nope": 1,
                        "endpoint": "ftp://x", "attributes": 3}, {})
    assert (cfg.max_queue_size, cfg.flush_interval, cfg.batch_max_events, cfg.endpoint) == (10_000, 1.0, 1000, None)
    assert len([r for r in caplog.records if r.name == "llm_observer"]) >= 5
    assert build_config({"endpoint": "https://x"}, {}).endpoint is None  # no key: stays local
    llm_observer.init(api_key=123, endpoint=object(), max_retries="x")  # does not raise
    assert runtime.sender is None


def test_disabled_sdk_records_nothing():
    llm_observer.init(enabled=False)
    with llm_observer.observe(model="m"):
        pass
    assert llm_observer.summary() == []


def test_observe_as_decorator_sync_and_async(jsonl):
    @llm_observer.observe(provider="mistral", model="mistral-large", operation="chat", attributes={"route": "/a"})
    def call(x):
        return x * 2

    @llm_observer.observe(provider="cohere", model="command-r", operation="embeddings", session_id="s1", user_id="u1")
    async def acall():
        await asyncio.sleep(0)
        raise KeyError("k")

    assert call(21) == 42
    with pytest.raises(KeyError):
        asyncio.run(acall())
    sync_ev, async_ev = jsonl()
    assert (sync_ev["provider"], sync_ev["attributes"]) == ("mistral", {"route": "/a"})
    assert (async_ev["status"], async_ev["error"]["type"], async_ev["session_id"], async_ev["user_id"]) == (
        "error", "KeyError", "s1", "u1")
    assert sync_ev["trace_id"] != async_ev["trace_id"]


def test_the_exception_object_propagates_itself():
    boom = ValueError("x")
    with pytest.raises(ValueError) as caught:
        with llm_observer.observe(model="m"):
            raise boom
    assert caught.value is boom and boom.__context__ is None


def test_error_message_only_on_opt_in(jsonl):
    llm_observer.init(file=str(jsonl.path), capture_error_messages=True)  # type: ignore[attr-defined]
    with pytest.raises(RuntimeError):
        with llm_observer.observe(model="m"):
            raise RuntimeError("details")
    [ev] = jsonl()
    assert ev["error"] == {"type": "RuntimeError", "message": "details"}


def test_global_attributes_and_span_setters(jsonl):
    llm_observer.init(file=str(jsonl.path), attributes={"service": "api", "region": "eu"})  # type: ignore[attr-defined]
    with llm_observer.observe(model="m", attributes={"region": "us"}) as span:
        span.set_attribute("retry", False)
        span.set_analysis({"toxicity": 0.01, "pii_found": False})
        span.set_cost(0.5)
        span.mark_first_token()
    [ev] = jsonl()
    assert ev["attributes"] == {"service": "api", "region": "us", "retry": False}
    assert ev["analysis"] == {"toxicity": 0.01, "pii_found": False}
    assert ev["cost_usd"] == 0.5 and "time_to_first_token_ms" in ev


def test_ids_and_timestamps():
    ids = {new_event_id() for _ in range(10_000)}
    assert len(ids) == 10_000
    assert all(re.fullmatch(r"[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}", i) for i in ids)
    assert utc_timestamp(1764072000.5) == "2025-11-25T12:00:00.500Z"
    assert utc_timestamp(0.9999) == "1970-01-01T00:00:00.999Z"


def test_shipped_schema_and_price_table():
    schema = json.loads(resources.files("llm_observer").joinpath("schema/telemetry_event_v1.json").read_text("utf-8"))
    assert re.fullmatch(schema["properties"]["schema_version"]["pattern"], llm_observer.SCHEMA_VERSION)
    prices = json.loads(resources.files("llm_observer").joinpath("prices.json").read_text("utf-8"))
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", prices["version"])
    assert runtime.prices.lookup("openai", "gpt-4o-mini-2024-07-18") == prices["providers"]["openai"]["gpt-4o-mini"]
    assert runtime.prices.lookup("openai", "no-such-model") is None
