"""What `connect` writes: the secrets as ${ENV_VAR} references or values, and the two sections."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from rich.console import Console

from ocafas.config_schema import SECRET_ENV_FALLBACKS, Validator
from ocafas.errors import ConfigError
from ocafas.opencart.models import ShopInfo
from ocafas.setup.checks import Dot
from ocafas.setup.configdoc import ConfigDocument, env_reference, plain
from ocafas.setup.prompts import Prompter

OC_KEY_ENV = SECRET_ENV_FALLBACKS["opencart.api_key"]
AFAS_TOKEN_ENV = SECRET_ENV_FALLBACKS["afas.app_token"]


@dataclass
class State:
    opencart_url: str = ""
    api_key: str = ""
    domain: str | None = None
    environment: str | None = None
    base_url: str | None = None
    app_token: str = ""
    administration_id: str | None = None
    shop: ShopInfo | None = None
    dots: list[Dot] = field(default_factory=list)
    statuses: list[Any] = field(default_factory=list)


def secret_values(
    doc: ConfigDocument, answers: Any, prompter: Prompter, env: dict[str, str],
    state: State, out: Console,
) -> dict[str, str]:  # fmt: skip
    """What to write for each secret: a ``${VAR}`` reference or the literal value."""
    pairs = {
        ("opencart", "api_key"): (state.api_key, OC_KEY_ENV),
        ("afas", "app_token"): (state.app_token, AFAS_TOKEN_ENV),
    }
    result: dict[str, str] = {}
    undecided = []
    for (section, key), (value, default_var) in pairs.items():
        written = doc.get(section, key)
        var = env_reference(written)
        if var and env.get(var) == value and answers.secrets != "file":
            result[f"{section}.{key}"] = str(written)  # already a reference that resolves
        elif written is not None and str(written) == value and answers.secrets != "env":
            result[f"{section}.{key}"] = value  # already the literal value
        else:
            undecided.append((section, key, value, var or default_var))
    if not undecided:
        return result
    choice = answers.secrets
    if choice is None:
        already = all(env.get(var) == value for _, _, value, var in undecided)
        names = " and ".join("${" + var + "}" for *_, var in undecided)
        use_env = prompter.confirm(
            f"Store the secrets as {names} references (you export the variables) instead of "
            "in the file (mode 0600)?",
            option="--secrets",
            default=already,
        )
        choice = "env" if use_env else "file"
    for section, key, value, var in undecided:
        if choice == "env":
            result[f"{section}.{key}"] = "${" + var + "}"
            if env.get(var) != value:
                out.print(
                    f"Export {var} with this secret wherever ocafas runs (cron too).",
                    soft_wrap=True,
                )
        else:
            result[f"{section}.{key}"] = value
    return result


def write_sections(
    doc: ConfigDocument, state: State, secrets: dict[str, str], start: date | None
) -> None:
    problems: list[str] = []
    validator = Validator(problems, base_dir=doc.path.parent)
    oc = {
        "url": state.opencart_url,
        "api_key": state.api_key,
        "processable_statuses": state.statuses,
    }
    afas: dict[str, Any] = {
        "app_token": state.app_token,
        "administration_id": state.administration_id,
    }
    if state.base_url:
        afas["base_url"] = state.base_url
    else:
        afas["accountant_domain"], afas["customer_environment"] = state.domain, state.environment
    validator.opencart({**_rest(doc, "opencart", oc), **oc})
    validator.afas({**_rest(doc, "afas", afas), **afas})
    if problems:
        raise ConfigError("the answers are not a valid config", problems=problems)
    for key, value in oc.items():
        doc.set(("opencart", key), secrets["opencart.api_key"] if key == "api_key" else value)
    if state.base_url:
        doc.delete(("afas", "accountant_domain"))
        doc.delete(("afas", "customer_environment"))
    else:
        doc.delete(("afas", "base_url"))
    for key, value in afas.items():
        doc.set(("afas", key), secrets["afas.app_token"] if key == "app_token" else value)
    if start is not None or doc.get("sync", "start_date") is None:
        doc.set(("sync", "start_date"), start or date.today())


def _rest(doc: ConfigDocument, section: str, ours: dict[str, Any]) -> dict[str, Any]:
    """The section's other keys (timeout, ca_bundle, ...), validated along with ours."""
    data = plain(doc.section(section))
    skip = {"base_url", "accountant_domain", "customer_environment"} if section == "afas" else set()
    return {k: v for k, v in data.items() if k not in ours and k not in skip}
