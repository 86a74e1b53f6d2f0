"""Test each side of the connection at once and say in plain words why one is red.

The clients already tell the causes apart by exception class; this module turns each into the
short cause a shop owner understands (wrong key, extension disabled, not an ocafas endpoint,
token refused, no rights on an endpoint, network) plus the client's full one-line message.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import urlsplit

from ocafas.afas import odata
from ocafas.afas.client import Administration, AfasClient
from ocafas.errors import (
    AfasAuthError,
    AfasError,
    AfasForbiddenError,
    AfasRejectedError,
    AfasTransientError,
)
from ocafas.opencart.client import OpenCartClient
from ocafas.opencart.errors import (
    OpenCartAuthError,
    OpenCartConnectionError,
    OpenCartDisabledError,
    OpenCartError,
    OpenCartNotFoundError,
    OpenCartRequestError,
    OpenCartResponseError,
    OpenCartTimeoutError,
    OpenCartUnavailableError,
    OpenCartVersionError,
)
from ocafas.opencart.models import ShopInfo
from ocafas.redact import redact

AFAS_HOST_SUFFIX = ".afasfocus.nl"
#: The list endpoints ocafas reads while booking: (endpoint, filtered by administration).
AFAS_READS = (
    ("administrations", False),
    ("ledgeraccounts", True),
    ("unknownrelation", False),
    ("persons", False),
    ("organisations", False),
    ("salesinvoices", True),
)
#: What ocafas writes; AFAS offers no way to test these rights without writing.
AFAS_WRITES = ("POST person", "POST organisation", "POST salesjournalentry")


@dataclass(frozen=True)
class Dot:
    """One side's result: green (ok) or red with a plain cause and the technical detail."""

    side: str
    ok: bool
    text: str
    detail: str = ""


@dataclass
class AfasCheck:
    dot: Dot
    client: AfasClient | None = None
    administrations: list[Administration] = field(default_factory=list)
    #: (endpoint, None when readable, else the cause), after an administration was chosen
    rights: list[tuple[str, str | None]] = field(default_factory=list)


def split_afas_url(url: str) -> tuple[str | None, str | None, str | None]:
    """(accountant_domain, customer_environment, base_url) from the URL the browser shows.

    ``https://app-center-demo.afasfocus.nl/webwinkelfacturen`` gives the domain and environment;
    any other host (a proxy, the sandbox) is kept whole as ``base_url``.
    """
    parts = urlsplit(url.strip())
    path = [p for p in parts.path.split("/") if p]
    host = (parts.hostname or "").lower()
    if parts.scheme == "https" and host.endswith(AFAS_HOST_SUFFIX) and path:
        domain = host[: -len(AFAS_HOST_SUFFIX)]
        if domain and "." not in domain and not parts.port:
            return domain, path[0], None
    base = f"{parts.scheme}://{parts.netloc}/{path[0]}" if path else url.strip().rstrip("/")
    return None, None, base


def afas_base_url(domain: str | None, environment: str | None, base_url: str | None) -> str:
    if base_url:
        return base_url.rstrip("/")
    return f"https://{domain}{AFAS_HOST_SUFFIX}/{environment}"


def check_opencart(
    url: str, api_key: str, *, timeout: float = 15, ca_bundle: str | None = None
) -> tuple[Dot, ShopInfo | None, OpenCartClient | None]:
    side = "OpenCart"
    try:
        client = OpenCartClient(
            url, api_key, timeout=timeout, ca_bundle=ca_bundle, max_attempts=2, backoff=0.2
        )
        info = client.ping()
    except OpenCartError as err:
        return Dot(side, False, opencart_cause(err), str(err)), None, None
    text = (
        f"{info.store_name} (OpenCart {info.opencart_version}, extension {info.extension_version})"
    )
    return Dot(side, True, text), info, client


def opencart_cause(err: OpenCartError) -> str:
    """The plain cause of an OpenCart failure, one per way the user fixes it."""
    message = str(err)
    if isinstance(err, OpenCartAuthError):
        return "wrong API key: copy it from the extension's settings page"
    if isinstance(err, OpenCartDisabledError):
        if "not as the ocafas extension does" in message:
            return "blocked by the web server or a firewall (HTTP 403), not by the extension"
        return "the ocafas extension is disabled or has no API key saved"
    if isinstance(err, OpenCartNotFoundError):
        if "does not know action" in message:
            return "the ocafas extension is older than this ocafas: update it"
        return "the URL is not an ocafas endpoint (HTTP 404)"
    if isinstance(err, OpenCartResponseError):
        if "HTML page" in message or "PHP error" in message:
            return "the URL is not an ocafas endpoint: it answers with a web page, not the API"
        return "the URL is not an ocafas endpoint: it answers, but not as the extension does"
    if isinstance(err, OpenCartVersionError):
        return "the extension and this ocafas speak different API versions"
    if isinstance(err, (OpenCartConnectionError, OpenCartTimeoutError)):
        return "network: the shop cannot be reached"
    if isinstance(err, OpenCartUnavailableError):
        return "the shop answers with server errors: try again later"
    if isinstance(err, OpenCartRequestError):
        return "the shop refused the request (plain http, a redirect or a bad URL)"
    return "the shop could not be used"


def check_afas(
    base_url: str, app_token: str, *, timeout: float = 15, ca_bundle: str | None = None
) -> AfasCheck:
    """Fetch a token and list the administrations (this proves URL and token)."""
    side = "AFAS SB"
    try:
        client = AfasClient.connect(
            base_url,
            app_token,
            timeout=timeout,
            ca_bundle=ca_bundle,
            max_attempts=2,
            backoff=0.2,
            max_backoff=1.0,
        )
        admins = client.administrations()
    except AfasError as err:
        return AfasCheck(Dot(side, False, afas_cause(err), redact(str(err))))
    if not admins:
        return AfasCheck(Dot(side, False, "the app sees no administration in this environment"))
    names = ", ".join(a.description or a.id for a in admins)
    return AfasCheck(Dot(side, True, f"{len(admins)} administration(s): {names}"), client, admins)


def afas_cause(err: AfasError) -> str:
    message = str(err)
    if isinstance(err, AfasAuthError):
        return "the app token was refused: copy it again from the AFAS SB App Center"
    if isinstance(err, AfasForbiddenError):
        return "the app lacks rights on an endpoint ocafas needs"
    if isinstance(err, AfasTransientError):
        return "network: AFAS SB cannot be reached or is down"
    if "HTTP 404" in message:
        return "no AFAS SB environment at this URL: check the accountant domain and environment"
    if "TLS" in message:
        return "network: the TLS connection to AFAS SB failed"
    return "AFAS SB could not be used"


def check_rights(check: AfasCheck, administration_id: str) -> Dot:
    """A cheap GET on every list endpoint the pipeline reads; one red entry per missing right."""
    assert check.client is not None
    check.rights = []
    for endpoint, by_admin in AFAS_READS:
        flt = odata.eq("AdministrationId", odata.Guid(administration_id)) if by_admin else None
        try:
            next(iter(check.client.iter_list(endpoint, filter=flt, page_size=1)), None)
        except AfasForbiddenError:
            check.rights.append((endpoint, f"the app lacks rights on GET {endpoint}"))
        except (AfasRejectedError, AfasError) as err:
            check.rights.append((endpoint, f"GET {endpoint} failed: {redact(str(err))}"))
        else:
            check.rights.append((endpoint, None))
    missing = [cause for _, cause in check.rights if cause]
    if missing:
        return Dot(
            "AFAS SB",
            False,
            "; ".join(missing),
            "grant the app these endpoints in AFAS SB's App Center",
        )
    return check.dot
