"""Local analysis: the in-process summary and ``python -m llm_observer report`` (--by, --since),
with percentiles from the same histogram the service uses (within its 1 % relative error)."""

from __future__ import annotations

import json
import math
import random
import subprocess
import sys
from pathlib import Path

import pytest

import llm_observer
from llm_observer import _histogram as H
from llm_observer.report import build_report, main, parse_time


def _exact(values, q):
    s = sorted(values)
    return s[math.floor(q * (len(s) - 1))]


def test_histogram_quantiles_are_within_one_percent_of_exact():
    rng = random.Random(7)
    values = [rng.lognormvariate(5, 1.5) for _ in range(20_000)]
    hist = H.histogram_of(values)
    for q in (0.5, 0.95, 0.99):
        assert H.quantile(hist, q) == pytest.approx(_exact(values, q), rel=H.RELATIVE_ACCURACY)
    assert H.quantile({}, 0.5) is None
    assert H.bucket_index(0) == H.bucket_index(-1) == H.bucket_index(float("nan")) == H.ZERO_BUCKET
    assert H.bucket_index(1e12) == H.MAX_BUCKET


def _event(ts, model="gpt-4o-mini", provider="openai", status="ok", duration=100.0, env="prod"):
    ev = {"schema_version": "1.0", "event_id": "e", "timestamp": ts, "operation": "chat", "provider": provider,
          "model": model, "status": status, "duration_ms": duration, "environment": env,
          "usage": {"input_tokens": 100, "output_tokens": 10, "cache_read_input_tokens": 40}, "cost_usd": 0.001}
    if status == "error":
        ev["error"] = {"type": "RateLimitError", "message": ""}
    return json.dumps(ev)


@pytest.fixture
def events_file(tmp_path: Path) -> Path:
    lines = [_event("2026-11-25T12:00:%02d.000Z" % i, duration=10.0 * (i + 1)) for i in range(50)]
    lines += [_event("2026-11-25T13:00:00Z", model="claude-sonnet-4", provider="anthropic", status="error", duration=500)]
    lines += ["not json", "{}", ""]  # tolerated
    path = tmp_path / "events.jsonl"
    path.write_text("\n".join(lines) + "\n")
    return path


def test_report_by_model(events_file: Path):
    rows = build_report(events_file.read_text().splitlines())
    gpt, claude = rows
    assert (gpt["model"], gpt["calls"], gpt["errors"], gpt["input_tokens"]) == ("gpt-4o-mini", 50, 0, 5000)
    assert gpt["cost_usd"] == pytest.approx(0.05)
    values = [10.0 * (i + 1) for i in range(50)]
    for q, key in ((0.5, "p50_ms"), (0.95, "p95_ms"), (0.99, "p99_ms")):
        assert gpt[key] == pytest.approx(_exact(values, q), rel=0.01)
    assert (claude["calls"], claude["errors"], claude["error_rate"]) == (1, 1, 1.0)


def test_report_by_and_since(events_file: Path):
    lines = events_file.read_text().splitlines()
    by_provider = build_report(lines, by="provider")
    assert [r["provider"] for r in by_provider] == ["openai", "anthropic"]
    later = build_report(lines, since=parse_time("2026-11-25T12:00:45Z"))
    assert [(r["model"], r["calls"]) for r in later] == [("gpt-4o-mini", 5), ("claude-sonnet-4", 1)]
    [prod] = build_report(lines, by="environment")
    assert (prod["environment"], prod["calls"]) == ("prod", 51)


def test_parse_time_relative_and_offsets():
    from datetime import datetime, timezone

    now = datetime(2026, 11, 25, 12, 0, tzinfo=timezone.utc)
    assert parse_time("2h", now) == datetime(2026, 11, 25, 10, 0, tzinfo=timezone.utc)
    assert parse_time("2026-11-25T13:00:00.123456789+01:00") == datetime(2026, 11, 25, 12, 0, 0, 123456, tzinfo=timezone.utc)
    with pytest.raises(ValueError):
        parse_time("2026-11-25T12:00:00")


def test_cli_prints_a_table_and_json(events_file: Path):
    out = subprocess.run([sys.executable, "-m", "llm_observer", "report", str(events_file), "--by", "provider"],
                         capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parents[1]).stdout
    header, first, second = out.splitlines()
    assert header.split()[:3] == ["provider", "calls", "errors"] and "p99_ms" in header
    assert first.split()[:3] == ["openai", "50", "0"] and second.split()[:4] == ["anthropic", "1", "1", "100.0%"]

    class Out:
        text = ""

        def write(self, s):
            self.text += s

    buf = Out()
    assert main(["report", str(events_file), "--json", "--since", "2026-11-25T12:30:00Z"], stdout=buf) == 0
    assert [r["model"] for r in json.loads(buf.text)] == ["claude-sonnet-4"]
    assert main(["report", str(events_file.parent / "missing.jsonl")], stdout=buf) == 2


def test_in_process_summary_without_any_endpoint():
    for i in range(10):
        try:
            with llm_observer.observe(provider="openai", model="gpt-4o", operation="chat") as span:
                span.set_usage(input_tokens=1000, output_tokens=100)
                if i == 9:
                    raise TimeoutError()
        except TimeoutError:
            pass
    [row] = llm_observer.summary()
    assert (row["calls"], row["errors"], row["input_tokens"]) == (10, 1, 10_000)
    assert row["cost_usd"] == pytest.approx(10 * (1000 * 2.5 + 100 * 10.0) / 1e6)
    assert row["p50_ms"] is not None
    assert llm_observer.stats()["sent"] == 0
    with pytest.raises(ValueError):
        llm_observer.summary(by="nope")


def test_report_written_by_the_sdk_itself(jsonl, tmp_path):
    for _ in range(3):
        with llm_observer.observe(provider="anthropic", model="claude-3-5-haiku") as span:
            span.set_usage(input_tokens=10, output_tokens=1)
    jsonl()
    [row] = build_report(jsonl.path.read_text().splitlines(), by="model", since=parse_time("1h"))  # type: ignore[attr-defined]
    assert (row["model"], row["calls"], row["input_tokens"]) == ("claude-3-5-haiku", 3, 30)
