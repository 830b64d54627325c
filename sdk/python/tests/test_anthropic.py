"""The real ``anthropic`` client against a local fake of its HTTP API."""

from __future__ import annotations

import anthropic
import pytest

import llm_observer

from .fake_servers import COMPLETION, PROMPT

# 200 plain input at 3.00, 3000 cache reads at 0.30, 500 cache writes at 3.75, 80 output at 15.00 per 1M
EXPECTED_COST = (200 * 3.0 + 3000 * 0.3 + 500 * 3.75 + 80 * 15.0) / 1e6
EXPECTED_USAGE = {"input_tokens": 3700, "output_tokens": 80, "cache_read_input_tokens": 3000,
                  "cache_creation_input_tokens": 500}


def _client(fake, cls=anthropic.Anthropic):
    return llm_observer.instrument_anthropic(cls(api_key="sk-ant-test", base_url=fake.base_url, max_retries=0))


def test_message_becomes_one_event_with_cache_tokens(fake_anthropic, jsonl, assert_valid):
    msg = _client(fake_anthropic).messages.create(
        model="claude-sonnet-4", max_tokens=100, messages=[{"role": "user", "content": PROMPT}]
    )
    assert msg.content[0].text == COMPLETION
    [ev] = jsonl()
    assert_valid(ev)
    assert (ev["provider"], ev["operation"], ev["model"]) == ("anthropic", "chat", "claude-sonnet-4")
    assert ev["response_model"] == "claude-sonnet-4-20250514"
    assert ev["usage"] == EXPECTED_USAGE
    assert ev["cost_usd"] == pytest.approx(EXPECTED_COST)
    assert ev["finish_reasons"] == ["end_turn"]


def test_streamed_message(fake_anthropic, jsonl, assert_valid):
    stream = _client(fake_anthropic).messages.create(
        model="claude-sonnet-4", max_tokens=100, messages=[{"role": "user", "content": PROMPT}], stream=True
    )
    kinds = [event.type for event in stream]
    assert kinds[0] == "message_start" and kinds[-1] == "message_stop"
    [ev] = jsonl()
    assert_valid(ev)
    assert ev["usage"] == EXPECTED_USAGE and ev["finish_reasons"] == ["end_turn"]
    assert 0 <= ev["time_to_first_token_ms"] <= ev["duration_ms"]
    text = jsonl.path.read_text("utf-8")  # type: ignore[attr-defined]
    assert "PROMPT-TEXT" not in text and "COMPLETION-TEXT" not in text


async def test_async_client(fake_anthropic, jsonl, assert_valid):
    client = _client(fake_anthropic, anthropic.AsyncAnthropic)
    await client.messages.create(model="claude-sonnet-4", max_tokens=10, messages=[])
    stream = await client.messages.create(model="claude-sonnet-4", max_tokens=10, messages=[], stream=True)
    async with stream:
        async for _ in stream:
            pass
    fake_anthropic.fail_next = (529, {"type": "error", "error": {"type": "overloaded_error", "message": PROMPT}}, {})
    with pytest.raises(anthropic.APIStatusError) as caught:
        await client.messages.create(model="claude-sonnet-4", max_tokens=10, messages=[])
    assert caught.value.status_code == 529
    plain, streamed, failed = jsonl()
    for ev in (plain, streamed, failed):
        assert_valid(ev)
    assert plain["usage"] == streamed["usage"] == EXPECTED_USAGE
    assert failed["status"] == "error" and failed["error"]["message"].startswith("HTTP 529")
    assert "PROMPT-TEXT" not in str(failed)


def test_error_is_reraised_untouched(fake_anthropic, jsonl):
    fake_anthropic.fail_next = (401, {"type": "error", "error": {"type": "authentication_error", "message": "bad key"}}, {})
    with pytest.raises(anthropic.AuthenticationError) as caught:
        _client(fake_anthropic).messages.create(model="claude-3-5-haiku", max_tokens=10, messages=[])
    assert caught.value.status_code == 401
    [ev] = jsonl()
    assert ev["error"]["type"] == "AuthenticationError" and "cost_usd" not in ev
