"""Shared fixtures: a clean SDK runtime per test, fake servers, and the contract's JSON Schema."""

from __future__ import annotations

import json
from importlib import resources
from pathlib import Path
from typing import Any, Callable, Dict, Iterator, List

import jsonschema
import pytest

import llm_observer
from llm_observer._runtime import runtime

from .fake_servers import FakeAnthropic, FakeIngest, FakeOpenAI


@pytest.fixture(autouse=True)
def clean_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    for var in ("LLM_OBSERVER_API_KEY", "LLM_OBSERVER_ENDPOINT", "LLM_OBSERVER_FILE", "LLM_OBSERVER_ENVIRONMENT",
                "LLM_OBSERVER_DISABLED"):
        monkeypatch.delenv(var, raising=False)
    runtime.configure({})
    runtime.aggregator.reset()
    yield
    runtime.shutdown(0.5)
    runtime.configure({})
    runtime.aggregator.reset()


@pytest.fixture
def ingest() -> Iterator[FakeIngest]:
    server = FakeIngest()
    yield server
    server.close()


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI()
    yield server
    server.close()


@pytest.fixture
def fake_anthropic() -> Iterator[FakeAnthropic]:
    server = FakeAnthropic()
    yield server
    server.close()


@pytest.fixture(scope="session")
def event_schema() -> Dict[str, Any]:
    text = resources.files("llm_observer").joinpath("schema/telemetry_event_v1.json").read_text("utf-8")
    return json.loads(text)


@pytest.fixture
def assert_valid(event_schema: Dict[str, Any]) -> Callable[[Dict[str, Any]], None]:
    validator = jsonschema.Draft202012Validator(event_schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER)

    def check(event: Dict[str, Any]) -> None:
        errors = sorted(validator.iter_errors(event), key=lambda e: list(e.path))
        assert not errors, [f"{list(e.path)}: {e.message}" for e in errors]

    return check


@pytest.fixture
def jsonl(tmp_path: Path) -> Callable[[], List[Dict[str, Any]]]:
    """Routes events to a JSONL file; calling the fixture flushes and returns them."""
    path = tmp_path / "events.jsonl"
    llm_observer.init(file=str(path), environment="test")

    def read() -> List[Dict[str, Any]]:
        assert llm_observer.flush(10)
        if not path.exists():
            return []
        return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line]

    read.path = path  # type: ignore[attr-defined]
    return read
