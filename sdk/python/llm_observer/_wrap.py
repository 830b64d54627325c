"""Wraps one method of a client resource so every call becomes a span: the call's result or
exception passes through untouched, and a streamed result is proxied so its chunks are observed."""

from __future__ import annotations

import functools
import inspect
from typing import Any, Callable, Optional

from ._span import Span

OnItem = Callable[[Span, Any], None]


def get(obj: Any, name: str) -> Any:
    """Attribute or key ``name`` of a response object (pydantic model or dict), else None."""
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    return getattr(obj, name, None)


def _start(provider: str, operation: str, kwargs: dict) -> Optional[Span]:
    try:
        return Span(provider, kwargs.get("model") or "unknown", operation)
    except Exception:
        return None


def _safe(fn: OnItem, span: Span, item: Any) -> None:
    try:
        fn(span, item)
    except Exception:
        pass


def wrap_method(resource: Any, name: str, provider: str, operation: str, on_response: OnItem, on_chunk: OnItem) -> bool:
    """Replaces ``resource.name`` on that instance; False when there is nothing to wrap."""
    original = getattr(resource, name, None) if resource is not None else None
    if original is None or getattr(original, "__llm_observer__", False):
        return False

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        span = _start(provider, operation, kwargs)
        if span is None:
            return original(*args, **kwargs)
        try:
            result = original(*args, **kwargs)
        except BaseException as exc:
            span.end(exc)
            raise
        stream = kwargs.get("stream") is True
        if inspect.isawaitable(result):  # an async client: its methods return coroutines
            return _finish_async(result, span, stream, on_response, on_chunk)
        if stream:
            return StreamProxy(result, span, on_chunk)
        _safe(on_response, span, result)
        span.end()
        return result

    wrapper.__llm_observer__ = True  # type: ignore[attr-defined]
    setattr(resource, name, wrapper)
    return True


async def _finish_async(pending: Any, span: Span, stream: bool, on_response: OnItem, on_chunk: OnItem) -> Any:
    try:
        result = await pending
    except BaseException as exc:
        span.end(exc)
        raise
    if stream:
        return AsyncStreamProxy(result, span, on_chunk)
    _safe(on_response, span, result)
    span.end()
    return result


class _Proxy:
    """What both stream proxies share: the wrapped stream, its span, and attribute pass-through."""

    def __init__(self, inner: Any, span: Span, on_chunk: OnItem) -> None:
        self._inner = inner
        self._span = span
        self._on_chunk = on_chunk
        self._it: Any = None

    def __getattr__(self, name: str) -> Any:
        return getattr(self._inner, name)

    def __del__(self) -> None:
        try:
            self._span.end()
        except Exception:
            pass


class StreamProxy(_Proxy):
    """Iterates the provider's stream unchanged; the span ends when it is exhausted, fails or is closed."""

    def __iter__(self) -> "StreamProxy":
        return self

    def __next__(self) -> Any:
        if self._it is None:
            self._it = iter(self._inner)
        try:
            item = next(self._it)
        except StopIteration:
            self._span.end()
            raise
        except BaseException as exc:
            self._span.end(exc)
            raise
        _safe(self._on_chunk, self._span, item)
        return item

    def __enter__(self) -> "StreamProxy":
        enter = getattr(self._inner, "__enter__", None)
        if enter is not None:
            enter()
        return self

    def __exit__(self, *exc: Any) -> Any:
        try:
            exit_ = getattr(self._inner, "__exit__", None)
            return exit_(*exc) if exit_ is not None else None
        finally:
            self._span.end(exc[1])

    def close(self) -> None:
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                close()
        finally:
            self._span.end()


class AsyncStreamProxy(_Proxy):
    """The async twin of StreamProxy."""

    def __aiter__(self) -> "AsyncStreamProxy":
        return self

    async def __anext__(self) -> Any:
        if self._it is None:
            self._it = self._inner.__aiter__()
        try:
            item = await self._it.__anext__()
        except StopAsyncIteration:
            self._span.end()
            raise
        except BaseException as exc:
            self._span.end(exc)
            raise
        _safe(self._on_chunk, self._span, item)
        return item

    async def __aenter__(self) -> "AsyncStreamProxy":
        enter = getattr(self._inner, "__aenter__", None)
        if enter is not None:
            await enter()
        return self

    async def __aexit__(self, *exc: Any) -> Any:
        try:
            exit_ = getattr(self._inner, "__aexit__", None)
            return (await exit_(*exc)) if exit_ is not None else None
        finally:
            self._span.end(exc[1])

    async def close(self) -> None:
        try:
            close = getattr(self._inner, "close", None)
            if close is not None:
                result = close()
                if inspect.isawaitable(result):
                    await result
        finally:
            self._span.end()
