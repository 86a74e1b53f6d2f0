"""`ocafas connect` and `ocafas configure-vat`: the Click side (options, prompts, output).

The logic lives in ``ocafas.setup``; here the options become answers, the terminal becomes a
prompter, and the result becomes the exit code. Without a terminal (cron, a closed stdin) no
question is asked: a missing value fails at once, naming the option that supplies it.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from ocafas.commands.context import Context

if TYPE_CHECKING:
    from rich.console import Console

    from ocafas.setup.prompts import Prompter


class ClickPrompter:
    """Asks in the terminal (or whatever feeds stdin when --interactive is forced)."""

    interactive = True

    def ask(
        self,
        label: str,
        *,
        option: str,
        default: str | None = None,
        secret: bool = False,
        choices: Sequence[str] | None = None,
    ) -> str:
        kind: Any = click.Choice(list(choices)) if choices else str
        answer = click.prompt(
            label,
            default=default,
            hide_input=secret,
            type=kind,
            show_default=not secret,
            show_choices=False,
        )
        return str(answer).strip()

    def confirm(self, label: str, *, option: str, default: bool | None) -> bool:
        return bool(click.confirm(label, default=bool(default)))


def _prompter(interactive: bool | None) -> Prompter:
    from ocafas.setup.prompts import NoPrompter

    if interactive is None:
        interactive = sys.stdin is not None and sys.stdin.isatty()
    return ClickPrompter() if interactive else NoPrompter()


def _console() -> Console:
    from rich.console import Console

    return Console(highlight=False, soft_wrap=True)


interactive_option = click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask for what is missing (default: only when stdin is a terminal).",
)


@click.command("connect")
@click.option("--opencart-url", metavar="URL", help="The endpoint URL the extension shows.")
@click.option("--api-key", metavar="KEY", help="The API key saved in the extension.")
@click.option(
    "--afas-url",
    metavar="URL",
    help="The AFAS SB URL from the browser, e.g. https://app-center-demo.afasfocus.nl/shop.",
)
@click.option("--accountant-domain", metavar="NAME", help="AFAS SB accountant domain.")
@click.option("--customer-environment", metavar="NAME", help="AFAS SB customer environment.")
@click.option("--app-token", metavar="TOKEN", help="The app token from AFAS SB's App Center.")
@click.option(
    "--administration", metavar="ID|NAME", help="The administration to book into (id or name)."
)
@click.option(
    "--statuses", metavar="LIST", help="Order statuses to book, comma separated (names or ids)."
)
@click.option(
    "--start-date",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    help="Book orders placed on or after this date (YYYY-MM-DD).",
)
@click.option(
    "--secrets",
    type=click.Choice(["env", "file"]),
    help="env: write ${OCAFAS_...} references; file: the values themselves (file mode 0600).",
)
@click.option("--check", "check_only", is_flag=True, help="Only test the config; save nothing.")
@interactive_option
@click.pass_context
def connect(
    ctx: click.Context,
    opencart_url: str | None,
    api_key: str | None,
    afas_url: str | None,
    accountant_domain: str | None,
    customer_environment: str | None,
    app_token: str | None,
    administration: str | None,
    statuses: str | None,
    start_date: datetime | None,
    secrets: str | None,
    check_only: bool,
    interactive: bool | None,
) -> None:
    """Connect the shop and AFAS SB: test both at once, pick the administration, save.

    Shows a green or red dot per side, with the cause of a red one (wrong key, extension
    disabled, not an ocafas endpoint, token refused, missing rights, network). Saves only when
    both are green: atomically, mode 0600, keeping your comments and other keys. Values you do
    not give are taken from the config file, then asked for (in a terminal only).
    --check tests the config as it is and exits 0 (both green) or 4/5 (for monitoring).

    Example: ocafas connect --opencart-url 'https://shop.example/index.php?route=extension/ocafas/api'
    --api-key KEY --afas-url https://app-center-demo.afasfocus.nl/webwinkelfacturen
    --app-token TOKEN --secrets env
    """
    from ocafas.setup.configdoc import ConfigDocument
    from ocafas.setup.connect import ConnectAnswers, config_path_for, run_connect

    obj: Context = ctx.obj
    answers = ConnectAnswers(
        opencart_url=opencart_url,
        api_key=api_key,
        afas_url=afas_url,
        accountant_domain=accountant_domain,
        customer_environment=customer_environment,
        app_token=app_token,
        administration=administration,
        statuses=[s.strip() for s in statuses.split(",") if s.strip()] if statuses else None,
        start_date=start_date.date() if start_date else None,
        secrets=secrets,
    )
    path: Path = config_path_for(obj.config_path)
    doc = ConfigDocument.load(path)
    code = run_connect(doc, answers, _prompter(interactive), _console(), check_only=check_only)
    ctx.exit(code)


def _account_options(function: Any) -> Any:
    from ocafas.setup.accounts import ACCOUNTS

    for name, (option, what, _) in reversed(list(ACCOUNTS.items())):
        function = click.option(option, f"account_{name}", metavar="NUMBER", help=f"The {what}.")(
            function
        )
    return function


@click.command("configure-vat")
@click.option("--show", is_flag=True, help="Print the current VAT settings and fixed debtors.")
@click.option("--reset", is_flag=True, help="Remove the VAT settings and fixed debtors.")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation (with --reset, or to save).")
@click.option("--shop-country", metavar="CC", help="The shop's own country (default NL).")
@click.option(
    "--destination-rates/--home-rates",
    default=None,
    help="Pre-fill each country's own rates (OSS), or the shop's home rates for all.",
)
@_account_options
@click.option(
    "--icp-type",
    type=click.Choice(["supplies", "services"]),
    help="ICP orders are intra-community supplies (goods) or services.",
)
@click.option(
    "--fixed-debtor",
    "fixed_debtors",
    multiple=True,
    metavar="CODE=WHO",
    help="Payment code -> unknown, none, a relation id or an e-mail address to look up.",
)
@click.option(
    "--from-file",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="A YAML file with vat: and debtors: sections to apply.",
)
@click.option(
    "--set",
    "sets",
    multiple=True,
    metavar="KEY=VALUE",
    help="Set one value, e.g. vat.rates.DE.19.account=8000 (empty value removes it).",
)
@click.option(
    "--department",
    metavar="NAME|ID",
    help="Default cost centre: the AFAS SB department on every line ('none' removes it).",
)
@click.option(
    "--project",
    metavar="NAME|ID",
    help="The AFAS SB project on every entry ('none' removes it).",
)
@interactive_option
@click.pass_context
def configure_vat(
    ctx: click.Context,
    /,
    show: bool,
    reset: bool,
    yes: bool,
    shop_country: str | None,
    destination_rates: bool | None,
    icp_type: str | None,
    fixed_debtors: tuple[str, ...],
    from_file: Path | None,
    sets: tuple[str, ...],
    department: str | None,
    project: str | None,
    interactive: bool | None,
    **accounts: str | None,
) -> None:
    """Map VAT rates to AFAS SB: every EU country, ICP, International, accounts, fixed debtors.

    Every EU member state gets the shop's home rates (a Dutch shop sells to Germany at 21 %)
    unless --destination-rates pre-fills each country's own rates from the table shipped with
    ocafas. Each rate maps to an AFAS VAT type (high, low, zero, reverse charge, exempt) and a
    revenue account AFAS has; the rates the shop charges are flagged and added if missing.
    Nothing is saved that names an account or relation AFAS SB does not have.

    Example: ocafas configure-vat --high-account 8000 --low-account 8010 --zero-account 8020
    --icp-account 8100 --international-account 8200 --fixed-debtor cod=unknown --yes
    """
    from ocafas.errors import ConfigError
    from ocafas.setup import configure_vat as flow
    from ocafas.setup.configdoc import ConfigDocument
    from ocafas.setup.connect import config_path_for
    from ocafas.setup.prompts import NoPrompter
    from ocafas.setup.remote import connect_from_config

    obj: Context = ctx.obj
    doc = ConfigDocument.load(config_path_for(obj.config_path))
    out = _console()
    prompter = _prompter(interactive)
    if show:
        ctx.exit(flow.show(doc, out))
    if reset:
        ctx.exit(flow.reset(doc, prompter, out, yes))
    debtors: dict[str, str] = {}
    for item in fixed_debtors:
        code, sep, who = item.partition("=")
        if not sep or not code.strip():
            raise ConfigError(f"--fixed-debtor {item!r}: write CODE=WHO, e.g. cod=unknown")
        debtors[code.strip()] = who.strip()
    answers = flow.VatAnswers(
        shop_country=shop_country,
        destination_rates=destination_rates,
        accounts={k.removeprefix("account_"): v for k, v in accounts.items() if v},
        icp_type=icp_type,
        fixed_debtors=debtors,
        from_file=from_file,
        sets=list(sets),
        cost_centre={"department": department, "project": project},
    )
    if yes:
        prompter_for_save: Prompter = _Yes(prompter)
    else:
        prompter_for_save = prompter if prompter.interactive else NoPrompter()
    ctx.exit(flow.configure(doc, answers, prompter_for_save, out, connect_from_config))


class _Yes:
    """Asks as the wrapped prompter does, but answers the --yes questions (save?) with yes."""

    def __init__(self, inner: Prompter) -> None:
        self.inner = inner
        self.interactive = inner.interactive

    def ask(self, label: str, **options: Any) -> str:
        return self.inner.ask(label, **options)

    def confirm(self, label: str, *, option: str, default: bool | None) -> bool:
        if option == "--yes":
            return True
        return self.inner.confirm(label, option=option, default=default)
