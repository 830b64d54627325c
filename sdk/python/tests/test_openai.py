"""The real ``openai`` client against a local fake of its HTTP API: one valid event per call,
sync and async, streaming, cached tokens, cost, errors re-raised untouched, no text captured."""

from __future__ import annotations

import json

import openai
import pytest

import llm_observer

from .fake_servers import COMPLETION, PROMPT


def _client(fake, cls=openai.OpenAI):
    return llm_observer.instrument_openai(cls(api_key="sk-test", base_url=fake.base_url, max_retries=0))


def test_chat_completion_becomes_one_event(fake_openai, jsonl, assert_valid):
    client = _client(fake_openai)
    reply = client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
    assert reply.choices[0].message.content == COMPLETION  # the result passes through untouched
    [ev] = jsonl()
    assert_valid(ev)
    assert ev["provider"] == "openai" and ev["operation"] == "chat" and ev["model"] == "gpt-4o-mini"
    assert ev["response_model"] == "gpt-4o-mini-2024-07-18"
    assert ev["status"] == "ok" and ev["finish_reasons"] == ["stop"]
    assert ev["usage"] == {"input_tokens": 1200, "output_tokens": 350, "cache_read_input_tokens": 1000}
    # 200 uncached at 0.15, 1000 cached at 0.075, 350 out at 0.60 per 1M tokens
    assert ev["cost_usd"] == pytest.approx((200 * 0.15 + 1000 * 0.075 + 350 * 0.6) / 1e6)
    assert ev["environment"] == "test"
    assert ev["timestamp"].endswith("Z") and ev["duration_ms"] >= 0
    assert "trace_id" not in ev  # no trace context was active


def test_streamed_chat_takes_usage_from_the_final_chunk(fake_openai, jsonl, assert_valid):
    client = _client(fake_openai)
    stream = client.chat.completions.create(
        model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}], stream=True,
        stream_options={"include_usage": True},
    )
    text = "".join(c.choices[0].delta.content or "" for c in stream if c.choices)
    assert text == COMPLETION
    [ev] = jsonl()
    assert_valid(ev)
    assert ev["usage"]["input_tokens"] == 1200 and ev["usage"]["cache_read_input_tokens"] == 1000
    assert ev["finish_reasons"] == ["stop"]
    assert 0 <= ev["time_to_first_token_ms"] <= ev["duration_ms"]


def test_stream_used_as_context_manager_and_closed_early(fake_openai, jsonl):
    client = _client(fake_openai)
    with client.chat.completions.create(model="gpt-4o", messages=[], stream=True) as stream:
        next(iter(stream))
    [ev] = jsonl()
    assert ev["status"] == "ok" and ev["model"] == "gpt-4o"


def test_responses_and_embeddings(fake_openai, jsonl, assert_valid):
    client = _client(fake_openai)
    client.responses.create(model="gpt-4.1-mini", input=PROMPT)
    events = list(client.responses.create(model="gpt-4.1-mini", input=PROMPT, stream=True))
    assert events[-1].type == "response.completed"
    client.embeddings.create(model="text-embedding-3-small", input=PROMPT)
    plain, streamed, emb = jsonl()
    for ev in (plain, streamed, emb):
        assert_valid(ev)
    assert plain["usage"] == {"input_tokens": 800, "output_tokens": 100, "cache_read_input_tokens": 600}
    assert streamed["usage"] == plain["usage"] and "time_to_first_token_ms" in streamed
    assert emb["operation"] == "embeddings" and emb["usage"] == {"input_tokens": 42}
    assert emb["cost_usd"] == pytest.approx(42 * 0.02 / 1e6)


def test_api_error_is_reraised_untouched_and_recorded(fake_openai, jsonl, assert_valid):
    failure = (429, {"error": {"message": "Rate limit: " + PROMPT, "type": "requests", "code": "rate_limit_exceeded"}}, {})

    def call(client):
        fake_openai.fail_next = failure
        with pytest.raises(openai.RateLimitError) as caught:
            client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
        return caught.value

    plain = call(openai.OpenAI(api_key="sk-test", base_url=fake_openai.base_url, max_retries=0))
    exc = call(_client(fake_openai))
    # The same exception the uninstrumented client raises: same class, text, status, code and chain.
    assert (type(exc), str(exc), exc.status_code, exc.code) == (type(plain), str(plain), 429, "rate_limit_exceeded")
    assert type(exc.__context__) is type(plain.__context__) and exc.__cause__ is plain.__cause__ is None
    [ev] = jsonl()
    assert_valid(ev)
    assert ev["status"] == "error"
    assert ev["error"] == {"type": "RateLimitError", "message": "HTTP 429 rate_limit_exceeded"}


def test_connection_error_is_recorded(jsonl):
    client = llm_observer.instrument_openai(openai.OpenAI(api_key="k", base_url="http://127.0.0.1:9/v1", max_retries=0))
    with pytest.raises(openai.APIConnectionError):
        client.chat.completions.create(model="gpt-4o-mini", messages=[])
    [ev] = jsonl()
    assert ev["status"] == "error" and ev["error"]["type"] == "APIConnectionError"


async def test_async_client_plain_and_streamed(fake_openai, jsonl, assert_valid):
    client = _client(fake_openai, openai.AsyncOpenAI)
    reply = await client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
    assert reply.usage.prompt_tokens == 1200
    stream = await client.chat.completions.create(
        model="gpt-4o-mini", messages=[], stream=True, stream_options={"include_usage": True}
    )
    chunks = [c async for c in stream]
    assert chunks
    fake_openai.fail_next = (500, {"error": {"message": "boom", "type": "server_error"}}, {})
    with pytest.raises(openai.InternalServerError):
        await client.embeddings.create(model="text-embedding-3-small", input="x")
    plain, streamed, failed = jsonl()
    for ev in (plain, streamed, failed):
        assert_valid(ev)
    assert plain["usage"] == streamed["usage"]
    assert "time_to_first_token_ms" in streamed
    assert failed["status"] == "error" and failed["error"]["type"] == "InternalServerError"


def test_calls_inside_observe_join_its_trace(fake_openai, jsonl):
    client = _client(fake_openai)
    with llm_observer.observe(provider="app", model="pipeline", operation="invoke_agent") as span:
        client.chat.completions.create(model="gpt-4o-mini", messages=[])
        client.chat.completions.create(model="gpt-4o-mini", messages=[])
    a, b, parent = jsonl()
    assert parent["trace_id"] == a["trace_id"] == b["trace_id"] == span.trace_id
    assert a["parent_span_id"] == b["parent_span_id"] == parent["span_id"]
    assert len({a["span_id"], b["span_id"], parent["span_id"]}) == 3


def test_incoming_traceparent_is_continued(fake_openai, jsonl):
    client = _client(fake_openai)
    with llm_observer.continue_trace("00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01"):
        client.chat.completions.create(model="gpt-4o-mini", messages=[])
    [ev] = jsonl()
    assert ev["trace_id"] == "4bf92f3577b34da6a3ce929d0e0e4736" and ev["parent_span_id"] == "00f067aa0ba902b7"


def test_no_prompt_or_completion_text_reaches_an_event(fake_openai, jsonl):
    client = _client(fake_openai)
    client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
    list(client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}],
                                        stream=True, stream_options={"include_usage": True}))
    client.responses.create(model="gpt-4.1", input=PROMPT, instructions=PROMPT)
    fake_openai.fail_next = (400, {"error": {"message": "bad request: " + PROMPT, "type": "invalid_request_error"}}, {})
    with pytest.raises(openai.BadRequestError):
        client.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
    assert len(jsonl()) == 4
    dumped = jsonl.path.read_text("utf-8")  # type: ignore[attr-defined]
    for secret in ("PROMPT-TEXT", "COMPLETION-TEXT", "zebra"):
        assert secret not in dumped
    assert json.loads(dumped.splitlines()[-1])["status"] == "error"


def test_instrumenting_twice_records_once(fake_openai, jsonl):
    client = llm_observer.instrument_openai(_client(fake_openai))
    client.chat.completions.create(model="gpt-4o-mini", messages=[])
    assert len(jsonl()) == 1


def test_price_override_wins(fake_openai, jsonl):
    llm_observer.set_price("openai", "gpt-4o-mini", input=1.0, output=2.0, cache_read=0.5)
    try:
        _client(fake_openai).chat.completions.create(model="gpt-4o-mini", messages=[])
        [ev] = jsonl()
        assert ev["cost_usd"] == pytest.approx((200 * 1.0 + 1000 * 0.5 + 350 * 2.0) / 1e6)
    finally:
        from llm_observer._runtime import runtime

        runtime.prices._overrides.clear()
        runtime.prices._cache.clear()
