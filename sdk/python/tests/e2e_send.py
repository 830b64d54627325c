"""Driver for sdk.e2e.test.ts (not a pytest module): real openai/anthropic clients against local
fakes, instrumented, sending to LLM_OBSERVER_ENDPOINT with LLM_OBSERVER_API_KEY. Prints a JSON
report: flush outcome, sender stats, and the events as sent (from the JSONL copy)."""

from __future__ import annotations

import json
import os
import sys
import tempfile

import anthropic
import openai

import llm_observer
from tests.fake_servers import PROMPT, FakeAnthropic, FakeOpenAI


def main() -> None:
    chats, extras = int(sys.argv[1]), sys.argv[2] == "extras"
    fd, copy = tempfile.mkstemp(suffix=".jsonl")
    os.close(fd)
    llm_observer.init(environment="e2e", file=copy)
    fake_openai, fake_anthropic = FakeOpenAI(), FakeAnthropic()
    oc = llm_observer.instrument_openai(openai.OpenAI(api_key="sk-e2e", base_url=fake_openai.base_url, max_retries=0))
    ac = llm_observer.instrument_anthropic(
        anthropic.Anthropic(api_key="sk-ant-e2e", base_url=fake_anthropic.base_url, max_retries=0)
    )
    for _ in range(chats):
        oc.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
    if extras:
        fake_openai.fail_next = (429, {"error": {"message": "slow down", "type": "requests", "code": "rate_limit_exceeded"}}, {})
        try:
            oc.chat.completions.create(model="gpt-4o-mini", messages=[{"role": "user", "content": PROMPT}])
        except openai.RateLimitError:
            pass
        ac.messages.create(model="claude-sonnet-4", max_tokens=10, messages=[{"role": "user", "content": PROMPT}])
        with ac.messages.create(model="claude-sonnet-4", max_tokens=10, messages=[], stream=True) as stream:
            for _ in stream:
                pass
    flushed = llm_observer.flush(60)
    with open(copy, encoding="utf-8") as fh:
        events = [json.loads(line) for line in fh if line.strip()]
    os.unlink(copy)
    print(json.dumps({"flushed": flushed, "stats": llm_observer.stats(), "events": events}))


if __name__ == "__main__":
    main()
