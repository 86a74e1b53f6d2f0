"""Writing the ``report order`` document as text, CSV, JSON or one HTML file."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from html import escape
from typing import Any

from ocafas.reports import fmt
from ocafas.reports.cells import RenderOptions, text_console
from ocafas.reports.html import html_document


def _compact(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(", ", ": "))


def _check_lines(detail: dict[str, Any]) -> list[str]:
    checks = detail["checks"]
    lines = []
    for check in checks["rerun"]:
        if check["ok"]:
            lines.append(f"ok    {check['check']}")
        for found in check["problems"]:
            lines.append(f"FAIL  {check['check']}: {found['code']} {found['message']}")
            lines.append(f"      what to do: {found['hint']}")
    if checks["rerun_note"]:
        lines.append(f"({checks['rerun_note']})")
    recorded = checks["recorded"]
    if recorded:
        lines.append(f"recorded: {recorded['code']} {recorded['message']}")
        if recorded.get("hint"):
            lines.append(f"      what to do: {recorded['hint']}")
    return lines


def _order_rows(detail: dict[str, Any], locale: str) -> tuple[list[list[str]], list[list[str]]]:
    order = detail["order"]
    products = [
        [
            str(p.get("name", "")),
            str(p.get("quantity", "")),
            fmt.amount(Decimal(str(p.get("price", 0))), locale),
            fmt.amount(Decimal(str(p.get("total", 0))), locale),
            fmt.amount(Decimal(str(p.get("tax", 0))), locale),
        ]
        for p in order.get("products", []) or []
    ]
    totals = [
        [str(t.get("code", "")), str(t.get("title", "")), str(t.get("value", ""))]
        for t in order.get("totals", []) or []
    ]
    return products, totals


def _headline(detail: dict[str, Any]) -> str:
    summary = detail["summary"]
    return f"Order {detail['order_id']} · {summary['state']} · shop {detail['shop']}"


def _facts(detail: dict[str, Any], locale: str) -> list[str]:
    summary = detail["summary"]
    order = detail["order"]
    facts = [
        f"placed {summary['date_added']} (modified {summary['date_modified']})",
        f"customer {summary['customer'] or '-'} <{summary['email'] or '-'}>, country"
        f" {summary['country'] or '-'}",
    ]
    if "total" in order:
        payment = (order.get("payment_method") or {}).get("code", "")
        facts.append(
            f"status {order.get('order_status', '')} ({summary['status_id']}), currency"
            f" {order.get('currency_code', '')}, payment {payment}, total"
            f" {fmt.amount(Decimal(str(order['total'])), locale)}"
        )
    elif "malformed" in order:
        facts.append(f"the shop sent an unreadable order: {order['malformed']}")
    facts.append(f"attempts {summary['attempts']}, last {summary['last_attempt_at'] or '-'}")
    return facts


def render_order_text(detail: dict[str, Any], options: RenderOptions) -> str:
    from rich.table import Table

    console, out = text_console(options)
    say = console.print
    say(_headline(detail), style="bold", markup=False)
    for fact in _facts(detail, options.locale):
        say(f"  {fact}", markup=False)
    products, totals = _order_rows(detail, options.locale)
    if products:
        table = Table(title="Order as read", title_justify="left")
        for header in ("Product", "Qty", "Price", "Total", "Tax/unit"):
            table.add_column(header, justify="left" if header == "Product" else "right")
        for row in products:
            table.add_row(*row)
        say(table)
    if totals:
        table = Table(title="Order totals", title_justify="left")
        for header in ("Code", "Title", "Value"):
            table.add_column(header, justify="right" if header == "Value" else "left")
        for row in totals:
            table.add_row(*row)
        say(table)
    say("Checks", style="bold", markup=False)
    for line in _check_lines(detail):
        say(f"  {line}", markup=False)
    say("AFAS SB", style="bold", markup=False)
    if not detail["entries"]:
        say("  nothing was sent to AFAS SB for this order", markup=False)
    for entry in detail["entries"]:
        say(
            f"  entry {entry['entry_id']} ({entry['kind']}): {entry['state']}, invoice"
            f" {entry['invoice_number'] or '-'}, tracking id {entry['tracking_id'] or '-'},"
            f" AFAS entry id {entry['afas_entry_id'] or '-'}",
            markup=False,
        )
        if entry["error"]:
            say(f"    refused: {entry['error']['code']} {entry['error']['message']}", markup=False)
        say(f"    request: {_compact(entry['request'])}", markup=False)
        say(f"    response: {_compact(entry['response'])}", markup=False)
    table = Table(title="Events", title_justify="left")
    for header in ("At (UTC)", "Event", "Details"):
        table.add_column(header, overflow="fold")
    for event in detail["events"]:
        table.add_row(event["at"][:19], event["event"], _compact(event["details"]))
    say(table)
    say("Next", style="bold", markup=False)
    say(f"  {detail['next']}", markup=False)
    return out.getvalue()


def _flatten(prefix: str, value: Any, out: list[tuple[str, str]]) -> None:
    if isinstance(value, dict):
        for key, item in value.items():
            _flatten(f"{prefix}.{key}" if prefix else str(key), item, out)
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _flatten(f"{prefix}[{index}]", item, out)
    else:
        out.append((prefix, "" if value is None else str(value)))


def render_order_csv(detail: dict[str, Any], options: RenderOptions) -> str:
    """One ``field;value`` row per value of the document (key paths as in the JSON)."""
    rows: list[tuple[str, str]] = []
    _flatten("", detail, rows)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=options.csv_delimiter, lineterminator="\r\n")
    writer.writerow(["Field", "Value"])
    writer.writerows(rows)
    text = out.getvalue()
    return ("\ufeff" + text) if options.bom else text


def render_order_json(detail: dict[str, Any], options: RenderOptions) -> str:
    return json.dumps(detail, indent=2, ensure_ascii=False) + "\n"


def _html_rows(headers: list[str], rows: list[list[str]], title: str) -> str:
    head = "".join(f"<th>{escape(h)}</th>" for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{escape(c)}</td>" for c in row) + "</tr>" for row in rows)
    return (
        f'<table><thead><tr><th class="section" colspan="{len(headers)}">{escape(title)}'
        f"</th></tr><tr>{head}</tr></thead><tbody>{body}</tbody></table>"
    )


def render_order_html(detail: dict[str, Any], options: RenderOptions) -> str:
    blocks = ["<div>" + "<br>".join(escape(f) for f in _facts(detail, options.locale)) + "</div>"]
    products, totals = _order_rows(detail, options.locale)
    blocks.append(
        _html_rows(["Product", "Qty", "Price", "Total", "Tax/unit"], products, "Order as read")
    )
    blocks.append(_html_rows(["Code", "Title", "Value"], totals, "Order totals"))
    blocks.append("<h2>Checks</h2><pre>" + escape("\n".join(_check_lines(detail))) + "</pre>")
    entries = [
        f"entry {e['entry_id']} ({e['kind']}): {e['state']}, invoice {e['invoice_number'] or '-'}"
        f"\nrequest: {json.dumps(e['request'], indent=1, ensure_ascii=False)}"
        f"\nresponse: {json.dumps(e['response'], indent=1, ensure_ascii=False)}"
        for e in detail["entries"]
    ]
    blocks.append(
        "<h2>AFAS SB</h2><pre>" + escape("\n\n".join(entries) or "nothing sent") + "</pre>"
    )
    events = [[e["at"][:19], e["event"], _compact(e["details"])] for e in detail["events"]]
    blocks.append(_html_rows(["At (UTC)", "Event", "Details"], events, "Events"))
    blocks.append(f"<h2>Next</h2><p>{escape(detail['next'])}</p>")
    return html_document(_headline(detail), options.locale, blocks, [])


ORDER_RENDERERS = {
    "table": render_order_text,
    "csv": render_order_csv,
    "json": render_order_json,
    "html": render_order_html,
}
