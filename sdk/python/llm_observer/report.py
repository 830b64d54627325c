"""``python -m llm_observer report FILE``: per-model (or provider/operation/environment) calls, error
rate, tokens, cost and p50/p95/p99 latency from a JSONL file written with LLM_OBSERVER_FILE."""

from __future__ import annotations

import argparse
import json
import re
import sys
from datetime import datetime, timedelta, timezone
from typing import IO, Any, Dict, Iterable, List, Optional

from ._aggregator import DIMENSIONS, Aggregator

_RELATIVE = re.compile(r"(\d+(?:\.\d+)?)([smhd])\Z")
_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_FRACTION = re.compile(r"\.(\d+)")


def parse_time(value: str, now: Optional[datetime] = None) -> datetime:
    """An RFC 3339 time (``2026-11-25T12:00:00Z``) or a duration back from now (``30m``, ``2h``, ``7d``)."""
    m = _RELATIVE.match(value.strip())
    if m:
        base = now or datetime.now(timezone.utc)
        return base - timedelta(seconds=float(m.group(1)) * _UNITS[m.group(2)])
    text = value.strip().replace("Z", "+00:00").replace("z", "+00:00")
    text = _FRACTION.sub(lambda f: "." + f.group(1)[:6].ljust(6, "0"), text, count=1)
    parsed = datetime.fromisoformat(text)
    if parsed.tzinfo is None:
        raise ValueError("a time zone offset is needed (Z or ±hh:mm)")
    return parsed


def read_events(lines: Iterable[str], since: Optional[datetime]) -> Iterable[Dict[str, Any]]:
    for line in lines:
        line = line.strip()
        if not line:
            continue
        try:
            ev = json.loads(line)
            if not isinstance(ev, dict) or not all(k in ev for k in ("provider", "model", "operation", "status")):
                continue
            if since is not None and parse_time(str(ev.get("timestamp"))) < since:
                continue
        except ValueError:
            continue
        yield ev


def build_report(lines: Iterable[str], by: str = "model", since: Optional[datetime] = None) -> List[Dict[str, Any]]:
    agg = Aggregator()
    for ev in read_events(lines, since):
        agg.add(ev)
    return agg.summary(by)


def _fmt_ms(v: Optional[float]) -> str:
    return "-" if v is None else "%.1f" % v


def format_table(rows: List[Dict[str, Any]], by: str) -> str:
    header = [by, "calls", "errors", "error_rate", "input_tokens", "output_tokens", "cached_tokens", "cost_usd",
              "p50_ms", "p95_ms", "p99_ms"]
    body = [
        [
            "-" if r[by] is None else str(r[by]),
            str(r["calls"]),
            str(r["errors"]),
            "%.1f%%" % (100 * r["error_rate"]),
            str(r["input_tokens"]),
            str(r["output_tokens"]),
            str(r["cache_read_input_tokens"]),
            "%.6f" % r["cost_usd"],
            _fmt_ms(r["p50_ms"]),
            _fmt_ms(r["p95_ms"]),
            _fmt_ms(r["p99_ms"]),
        ]
        for r in rows
    ]
    widths = [max(len(row[i]) for row in [header] + body) for i in range(len(header))]
    out = []
    for row in [header] + body:
        cells = [row[0].ljust(widths[0])] + [c.rjust(w) for c, w in zip(row[1:], widths[1:])]
        out.append("  ".join(cells).rstrip())
    return "\n".join(out)


def main(argv: Optional[List[str]] = None, stdout: IO[str] = sys.stdout) -> int:
    parser = argparse.ArgumentParser(prog="python -m llm_observer", description="Local analysis of llm_observer events.")
    sub = parser.add_subparsers(dest="command", required=True)
    rep = sub.add_parser("report", help="summarise a JSONL file written with LLM_OBSERVER_FILE")
    rep.add_argument("file", help="the JSONL file ('-' for standard input)")
    rep.add_argument("--by", choices=DIMENSIONS, default="model", help="group rows by this field (default: model)")
    rep.add_argument("--since", help="only events at or after this time: RFC 3339, or 30m / 2h / 7d back from now")
    rep.add_argument("--json", action="store_true", help="print the rows as JSON")
    args = parser.parse_args(argv)
    try:
        since = parse_time(args.since) if args.since else None
    except ValueError as exc:
        parser.error("--since: %s" % exc)
    try:
        if args.file == "-":
            rows = build_report(sys.stdin, args.by, since)
        else:
            with open(args.file, encoding="utf-8", errors="replace") as fh:
                rows = build_report(fh, args.by, since)
    except OSError as exc:
        print("cannot read %s: %s" % (args.file, exc.strerror), file=sys.stderr)
        return 2
    if args.json:
        stdout.write(json.dumps(rows, indent=2) + "\n")
    elif not rows:
        stdout.write("no events\n")
    else:
        stdout.write(format_table(rows, args.by) + "\n")
    return 0
