"""A span is one LLM operation in flight; ``end()`` turns it into one event v1 and hands it to the
runtime. ``observe`` makes spans for any client, as a context manager or a decorator."""

from __future__ import annotations

import functools
import inspect
import time
from typing import Any, Callable, Dict, Iterable, Mapping, Optional, TypeVar

from . import _event as E
from . import _trace
from ._event import SCHEMA_VERSION, SDK_INFO

F = TypeVar("F", bound=Callable[..., Any])


class Span:
    """Collects what is known about one call. Every setter is safe to call with any value."""

    __slots__ = (
        "provider", "model", "operation", "_start", "_t0", "_ended", "usage", "cost_usd",
        "response_model", "finish_reasons", "ttft_ms", "error", "attributes", "analysis",
        "session_id", "user_id", "trace_id", "span_id", "parent_span_id",
    )

    def __init__(self, provider: Any, model: Any, operation: Any, root: bool = False) -> None:
        self._start = time.time()
        self._t0 = time.perf_counter()
        self._ended = False
        self.provider = provider
        self.model = model
        self.operation = operation
        self.usage: Optional[Dict[str, int]] = None
        self.cost_usd: Optional[float] = None
        self.response_model: Any = None
        self.finish_reasons: Optional[list] = None
        self.ttft_ms: Optional[float] = None
        self.error: Optional[Dict[str, str]] = None
        self.attributes: Optional[Dict[str, Any]] = None
        self.analysis: Optional[Dict[str, Any]] = None
        self.session_id: Any = None
        self.user_id: Any = None
        parent = _trace.current()
        if parent is not None:
            self.trace_id, self.parent_span_id = parent
            self.span_id: Optional[str] = _trace.new_span_id()
        elif root:
            self.trace_id, self.parent_span_id = _trace.new_trace_id(), None
            self.span_id = _trace.new_span_id()
        else:
            self.trace_id = self.span_id = self.parent_span_id = None

    # -- what the caller (or an instrumentation) learns ------------------------------------------
    def set_model(self, model: Any) -> None:
        self.model = model

    def set_response_model(self, model: Any) -> None:
        self.response_model = model

    def set_usage(
        self,
        input_tokens: Any = None,
        output_tokens: Any = None,
        cache_read_input_tokens: Any = None,
        cache_creation_input_tokens: Any = None,
    ) -> None:
        """Token counts; ``input_tokens`` counts every input token, cached ones included."""
        usage = self.usage if self.usage is not None else {}
        for key, value in (
            ("input_tokens", input_tokens),
            ("output_tokens", output_tokens),
            ("cache_read_input_tokens", cache_read_input_tokens),
            ("cache_creation_input_tokens", cache_creation_input_tokens),
        ):
            v = E.clean_tokens(value)
            if v is not None:
                usage[key] = v
        self.usage = usage or None

    def set_cost(self, usd: Any) -> None:
        """Overrides the cost computed from the price table."""
        self.cost_usd = E.clean_cost(usd)

    def set_finish_reasons(self, reasons: Iterable[Any]) -> None:
        try:
            self.finish_reasons = E.clean_finish_reasons(reasons)
        except Exception:
            pass

    def mark_first_token(self) -> None:
        """Records time to first token (only the first call counts)."""
        if self.ttft_ms is None:
            self.ttft_ms = (time.perf_counter() - self._t0) * 1000

    def set_attribute(self, key: str, value: Any) -> None:
        self.set_attributes({key: value})

    def set_attributes(self, values: Mapping[str, Any]) -> None:
        """Flat string/number/boolean attributes (nested mappings become dotted keys)."""
        if self.attributes is None:
            self.attributes = {}
        self.attributes.update(values)

    def set_analysis(self, values: Mapping[str, Any]) -> None:
        """Results of local analyzers (flat map, same bounds as attributes)."""
        if self.analysis is None:
            self.analysis = {}
        self.analysis.update(values)

    def set_session(self, session_id: Any = None, user_id: Any = None) -> None:
        if session_id is not None:
            self.session_id = session_id
        if user_id is not None:
            self.user_id = user_id

    def set_error(self, error_type: Any, message: Any = "") -> None:
        self.error = {
            "type": E.clean_text(error_type, E.MAX_ERROR_TYPE, "Error") or "Error",
            "message": E.clean_text(message, E.MAX_ERROR_MESSAGE, "") or "",
        }

    def record_exception(self, exc: BaseException) -> None:
        """error.type is the exception's class; error.message holds no exception text unless
        ``capture_error_messages=True`` (it may quote a prompt)."""
        from ._runtime import runtime

        status = getattr(exc, "status_code", None)
        message = "HTTP %d" % status if isinstance(status, int) else ""
        code = getattr(exc, "code", None)
        if isinstance(code, str) and code:
            message = (message + " " + code).strip()
        if runtime.config_or_default().capture_error_messages:
            message = (message + ": " + E._safe_str(exc)).lstrip(": ")
        self.set_error(type(exc).__name__, message)

    # -- the event -------------------------------------------------------------------------------
    def end(self, exc: Optional[BaseException] = None) -> None:
        """Finishes the span (idempotent) and emits its event. Never raises."""
        if self._ended:
            return
        self._ended = True
        try:
            if exc is not None and self.error is None:
                self.record_exception(exc)
            from ._runtime import runtime

            runtime.emit(self._event((time.perf_counter() - self._t0) * 1000, runtime))
        except Exception:
            pass

    def _event(self, duration_ms: float, runtime: Any) -> Dict[str, Any]:
        cfg = runtime.config_or_default()
        provider = E.clean_provider(self.provider)
        model = E.clean_text(self.model, E.MAX_MODEL, "unknown")
        ev: Dict[str, Any] = {
            "schema_version": SCHEMA_VERSION,
            "event_id": None,  # assigned by the sender thread, once, so a retried batch keeps it
            "timestamp": self._start,  # formatted by the sender thread
            "operation": E.clean_operation(self.operation),
            "provider": provider,
            "model": model,
            "status": "ok" if self.error is None else "error",
        }
        if self.error is not None:
            ev["error"] = self.error
        if self.response_model is not None:
            rm = E.clean_text(self.response_model, E.MAX_MODEL)
            if rm:
                ev["response_model"] = rm
        ev["duration_ms"] = E.clean_ms(duration_ms)
        if self.ttft_ms is not None:
            ev["time_to_first_token_ms"] = E.clean_ms(self.ttft_ms)
        if self.usage:
            ev["usage"] = self.usage
            cost = self.cost_usd
            if cost is None:
                cost = runtime.prices.cost(provider, ev.get("response_model") or model, self.usage)
                if cost is None and "response_model" in ev:
                    cost = runtime.prices.cost(provider, model, self.usage)
            if cost is not None:
                ev["cost_usd"] = E.clean_cost(cost)
        elif self.cost_usd is not None:
            ev["cost_usd"] = self.cost_usd
        if self.trace_id is not None:
            ev["trace_id"] = self.trace_id
            ev["span_id"] = self.span_id
            if self.parent_span_id is not None:
                ev["parent_span_id"] = self.parent_span_id
        if self.session_id is not None:
            s = E.clean_text(self.session_id, E.MAX_OPAQUE_ID)
            if s:
                ev["session_id"] = s
        if self.user_id is not None:
            u = E.clean_text(self.user_id, E.MAX_OPAQUE_ID)
            if u:
                ev["user_id"] = u
        if cfg.environment:
            ev["environment"] = E.clean_text(cfg.environment, E.MAX_ENVIRONMENT)
        if self.finish_reasons:
            ev["finish_reasons"] = self.finish_reasons
        if cfg.attributes or self.attributes:
            attrs: Dict[str, Any] = {}
            if cfg.attributes:
                E.clean_flat_map(cfg.attributes, attrs)
            if self.attributes:
                E.clean_flat_map(self.attributes, attrs)
            if attrs:
                ev["attributes"] = attrs
        if self.analysis:
            analysis = E.clean_flat_map(self.analysis)
            if analysis:
                ev["analysis"] = analysis
        ev["sdk"] = SDK_INFO
        return ev


class observe:
    """Records one event per block or per call of a decorated function (sync or async)::

        with llm_observer.observe(provider="mistral", model="mistral-large", operation="chat") as span:
            reply = my_client.chat(...)
            span.set_usage(input_tokens=reply.usage.prompt_tokens, output_tokens=reply.usage.completion_tokens)

    The block's exception, if any, marks the event as an error and propagates unchanged. Code inside
    runs in the span's trace: instrumented calls made there become its children.
    """

    def __init__(
        self,
        provider: str = "custom",
        model: str = "unknown",
        operation: str = "chat",
        attributes: Optional[Mapping[str, Any]] = None,
        session_id: Optional[str] = None,
        user_id: Optional[str] = None,
    ) -> None:
        self._args = (provider, model, operation, attributes, session_id, user_id)
        self._stack: list = []

    def _begin(self) -> Span:
        provider, model, operation, attributes, session_id, user_id = self._args
        span = Span(provider, model, operation, root=True)
        if attributes:
            span.set_attributes(attributes)
        span.set_session(session_id, user_id)
        token = _trace.activate((span.trace_id, span.span_id))
        self._stack.append((span, token))
        return span

    def _finish(self, exc: Optional[BaseException]) -> None:
        span, token = self._stack.pop()
        _trace.deactivate(token)
        span.end(exc)

    def __enter__(self) -> Span:
        return self._begin()

    def __exit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> bool:
        self._finish(exc)
        return False

    async def __aenter__(self) -> Span:
        return self._begin()

    async def __aexit__(self, exc_type: Any, exc: Optional[BaseException], tb: Any) -> bool:
        self._finish(exc)
        return False

    def __call__(self, fn: F) -> F:
        args = self._args
        if inspect.iscoroutinefunction(fn):

            @functools.wraps(fn)
            async def async_wrapper(*a: Any, **kw: Any) -> Any:
                async with observe(*args):
                    return await fn(*a, **kw)

            return async_wrapper  # type: ignore[return-value]

        @functools.wraps(fn)
        def wrapper(*a: Any, **kw: Any) -> Any:
            with observe(*args):
                return fn(*a, **kw)

        return wrapper  # type: ignore[return-value]
