"""One phase of the SDK benchmark in a fresh process (run by run.ts; prints one JSON line).

    python bench.py caller|throughput|memory llm_observer|posthog|naive --edge URL --key KEY --sink URL --n N

Every design records the same facts per call (provider, model, tokens, cost, duration, ids):
- llm_observer: an instrumented OpenAI client (``instrument_openai``), the SDK's own sender.
- posthog: the same call followed by ``posthog.Client.capture`` (PostHog's Python client with its
  default consumer design: bounded queue, a consumer thread, batches of ``flush_at`` events).
- naive: the same call followed by a synchronous ``urllib`` POST of that one event.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import sys
import time
import types
import urllib.request
import uuid
from datetime import datetime, timezone

from openai.types.chat import ChatCompletion

RESPONSE = ChatCompletion.model_validate({
    "id": "c1", "object": "chat.completion", "created": 1, "model": "gpt-4o-mini-2024-07-18",
    "choices": [{"index": 0, "message": {"role": "assistant", "content": "hi"}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 1200, "completion_tokens": 350, "total_tokens": 1550,
              "prompt_tokens_details": {"cached_tokens": 1000}},
})
MESSAGES = [{"role": "user", "content": "hello"}]


class _Completions:
    def create(self, **kwargs):  # the provider call itself costs nothing here: only bookkeeping is measured
        return RESPONSE


def fake_client():
    return types.SimpleNamespace(chat=types.SimpleNamespace(completions=_Completions()))


def event_of(resp, started: float, duration_ms: float) -> dict:
    u = resp.usage
    return {
        "schema_version": "1.0", "event_id": str(uuid.uuid4()),
        "timestamp": datetime.fromtimestamp(started, timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
        "operation": "chat", "provider": "openai", "model": "gpt-4o-mini", "status": "ok",
        "response_model": resp.model, "duration_ms": duration_ms,
        "usage": {"input_tokens": u.prompt_tokens, "output_tokens": u.completion_tokens,
                  "cache_read_input_tokens": u.prompt_tokens_details.cached_tokens},
        "cost_usd": 0.0003, "sdk": {"name": "bench-naive", "version": "0", "language": "python"},
    }


def make_call(design: str, args):
    """A zero-argument function doing one observed call in the given design, plus a finisher."""
    client = fake_client()
    if design == "llm_observer":
        import llm_observer

        llm_observer.init(api_key=args.key, endpoint=args.edge, max_queue_size=args.queue or 10_000)
        client = llm_observer.instrument_openai(client)
        create = client.chat.completions.create
        return (lambda: create(model="gpt-4o-mini", messages=MESSAGES)), llm_observer.flush, llm_observer.stats
    create = client.chat.completions.create
    if design == "posthog":
        import posthog

        ph = posthog.Client("phc_bench", host=args.sink, max_queue_size=args.queue or 10_000,
                            enable_local_evaluation=False)

        def call():
            t0, p0 = time.time(), time.perf_counter()
            resp = create(model="gpt-4o-mini", messages=MESSAGES)
            ev = event_of(resp, t0, (time.perf_counter() - p0) * 1000)
            ph.capture("llm_call", distinct_id="service", properties=ev)
            return resp

        def flush(timeout=None):
            ph.flush()
            return True

        return call, flush, lambda: {"queued": ph.queue.qsize() if hasattr(ph.queue, "qsize") else None}
    if design == "naive":
        url = args.edge.rstrip("/") + "/v1/events"
        headers = {"Authorization": "Bearer " + args.key, "Content-Type": "application/json"}
        counts = {"sent": 0, "failed": 0}

        def call():
            t0, p0 = time.time(), time.perf_counter()
            resp = create(model="gpt-4o-mini", messages=MESSAGES)
            body = json.dumps({"events": [event_of(resp, t0, (time.perf_counter() - p0) * 1000)]}).encode()
            try:
                urllib.request.urlopen(urllib.request.Request(url, body, headers), timeout=10).read()
                counts["sent"] += 1
            except Exception:
                counts["failed"] += 1
            return resp

        return call, (lambda timeout=None: True), (lambda: dict(counts))
    raise SystemExit("unknown design " + design)


def pct(samples, q):
    s = sorted(samples)
    return s[min(len(s) - 1, int(q * (len(s) - 1)))]


def rss_kib() -> int:
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * (os.sysconf("SC_PAGE_SIZE") // 1024)


def caller(design, args):
    call, flush, stats = make_call(design, args)
    bare_create = fake_client().chat.completions.create
    ns = time.perf_counter_ns
    for _ in range(min(2000, args.n)):  # warm-up
        call()
    cpu = time.thread_time_ns  # this thread's CPU time: excludes time slices other processes took
    bare, observed, observed_cpu = [], [], []
    gc.disable()
    for i in range(args.n):
        if i % 2:
            t = ns(); bare_create(model="gpt-4o-mini", messages=MESSAGES); bare.append(ns() - t)
        c = cpu(); t = ns(); call(); t2 = ns(); c2 = cpu()
        observed.append(t2 - t); observed_cpu.append(c2 - c)
        if i % 5000 == 4999:
            gc.enable(); gc.collect(); gc.disable()
    gc.enable()
    flush(30)
    us = lambda v: v / 1000  # noqa: E731
    return {"n": args.n, "bare_p50_us": us(pct(bare, .5)), "bare_p99_us": us(pct(bare, .99)),
            "p50_us": us(pct(observed, .5)), "p99_us": us(pct(observed, .99)), "p999_us": us(pct(observed, .999)),
            "max_us": us(max(observed)), "cpu_p50_us": us(pct(observed_cpu, .5)), "cpu_p99_us": us(pct(observed_cpu, .99)),
            "stats": stats()}


def throughput(design, args):
    call, flush, stats = make_call(design, args)
    call(); flush(30)
    t0, c0 = time.perf_counter(), time.process_time()
    for _ in range(args.n):
        call()
    emitted = time.perf_counter() - t0
    done = flush(600)
    total, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {"n": args.n, "emit_s": emitted, "total_s": total, "events_per_s": args.n / total, "flushed": done,
            "cpu_s": cpu, "events_per_cpu_s": args.n / cpu, "stats": stats()}


def memory(design, args):
    call, flush, stats = make_call(design, args)
    samples = [(0, rss_kib())]
    step = args.n // 10
    ns = time.perf_counter_ns
    observed = []
    for i in range(1, args.n + 1):
        if i % 100 == 0:
            t = ns(); call(); observed.append(ns() - t)
        else:
            call()
        if i % step == 0:
            samples.append((i, rss_kib()))
    return {"n": args.n, "rss_kib": samples, "p50_us": pct(observed, .5) / 1000, "p99_us": pct(observed, .99) / 1000,
            "stats": stats()}


def main() -> None:
    p = argparse.ArgumentParser()
    p.add_argument("phase", choices=["caller", "throughput", "memory"])
    p.add_argument("design", choices=["llm_observer", "posthog", "naive"])
    p.add_argument("--edge", required=True)
    p.add_argument("--key", required=True)
    p.add_argument("--sink", required=True)
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--queue", type=int, default=0)
    args = p.parse_args()
    result = {"caller": caller, "throughput": throughput, "memory": memory}[args.phase](args.design, args)
    print(json.dumps({"phase": args.phase, "design": args.design, **result}))
    sys.stdout.flush()
    os._exit(0)  # no exit flush: a dead endpoint must not add its bound to the measurement


if __name__ == "__main__":
    main()
