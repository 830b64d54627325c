"""What the OpenAI and Anthropic clients' responses and stream chunks say about a call: model,
token usage (cached tokens included), finish reasons and the first token's arrival. Never text."""

from __future__ import annotations

import logging
from typing import Any

from ._span import Span
from ._wrap import get, wrap_method

log = logging.getLogger("llm_observer")


# -- OpenAI ------------------------------------------------------------------------------------
def _chat_usage(span: Span, usage: Any) -> None:
    if usage is not None:  # chat completions, completions, embeddings
        details = get(usage, "prompt_tokens_details")
        span.set_usage(get(usage, "prompt_tokens"), get(usage, "completion_tokens"), get(details, "cached_tokens"))


def _responses_usage(span: Span, usage: Any) -> None:
    if usage is not None:  # Responses API
        details = get(usage, "input_tokens_details")
        span.set_usage(get(usage, "input_tokens"), get(usage, "output_tokens"), get(details, "cached_tokens"))


def openai_response(span: Span, resp: Any) -> None:
    model = get(resp, "model")
    if model:
        span.set_response_model(model)
    # Only fields the response type has are read: a missing attribute costs a raised AttributeError.
    if get(resp, "object") != "response":  # chat.completion, text_completion, list (embeddings)
        _chat_usage(span, get(resp, "usage"))
        choices = get(resp, "choices")
        if choices:
            span.set_finish_reasons(get(c, "finish_reason") for c in choices)
        return
    _responses_usage(span, get(resp, "usage"))
    incomplete = get(resp, "incomplete_details")
    if incomplete is not None and get(incomplete, "reason"):
        span.set_finish_reasons([get(incomplete, "reason")])
    if get(resp, "status") == "failed":
        err = get(resp, "error")
        span.set_error("ResponseFailed", get(err, "code") or "")


def openai_chunk(span: Span, chunk: Any) -> None:
    kind = get(chunk, "type")
    if isinstance(kind, str):  # Responses API stream events
        if kind.endswith(".delta"):
            span.mark_first_token()
        elif kind in ("response.completed", "response.incomplete", "response.failed"):
            openai_response(span, get(chunk, "response"))
        elif kind == "error":
            span.set_error("StreamError", get(chunk, "code") or "")
        return
    choices = get(chunk, "choices")
    if choices:
        span.mark_first_token()
        reasons = [get(c, "finish_reason") for c in choices if get(c, "finish_reason")]
        if reasons:
            span.set_finish_reasons(reasons)
    model = get(chunk, "model")
    if model and span.response_model is None:
        span.set_response_model(model)
    _chat_usage(span, get(chunk, "usage"))


def instrument_openai(client: Any) -> Any:
    """Observes ``client.chat.completions.create``, ``client.responses.create``,
    ``client.embeddings.create`` and ``client.completions.create`` of an ``openai.OpenAI`` or
    ``openai.AsyncOpenAI`` instance (streams included). Returns the same client."""
    try:
        provider = "azure.ai.openai" if "Azure" in type(client).__name__ else "openai"
        chat = get(client, "chat")
        targets = [
            (get(chat, "completions"), "chat"),
            (get(client, "responses"), "chat"),
            (get(client, "embeddings"), "embeddings"),
            (get(client, "completions"), "text_completion"),
        ]
        for resource, operation in targets:
            wrap_method(resource, "create", provider, operation, openai_response, openai_chunk)
    except Exception as exc:
        log.warning("llm_observer: could not instrument this OpenAI client (%s)", type(exc).__name__)
    return client


# -- Anthropic ---------------------------------------------------------------------------------
def _anthropic_usage(span: Span, usage: Any, output_only: bool = False) -> None:
    if usage is None:
        return
    plain = get(usage, "input_tokens")
    read = get(usage, "cache_read_input_tokens")
    write = get(usage, "cache_creation_input_tokens")
    if output_only and plain is None:
        span.set_usage(output_tokens=get(usage, "output_tokens"))
        return
    # Anthropic's input_tokens excludes cached tokens; the event's counts every input token.
    total = (plain or 0) + (read or 0) + (write or 0) if plain is not None else None
    span.set_usage(total, get(usage, "output_tokens"), read, write)


def anthropic_response(span: Span, msg: Any) -> None:
    model = get(msg, "model")
    if model:
        span.set_response_model(model)
    _anthropic_usage(span, get(msg, "usage"))
    reason = get(msg, "stop_reason")
    if reason:
        span.set_finish_reasons([reason])


def anthropic_chunk(span: Span, event: Any) -> None:
    kind = get(event, "type")
    if kind == "message_start":
        anthropic_response(span, get(event, "message"))
    elif kind == "content_block_delta":
        span.mark_first_token()
    elif kind == "message_delta":
        _anthropic_usage(span, get(event, "usage"), output_only=True)
        reason = get(get(event, "delta"), "stop_reason")
        if reason:
            span.set_finish_reasons([reason])


def instrument_anthropic(client: Any) -> Any:
    """Observes ``client.messages.create`` (``stream=True`` included) of an ``anthropic.Anthropic``
    or ``anthropic.AsyncAnthropic`` instance. Returns the same client."""
    try:
        name = type(client).__name__
        provider = "aws.bedrock" if "Bedrock" in name else "gcp.vertex_ai" if "Vertex" in name else "anthropic"
        wrap_method(get(client, "messages"), "create", provider, "chat", anthropic_response, anthropic_chunk)
    except Exception as exc:
        log.warning("llm_observer: could not instrument this Anthropic client (%s)", type(exc).__name__)
    return client
