"""The fail-open sender against a local ingest endpoint that answers as scripted: batching, gzip,
retries (Retry-After, jittered backoff), no retry on 400/401/413, drops counted, never blocking."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

import llm_observer
from llm_observer._sender import MAX_EVENT_BYTES, retry_after_seconds

from .fake_servers import FakeIngest

KEY = "lok_testprefix01.secret"
FAST = {"flush_interval": 0.05, "backoff_base": 0.01, "backoff_max": 0.05, "request_timeout": 5.0}


def _init(url: str, **extra) -> None:
    llm_observer.init(api_key=KEY, endpoint=url, environment="test", **{**FAST, **extra})


def _emit(n: int, **attrs) -> None:
    for i in range(n):
        with llm_observer.observe(provider="openai", model="gpt-4o-mini", attributes=attrs or None) as span:
            span.set_usage(input_tokens=10 + i, output_tokens=5)


def test_batches_are_gzip_json_with_the_key_and_valid_events(ingest, assert_valid):
    _init(ingest.url)
    _emit(2500)
    assert llm_observer.flush(20)
    sizes = [len(r["events"]) for r in ingest.requests]
    assert sum(sizes) == 2500 and max(sizes) <= 1000
    req = ingest.requests[0]
    assert req["path"] == "/v1/events"
    assert req["headers"]["Authorization"] == "Bearer " + KEY
    assert req["headers"]["Content-Encoding"] == "gzip" and req["headers"]["Content-Type"] == "application/json"
    for ev in ingest.events[:50]:
        assert_valid(ev)
    assert len({e["event_id"] for e in ingest.events}) == 2500
    assert llm_observer.stats()["sent"] == 2500


def test_a_batch_is_sent_by_time_without_flush(ingest):
    _init(ingest.url)
    _emit(3)
    with ingest.received:
        assert ingest.received.wait_for(lambda: len(ingest.events) == 3, timeout=20)


def test_retry_after_is_honoured_and_the_same_events_are_resent(ingest):
    ingest.script = [(429, {"Retry-After": "0"}, {"error": {"code": "rate_limited"}}),
                     (503, {"Retry-After": "0"}, {"error": {"code": "unavailable"}})]
    _init(ingest.url, backoff_base=30.0, backoff_max=30.0)  # a backoff delay would outlast the flush
    _emit(5)
    assert llm_observer.flush(10)
    first, second, third = ([e["event_id"] for e in r["events"]] for r in ingest.requests)
    assert first == second == third
    s = llm_observer.stats()
    assert (s["sent"], s["retried"], s["dropped"]) == (5, 2, 0)


def test_retry_after_parsing():
    assert retry_after_seconds("7") == 7.0
    assert retry_after_seconds("Wed, 21 Oct 2015 07:28:00 GMT") == 0.0  # a date in the past: now
    assert 50 < retry_after_seconds(time.strftime("%a, %d %b %Y %H:%M:%S GMT", time.gmtime(time.time() + 60))) <= 60
    assert retry_after_seconds("soon") is None and retry_after_seconds(None) is None


def test_500s_are_retried_with_backoff_then_dropped_and_counted(ingest):
    ingest.script = [(500, {}, {"error": {"code": "internal"}})] * 3
    _init(ingest.url, max_retries=2)
    _emit(4)
    assert llm_observer.flush(10)
    assert len(ingest.requests) == 3
    s = llm_observer.stats()
    assert (s["sent"], s["retried"], s["dropped_by_reason"]) == (0, 2, {"retries_exhausted": 4})


@pytest.mark.parametrize("status,code", [(400, "invalid_batch"), (401, "invalid_api_key"), (413, "payload_too_large")])
def test_no_retry_on_client_errors(ingest, status, code, caplog):
    ingest.script = [(status, {}, {"error": {"code": code}})] * 2
    _init(ingest.url)
    _emit(3)
    assert llm_observer.flush(10)
    _emit(2)
    assert llm_observer.flush(10)
    assert [len(r["events"]) for r in ingest.requests] == [3, 2]  # each batch tried once
    s = llm_observer.stats()
    assert (s["rejected"], s["retried"], s["sent"], s["last_status"]) == (5, 0, 0, status)
    warnings = [r.getMessage() for r in caplog.records if r.name == "llm_observer"]
    assert len([w for w in warnings if str(status) in w]) == 1  # logged once
    assert "secret" not in " ".join(warnings)  # the key is never logged


def test_per_event_rejections_in_a_202_are_counted(ingest):
    ingest.script = [(202, {}, {"accepted": 2, "rejected": [{"index": 1, "errors": []}], "request_id": "r"})]
    _init(ingest.url)
    _emit(3)
    assert llm_observer.flush(10)
    s = llm_observer.stats()
    assert (s["sent"], s["rejected"]) == (2, 1)


@pytest.mark.parametrize("endpoint", ["http://127.0.0.1:9", "http://no-such-host.invalid"], ids=["down", "dns"])
def test_unreachable_endpoint_never_reaches_the_app(endpoint):
    _init(endpoint, max_retries=2)
    _emit(10)  # returns normally: nothing raised
    assert llm_observer.flush(20)
    s = llm_observer.stats()
    assert s["requests"] == 3 and s["retried"] == 2
    assert s["dropped_by_reason"] == {"retries_exhausted": 10} and s["sent"] == 0
    assert llm_observer.summary()[0]["calls"] == 10  # local analysis keeps working


def test_a_hanging_endpoint_never_blocks_the_calling_thread(ingest):
    ingest.script = ["hang"]
    _init(ingest.url, max_queue_size=100)
    _emit(1)
    assert ingest.holding.wait(20)  # the sender thread is stuck inside a request now
    _emit(500)  # ... and the application thread goes on: enqueue only, the oldest dropped
    assert not ingest.release.is_set()  # the connection was still held while all of that ran
    s = llm_observer.stats()
    assert s["dropped_by_reason"]["queue_full"] == 400 and s["queued"] == 101
    ingest.release.set()


def test_huge_and_odd_attributes_never_break_sending(ingest, assert_valid):
    class Unprintable:
        def __str__(self) -> str:
            raise RuntimeError("no")

    _init(ingest.url)
    big = {"k%03d" % i: "x" * 100_000 for i in range(200)}
    odd = {"obj": object(), "bad": Unprintable(), "nan": float("nan"), "set": {1, 2}, "nested": {"a": {"b": 1}},
           "bytes": b"\xff", "big_int": 2**80, "bad key!": 1, "__proto__": 1, "none": None}
    _emit(1, **big)
    _emit(1, **odd)
    with llm_observer.observe(model="m" * 10_000, operation="Chat Completion!", provider="My Provider") as span:
        span.set_usage(input_tokens=-5, output_tokens=float("inf"))
        span.set_finish_reasons(["", "x" * 500] * 20)
    assert llm_observer.flush(10)
    huge, weird, clamped = ingest.events
    for ev in (huge, weird, clamped):
        assert_valid(ev)
    assert len(huge["attributes"]) == 64 and all(len(v) == 1024 for v in huge["attributes"].values())
    assert weird["attributes"]["bad"] == "<Unprintable>" and weird["attributes"]["nested.a.b"] == 1
    assert weird["attributes"]["nan"] == "nan" and weird["attributes"]["big_int"] == str(2**80)
    assert "__proto__" not in weird["attributes"] and "none" not in weird["attributes"]
    assert (clamped["operation"], clamped["provider"], len(clamped["model"])) == ("chat_completion_", "my_provider", 256)
    assert clamped["usage"] == {"input_tokens": 0} and len(clamped["finish_reasons"]) == 16
    assert llm_observer.stats()["sent"] == 3


def test_an_event_over_the_ingest_bound_is_dropped_alone(ingest):
    _init(ingest.url)
    _emit(1)
    with llm_observer.observe(model="m") as span:
        span.attributes = {"k%02d" % i: "\U0001F600" * 1024 for i in range(64)}  # bypasses the setter's
        span.analysis = {"k%02d" % i: "\U0001F600" * 1024 for i in range(64)}  # ~520 KiB of UTF-8
    _emit(1)
    assert llm_observer.flush(10)
    assert len(ingest.events) == 2
    assert llm_observer.stats()["dropped_by_reason"] == {"too_large": 1}
    assert MAX_EVENT_BYTES == 256 * 1024


def test_batches_are_split_to_stay_under_the_size_bound(ingest):
    _init(ingest.url, batch_max_bytes=64 * 1024, gzip_level=1)
    for _ in range(200):
        _emit(1, payload=os.urandom(700).hex())  # incompressible: ~1.4 KB each
    assert llm_observer.flush(20)
    assert len(ingest.events) == 200 and len(ingest.requests) > 2
    assert max(r["sent_bytes"] for r in ingest.requests) <= 64 * 1024


def test_many_threads_each_event_once(ingest):
    _init(ingest.url)
    threads = [threading.Thread(target=_emit, args=(250,)) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert llm_observer.flush(30)
    ids = [e["event_id"] for e in ingest.events]
    assert len(ids) == len(set(ids)) == 2000


def test_shutdown_stops_sending_and_later_events_are_dropped(ingest):
    _init(ingest.url)
    _emit(3)
    assert llm_observer.shutdown(5)
    _emit(2)
    assert len(ingest.events) == 3
    assert llm_observer.stats()["dropped_by_reason"] == {"after_shutdown": 2}


def _child(code: str, env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    full = {**os.environ, **env, "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    return subprocess.run([sys.executable, "-c", code], env=full, capture_output=True, text=True, timeout=timeout)


def test_interpreter_exit_flushes_what_is_queued(ingest):
    code = (
        "import llm_observer\n"
        "llm_observer.init(flush_interval=3600)\n"  # only the exit handler can send these
        "for i in range(1500):\n"
        "    with llm_observer.observe(model='m'): pass\n"
    )
    out = _child(code, {"LLM_OBSERVER_API_KEY": KEY, "LLM_OBSERVER_ENDPOINT": ingest.url})
    assert out.returncode == 0, out.stderr
    assert len(ingest.events) == 1500


def test_interpreter_exit_with_a_full_queue_and_a_hanging_endpoint_is_bounded(ingest):
    ingest.script = ["hang"] * 5
    code = (
        "import llm_observer, time\n"
        "llm_observer.init(max_queue_size=1000, shutdown_timeout=1.0, flush_interval=0.01)\n"
        "with llm_observer.observe(model='m'): pass\n"
        "while llm_observer.stats()['requests'] == 0: time.sleep(0.01)\n"
        "for i in range(5000):\n"
        "    with llm_observer.observe(model='m'): pass\n"
        "s = llm_observer.stats(); print(s['queued'], s['dropped_by_reason'].get('queue_full'))\n"
    )
    # The liveness bound is generous on purpose (a loaded machine); without the exit bound the
    # child would wait on the held connection for the request timeout (10 s) per retry.
    out = _child(code, {"LLM_OBSERVER_API_KEY": KEY, "LLM_OBSERVER_ENDPOINT": ingest.url})
    assert out.returncode == 0, out.stderr
    queued, dropped = out.stdout.split()
    assert int(dropped) == 4000 and int(queued) == 1001
    assert ingest.holding.is_set() and not ingest.release.is_set()  # it exited while the request hung


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX-only")
def test_fork_child_sends_its_own_events_and_not_the_parents(ingest):
    code = (
        "import os, llm_observer\n"
        "llm_observer.init(flush_interval=3600)\n"
        "with llm_observer.observe(model='parent-before-fork'): pass\n"
        "pid = os.fork()\n"
        "if pid == 0:\n"
        "    with llm_observer.observe(model='child'): pass\n"
        "    ok = llm_observer.flush(20)\n"
        "    os._exit(0 if ok else 3)\n"
        "_, status = os.waitpid(pid, 0)\n"
        "with llm_observer.observe(model='parent-after-fork'): pass\n"
        "assert llm_observer.flush(20)\n"
        "raise SystemExit(os.waitstatus_to_exitcode(status))\n"
    )
    out = _child(code, {"LLM_OBSERVER_API_KEY": KEY, "LLM_OBSERVER_ENDPOINT": ingest.url})
    assert out.returncode == 0, out.stderr
    models = sorted(e["model"] for e in ingest.events)
    assert models == ["child", "parent-after-fork", "parent-before-fork"]


def test_file_and_endpoint_together(ingest, tmp_path):
    path = tmp_path / "e.jsonl"
    _init(ingest.url, file=str(path))
    _emit(3)
    assert llm_observer.flush(10)
    lines = [json.loads(x) for x in path.read_text().splitlines()]
    assert [e["event_id"] for e in lines] == [e["event_id"] for e in ingest.events]
