"""Config rules of ``opencart`` and ``afas`` (where and how to reach them) and ``ledger``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ocafas.config_api8 import dimension
from ocafas.config_checks import Checks, show

if TYPE_CHECKING:
    from ocafas.config import AfasSettings, OpenCartSettings

_DOMAIN = re.compile(r"^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$")
_ENVIRONMENT = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,99}$")


class ConnectionRules(Checks):
    """The ``opencart``, ``afas`` and ``ledger`` sections."""

    def opencart(self, data: dict[str, Any]) -> OpenCartSettings:
        from ocafas.config import OpenCartSettings

        p = "opencart"
        self.known_keys(data, p, ("url", "api_key", "timeout", "processable_statuses", "ca_bundle"))
        url = self.url(data, "url", p)
        api_key = self.secret(data, "api_key", p, min_length=15)
        timeout = self.number(data, "timeout", p, 30, 1, 600)
        statuses = self.statuses(data.get("processable_statuses"), f"{p}.processable_statuses")
        ca_bundle = self.ca_bundle(data, p)
        return OpenCartSettings(url or "", api_key, float(timeout), statuses, ca_bundle)

    def ca_bundle(self, data: dict[str, Any], path: str) -> str | None:
        value = self.string(data, "ca_bundle", path, required=False)
        if value is None:
            return None
        file = Path(value).expanduser()
        if not file.is_absolute():
            file = self.base_dir / file
        if not file.is_file():
            self.problem(f"{path}.ca_bundle", f"file not found: {file}")
            return None
        return str(file)

    def afas(self, data: dict[str, Any]) -> AfasSettings:
        from ocafas.config import AfasSettings

        p = "afas"
        self.known_keys(
            data,
            p,
            (
                "accountant_domain",
                "customer_environment",
                "app_token",
                "base_url",
                "administration_id",
                "payment_condition_id",
                "timeout",
                "ca_bundle",
                "department",
                "project",
            ),
        )
        base_url = self.url(data, "base_url", p, required=False)
        has_override = data.get("base_url") not in (None, "")
        domain = self.string(data, "accountant_domain", p, required=not has_override)
        environment = self.string(data, "customer_environment", p, required=not has_override)
        if domain is not None and not _DOMAIN.match(domain):
            self.problem(
                f"{p}.accountant_domain",
                f"must be the first part of the AFAS host, e.g. app-center-demo: {show(domain)}",
            )
        if environment is not None and not _ENVIRONMENT.match(environment):
            self.problem(
                f"{p}.customer_environment",
                f"must be the path part of the AFAS URL, e.g. webwinkelfacturen: "
                f"{show(environment)}",
            )
        if base_url is None and domain and environment:
            base_url = f"https://{domain}.afasfocus.nl/{environment}"
        app_token = self.secret(data, "app_token", p, min_length=16)
        administration = self.uuid(data, "administration_id", p, required=True)
        condition = self.uuid(data, "payment_condition_id", p, required=False)
        timeout = self.number(data, "timeout", p, 30, 1, 600)
        ca_bundle = self.ca_bundle(data, p)
        return AfasSettings(
            base_url=(base_url or "").rstrip("/"),
            app_token=app_token,
            administration_id=administration or "",
            accountant_domain=domain,
            customer_environment=environment,
            payment_condition_id=condition,
            timeout=float(timeout),
            ca_bundle=ca_bundle,
            department=dimension(self, data, "department", p),
            project=dimension(self, data, "project", p),
        )

    def ledger(self, data: dict[str, Any]) -> Path:
        from ocafas.config import default_ledger_path

        self.known_keys(data, "ledger", ("path",))
        value = self.string(data, "path", "ledger", required=False)
        if value is None:
            return default_ledger_path()
        path = Path(value).expanduser()
        return path if path.is_absolute() else self.base_dir / path


__all__ = ["ConnectionRules"]
