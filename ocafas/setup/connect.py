"""`ocafas connect`: ask for (or take) both connections, test them at once, save the config.

Every value comes from, in this order: its option, the config file as it is, the environment
(for the two secrets), then a question with that value as the default. Both sides are tested
before anything is written, and nothing is written while a side is red.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape

from ocafas.config_schema import SECRET_ENV_FALLBACKS
from ocafas.errors import ConfigError, ExitCode
from ocafas.setup.checks import (
    AFAS_WRITES,
    AfasCheck,
    Dot,
    afas_base_url,
    check_afas,
    check_opencart,
    check_rights,
    split_afas_url,
)
from ocafas.setup.configdoc import ConfigDocument, env_reference, expand
from ocafas.setup.connect_save import State, secret_values, write_sections
from ocafas.setup.prompts import NoPrompter, Prompter

OC_KEY_ENV = SECRET_ENV_FALLBACKS["opencart.api_key"]
AFAS_TOKEN_ENV = SECRET_ENV_FALLBACKS["afas.app_token"]


@dataclass
class ConnectAnswers:
    """What the options said; None means "not given"."""

    opencart_url: str | None = None
    api_key: str | None = None
    afas_url: str | None = None
    accountant_domain: str | None = None
    customer_environment: str | None = None
    app_token: str | None = None
    administration: str | None = None
    statuses: list[str] | None = None
    start_date: date | None = None
    #: "env" (write ${VAR} references), "file" (literal values in the 0600 file), None: ask
    secrets: str | None = None


def show_dot(out: Console, dot: Dot) -> None:
    colour = "green" if dot.ok else "red"
    out.print(f"[{colour}]●[/{colour}] {dot.side}: {escape(dot.text)}", soft_wrap=True)
    if dot.detail:
        out.print(f"    {escape(dot.detail)}", style="dim", soft_wrap=True)


def run_connect(
    doc: ConfigDocument,
    answers: ConnectAnswers,
    prompter: Prompter,
    out: Console,
    *,
    check_only: bool = False,
    environ: dict[str, str] | None = None,
) -> int:
    """Test both sides (and save unless ``check_only``); return the exit code."""
    env = dict(os.environ if environ is None else environ)
    if check_only:
        prompter = NoPrompter()
    state = State()
    while True:
        _opencart_values(doc, answers, prompter, env, state)
        oc_dot, shop, client = check_opencart(
            state.opencart_url, state.api_key, ca_bundle=_ca_bundle(doc, "opencart")
        )
        show_dot(out, oc_dot)
        state.shop = shop
        if oc_dot.ok or not prompter.interactive:
            break
        if not prompter.confirm(
            "Enter other OpenCart values?", option="--opencart-url", default=True
        ):
            break
        answers.opencart_url = prompter.ask(
            "OpenCart endpoint URL", option="--opencart-url", default=state.opencart_url
        )
        answers.api_key = prompter.ask("OpenCart API key", option="--api-key", secret=True)
    statuses = None
    if client is not None:
        if not check_only:
            statuses = client.statuses()
        client.close()

    while True:
        _afas_values(doc, answers, prompter, env, state)
        check = check_afas(
            afas_base_url(state.domain, state.environment, state.base_url),
            state.app_token,
            ca_bundle=_ca_bundle(doc, "afas"),
        )
        afas_dot = check.dot
        if check.client is not None:
            state.administration_id = _pick_administration(doc, answers, prompter, check)
            afas_dot = check_rights(check, state.administration_id)
            chosen = next(a for a in check.administrations if a.id == state.administration_id)
            if afas_dot.ok:
                afas_dot = Dot(afas_dot.side, True, f"administration {chosen.description}")
        show_dot(out, afas_dot)
        if afas_dot.ok or not prompter.interactive:
            break
        if not prompter.confirm("Enter other AFAS SB values?", option="--afas-url", default=True):
            break
        answers.afas_url = prompter.ask(
            "AFAS SB URL (as your browser shows it)",
            option="--afas-url",
            default=afas_base_url(state.domain, state.environment, state.base_url),
        )
        answers.app_token = prompter.ask("AFAS SB app token", option="--app-token", secret=True)
        answers.administration = None
        answers.accountant_domain = answers.customer_environment = None
    if afas_dot.ok:
        out.print(
            f"    not testable without writing: {', '.join(AFAS_WRITES)} - make sure the app "
            "has these rights too",
            style="dim",
            soft_wrap=True,
        )
    state.dots = [oc_dot, afas_dot]
    code = _exit_code(state.dots)
    if check_only:
        return code
    if code != ExitCode.OK:
        out.print("Nothing saved: fix the red side and run 'ocafas connect' again.")
        return code

    state.statuses = _statuses(doc, answers, prompter, statuses)
    start = _start_date(doc, answers, prompter)
    secrets = secret_values(doc, answers, prompter, env, state, out)
    write_sections(doc, state, secrets, start)
    if doc.save():
        out.print(f"Saved {doc.path} (mode 0600).")
    else:
        out.print(f"{doc.path} already says this; nothing changed.")
    out.print("Next: 'ocafas configure-vat' maps the shop's VAT rates to AFAS SB.")
    return int(ExitCode.OK)


def _ca_bundle(doc: ConfigDocument, section: str) -> str | None:
    value = doc.get(section, "ca_bundle")
    if not value:
        return None
    path = Path(str(value)).expanduser()
    return str(path if path.is_absolute() else doc.path.parent / path)


def _exit_code(dots: list[Dot]) -> int:
    for dot in dots:
        if not dot.ok:
            return int(ExitCode.OPENCART if dot.side == "OpenCart" else ExitCode.AFAS)
    return int(ExitCode.OK)


def _existing_secret(doc: ConfigDocument, section: str, key: str, env: dict[str, str]) -> str:
    value = doc.get(section, key)
    if value is None:
        fallback = SECRET_ENV_FALLBACKS[f"{section}.{key}"]
        return env.get(fallback, "")
    text = str(expand(str(value), env))
    return "" if env_reference(text) else text


def _opencart_values(
    doc: ConfigDocument, answers: ConnectAnswers, prompter: Prompter, env: dict[str, str],
    state: State,
) -> None:  # fmt: skip
    current = doc.get("opencart", "url")
    state.opencart_url = answers.opencart_url or prompter.ask(
        "OpenCart endpoint URL (shown on the ocafas extension's settings page)",
        option="--opencart-url",
        default=str(current) if current else None,
    )
    known = _existing_secret(doc, "opencart", "api_key", env)
    state.api_key = answers.api_key or (
        known
        if known and not prompter.interactive
        else prompter.ask(
            "OpenCart API key" + (" (Enter keeps the current one)" if known else ""),
            option="--api-key",
            default=known or None,
            secret=True,
        )
    )


def _afas_values(
    doc: ConfigDocument, answers: ConnectAnswers, prompter: Prompter, env: dict[str, str],
    state: State,
) -> None:  # fmt: skip
    afas = doc.section("afas")
    if answers.afas_url:
        state.domain, state.environment, state.base_url = split_afas_url(answers.afas_url)
    elif answers.accountant_domain or answers.customer_environment:
        state.domain = answers.accountant_domain or afas.get("accountant_domain")
        state.environment = answers.customer_environment or afas.get("customer_environment")
        state.base_url = None
        if not state.domain or not state.environment:
            missing = "--accountant-domain" if not state.domain else "--customer-environment"
            raise ConfigError(f"{missing} is needed too (or give the whole --afas-url)")
    else:
        current = afas.get("base_url") or (
            afas_base_url(afas.get("accountant_domain"), afas.get("customer_environment"), None)
            if afas.get("accountant_domain") and afas.get("customer_environment")
            else None
        )
        url = prompter.ask(
            "AFAS SB URL (as your browser shows it, e.g. "
            "https://app-center-demo.afasfocus.nl/webwinkelfacturen)",
            option="--afas-url",
            default=str(current) if current else None,
        )
        state.domain, state.environment, state.base_url = split_afas_url(url)
    known = _existing_secret(doc, "afas", "app_token", env)
    state.app_token = answers.app_token or (
        known
        if known and not prompter.interactive
        else prompter.ask(
            "AFAS SB app token" + (" (Enter keeps the current one)" if known else ""),
            option="--app-token",
            default=known or None,
            secret=True,
        )
    )


def _pick_administration(
    doc: ConfigDocument, answers: ConnectAnswers, prompter: Prompter, check: AfasCheck
) -> str:
    admins = check.administrations
    if answers.administration:
        wanted = answers.administration.strip().lower()
        for admin in admins:
            if wanted in (admin.id, admin.description.strip().lower()):
                return admin.id
        names = "; ".join(f"{a.description} ({a.id})" for a in admins)
        raise ConfigError(
            f"--administration {answers.administration!r} is not one AFAS SB lists: {names}"
        )
    current = str(doc.get("afas", "administration_id") or "").lower()
    ids = [a.id for a in admins]
    if len(admins) == 1:
        return admins[0].id
    if not prompter.interactive and current in ids:
        return current
    lines = [f"  {i}. {a.description} ({a.id})" for i, a in enumerate(admins, 1)]
    default = str(ids.index(current) + 1) if current in ids else None
    answer = prompter.ask(
        "Administration to book into:\n" + "\n".join(lines) + "\nNumber",
        option="--administration",
        default=default,
        choices=[str(i) for i in range(1, len(admins) + 1)],
    )
    return admins[int(answer) - 1].id


def _statuses(
    doc: ConfigDocument, answers: ConnectAnswers, prompter: Prompter, shop_statuses: Any
) -> list[Any]:
    if answers.statuses:
        return list(answers.statuses)
    current = doc.get("opencart", "processable_statuses")
    if isinstance(current, list) and current and not prompter.interactive:
        return list(current)
    if isinstance(current, list) and current:
        default = ", ".join(str(s) for s in current)
    else:
        names = [shop_statuses.name_of(i) for i in shop_statuses.complete] if shop_statuses else []
        default = ", ".join(n for n in names if n) or "Complete"
    answer = prompter.ask(
        "Order statuses to book (comma separated; others wait)",
        option="--statuses",
        default=default,
    )
    result: list[Any] = []
    for part in answer.split(","):
        part = part.strip()
        if part:
            result.append(int(part) if part.isdigit() else part)
    if isinstance(current, list) and [str(s) for s in current] == [str(s) for s in result]:
        return list(current)  # unchanged: keep the file's own values
    return result


def _start_date(doc: ConfigDocument, answers: ConnectAnswers, prompter: Prompter) -> date | None:
    """The start date to write, or None to keep the one in the file."""
    if answers.start_date:
        return answers.start_date
    current = doc.get("sync", "start_date")
    if current is not None and not prompter.interactive:
        return None
    default = str(current) if current is not None else date.today().isoformat()
    while True:
        answer = prompter.ask(
            "Book orders placed on or after (YYYY-MM-DD; earlier orders are never booked)",
            option="--start-date",
            default=default,
        )
        try:
            chosen = date.fromisoformat(answer.strip())
        except ValueError:
            if not prompter.interactive:
                raise ConfigError(f"--start-date {answer!r} is not a date (YYYY-MM-DD)") from None
            continue
        return None if str(current) == chosen.isoformat() else chosen


def config_path_for(explicit: Path | None) -> Path:
    from ocafas.config import resolve_config_path

    return resolve_config_path(explicit)
