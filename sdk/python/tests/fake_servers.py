"""Local HTTP servers for the tests: an ingest endpoint with scripted answers, and fakes of the
OpenAI and Anthropic HTTP APIs that the real client packages talk to through their base_url."""

from __future__ import annotations

import gzip
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, List, Optional, Tuple

Answer = Tuple[int, Dict[str, str], Any]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True


class FakeServer:
    """Runs ``handle(handler, path, body_bytes) -> None`` for each POST on 127.0.0.1:<free port>."""

    def __init__(self, handle: Callable[[BaseHTTPRequestHandler, str, bytes], None]) -> None:
        outer = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args: Any) -> None:
                pass

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                handle(self, self.path, body)

            def do_GET(self) -> None:
                outer.reply(self, 404, {"error": {"code": "not_found"}})

        self._httpd = _Server(("127.0.0.1", 0), Handler)
        self.url = "http://127.0.0.1:%d" % self._httpd.server_address[1]
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
        self._thread.start()

    @staticmethod
    def reply(handler: BaseHTTPRequestHandler, status: int, body: Any, headers: Optional[Dict[str, str]] = None) -> None:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        handler.send_response(status)
        handler.send_header("Content-Type", "application/json")
        handler.send_header("Content-Length", str(len(data)))
        for k, v in (headers or {}).items():
            handler.send_header(k, v)
        handler.end_headers()
        handler.wfile.write(data)

    def close(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


class FakeIngest:
    """An ingest endpoint. ``script`` answers the first requests in order, then 202 for all.
    An answer of ``"hang"`` holds the connection until ``release`` is set."""

    def __init__(self, script: Optional[List[Any]] = None) -> None:
        self.script: List[Any] = list(script or [])
        self.requests: List[Dict[str, Any]] = []
        self.lock = threading.Lock()
        self.holding = threading.Event()
        self.release = threading.Event()
        self.received = threading.Condition()
        self.server = FakeServer(self._handle)
        self.url = self.server.url

    def _handle(self, h: BaseHTTPRequestHandler, path: str, body: bytes) -> None:
        raw = gzip.decompress(body) if h.headers.get("Content-Encoding") == "gzip" else body
        batch = json.loads(raw)
        with self.lock:
            answer = self.script.pop(0) if self.script else None
            self.requests.append(
                {"path": path, "headers": dict(h.headers), "events": batch["events"], "sent_bytes": len(body),
                 "answer": answer, "at": time.monotonic()}
            )
        if answer == "hang":
            self.holding.set()
            self.release.wait(30)
            return
        if answer is None:
            answer = (202, {}, {"accepted": len(batch["events"]), "rejected": [], "request_id": "r"})
        status, headers, payload = answer
        FakeServer.reply(h, status, payload, headers)
        with self.received:
            self.received.notify_all()

    @property
    def events(self) -> List[Dict[str, Any]]:
        with self.lock:
            return [e for r in self.requests for e in r["events"]]

    def accepted_events(self) -> List[Dict[str, Any]]:
        with self.lock:
            return [e for r in self.requests if r["answer"] is None for e in r["events"]]

    def close(self) -> None:
        self.release.set()
        self.server.close()


# -- provider fakes ----------------------------------------------------------------------------
PROMPT = "PROMPT-TEXT-tell me a secret about zebras"
COMPLETION = "COMPLETION-TEXT-zebras are striped"


def _sse(h: BaseHTTPRequestHandler, events: List[Tuple[Optional[str], Any]]) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "text/event-stream")
    h.send_header("Transfer-Encoding", "chunked")
    h.end_headers()

    def chunk(data: bytes) -> None:
        h.wfile.write(b"%x\r\n%s\r\n" % (len(data), data))

    for name, payload in events:
        text = "" if name is None else "event: %s\n" % name
        text += "data: %s\n\n" % (payload if isinstance(payload, str) else json.dumps(payload))
        chunk(text.encode())
    h.wfile.write(b"0\r\n\r\n")


class _ProviderFake:
    """``fail_next`` = (status, body, headers) answers the next request with that error."""

    fail_next: Optional[Tuple[int, Any, Dict[str, str]]] = None

    def _failed(self, h: BaseHTTPRequestHandler) -> bool:
        if self.fail_next is None:
            return False
        status, payload, headers = self.fail_next
        self.fail_next = None
        FakeServer.reply(h, status, payload, headers)
        return True


class FakeOpenAI(_ProviderFake):
    """Chat completions, responses and embeddings, streamed or not. ``fail_next`` answers the next
    request with (status, body, headers)."""

    def __init__(self) -> None:
        self.server = FakeServer(self._handle)
        self.base_url = self.server.url + "/v1"

    def _handle(self, h: BaseHTTPRequestHandler, path: str, body: bytes) -> None:
        req = json.loads(body)
        if self._failed(h):
            return
        model = req.get("model", "gpt-4o-mini")
        usage = {"prompt_tokens": 1200, "completion_tokens": 350, "total_tokens": 1550,
                 "prompt_tokens_details": {"cached_tokens": 1000}}
        if path.endswith("/chat/completions"):
            if req.get("stream"):
                base = {"id": "c1", "object": "chat.completion.chunk", "created": 1, "model": model + "-2024-07-18"}
                events: List[Tuple[Optional[str], Any]] = [
                    (None, {**base, "choices": [{"index": 0, "delta": {"role": "assistant", "content": COMPLETION[:10]}}]}),
                    (None, {**base, "choices": [{"index": 0, "delta": {"content": COMPLETION[10:]}, "finish_reason": "stop"}]}),
                ]
                if (req.get("stream_options") or {}).get("include_usage"):
                    events.append((None, {**base, "choices": [], "usage": usage}))
                events.append((None, "[DONE]"))
                _sse(h, events)
                return
            FakeServer.reply(h, 200, {
                "id": "c1", "object": "chat.completion", "created": 1, "model": model + "-2024-07-18",
                "choices": [{"index": 0, "message": {"role": "assistant", "content": COMPLETION}, "finish_reason": "stop"}],
                "usage": usage,
            })
        elif path.endswith("/responses"):
            resp = {
                "id": "r1", "object": "response", "created_at": 1, "model": model, "status": "completed",
                "output": [{"type": "message", "id": "m1", "role": "assistant", "status": "completed",
                            "content": [{"type": "output_text", "text": COMPLETION, "annotations": []}]}],
                "parallel_tool_calls": True, "tool_choice": "auto", "tools": [],
                "usage": {"input_tokens": 800, "output_tokens": 100, "total_tokens": 900,
                          "input_tokens_details": {"cached_tokens": 600}, "output_tokens_details": {"reasoning_tokens": 0}},
            }
            if req.get("stream"):
                _sse(h, [
                    ("response.created", {"type": "response.created", "sequence_number": 0,
                                          "response": {**resp, "status": "in_progress", "usage": None, "output": []}}),
                    ("response.output_text.delta", {"type": "response.output_text.delta", "sequence_number": 1,
                                                    "item_id": "m1", "output_index": 0, "content_index": 0,
                                                    "delta": COMPLETION, "logprobs": []}),
                    ("response.completed", {"type": "response.completed", "sequence_number": 2, "response": resp}),
                ])
                return
            FakeServer.reply(h, 200, resp)
        elif path.endswith("/embeddings"):
            FakeServer.reply(h, 200, {"object": "list", "model": model,
                                      "data": [{"object": "embedding", "index": 0, "embedding": [0.1, 0.2]}],
                                      "usage": {"prompt_tokens": 42, "total_tokens": 42}})
        else:
            FakeServer.reply(h, 404, {"error": {"message": "no route", "type": "invalid_request_error"}})

    def close(self) -> None:
        self.server.close()


class FakeAnthropic(_ProviderFake):
    """POST /v1/messages, streamed or not, with prompt-cache usage."""

    def __init__(self) -> None:
        self.server = FakeServer(self._handle)
        self.base_url = self.server.url

    def _handle(self, h: BaseHTTPRequestHandler, path: str, body: bytes) -> None:
        req = json.loads(body)
        if self._failed(h):
            return
        model = req.get("model", "claude-sonnet-4")
        usage = {"input_tokens": 200, "output_tokens": 80, "cache_read_input_tokens": 3000,
                 "cache_creation_input_tokens": 500}
        msg = {"id": "msg_1", "type": "message", "role": "assistant", "model": model + "-20250514",
               "content": [{"type": "text", "text": COMPLETION}], "stop_reason": "end_turn",
               "stop_sequence": None, "usage": usage}
        if req.get("stream"):
            start = {**msg, "content": [], "stop_reason": None, "usage": {**usage, "output_tokens": 1}}
            _sse(h, [
                ("message_start", {"type": "message_start", "message": start}),
                ("content_block_start", {"type": "content_block_start", "index": 0, "content_block": {"type": "text", "text": ""}}),
                ("content_block_delta", {"type": "content_block_delta", "index": 0, "delta": {"type": "text_delta", "text": COMPLETION}}),
                ("content_block_stop", {"type": "content_block_stop", "index": 0}),
                ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "end_turn", "stop_sequence": None},
                                   "usage": {"output_tokens": 80}}),
                ("message_stop", {"type": "message_stop"}),
            ])
            return
        FakeServer.reply(h, 200, msg)

    def close(self) -> None:
        self.server.close()
