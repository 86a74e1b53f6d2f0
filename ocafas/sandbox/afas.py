"""An AFAS SB REST API 8.0 sandbox: a real, stateful HTTP server on 127.0.0.1.

It checks what the real service checks (access tokens and their expiry, rights per app token,
Accept-Version, the request body against ocafas's schema, the business rules of the sales journal
entry), answers in the shapes of the official spec, replays answers for a repeated
Tracking-Identifier, and can be made slow, failing or rude (dropped connections) while it runs.
It never imports the AFAS client: the two must be able to disagree so that tests catch it.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
import uuid
from collections import Counter
from collections.abc import Mapping, Sequence
from typing import Any
from urllib.parse import parse_qs

from ocafas.request_schemas import find_request, normalize_version, parse_json_exact, versions_for
from ocafas.sandbox.afas_faults import Faults
from ocafas.sandbox.afas_hooks import HookCallback, RequestHooks
from ocafas.sandbox.afas_http import (
    RequestRecord,
    SandboxHandler,
    SandboxServer,
    error_outcome,
    invalid_json,
    not_authenticated,
)
from ocafas.sandbox.afas_odata import (
    QueryError,
    apply_filter,
    apply_sort,
    parse_paging,
    query_options,
)
from ocafas.sandbox.afas_seed import (
    DEFAULT_APP_TOKEN,
    ENVIRONMENT,
    Organisation,
    Person,
    SeedData,
    default_seed,
)
from ocafas.sandbox.afas_state import AfasState, Outcome, PostedEntry
from ocafas.sandbox.afas_views import LIST_ENDPOINTS
from ocafas.sandbox.serving import ServedSandbox

TOKEN_PATH = "/authentication/getaccesstoken"  # noqa: S105 - a path, not a password
WRITE_ENDPOINTS = {"person", "organisation", "salesjournalentry"}
ALL = "all"


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


class AfasSandbox(ServedSandbox):
    """An AFAS SB environment on 127.0.0.1; use as a context manager or via start()/stop().

    ``app_tokens`` maps an app token to the endpoint names it may use (``"persons"``,
    ``"salesjournalentry"``, ...) or to ``"all"``; the default is ``{DEFAULT_APP_TOKEN: "all"}``.
    ``token_lifetime`` is the access token lifetime in seconds. ``seed`` replaces the standard
    seed data (``default_seed()``). ``fault_seed`` makes random failure shares repeatable.
    """

    _poll_interval = 0.01
    _not_running = "the AFAS sandbox is not running"

    def __init__(
        self,
        *,
        port: int = 0,
        environment: str = ENVIRONMENT,
        app_tokens: dict[str, set[str] | str] | None = None,
        token_lifetime: float = 600,
        seed: SeedData | None = None,
        fault_seed: int = 0,
        default_take: int = 100,
        max_take: int = 1000,
        check_requests: bool = True,
    ) -> None:
        #: Check every write against ocafas's request schema (tests). The benchmark turns it
        #: off: on a small machine the check (several ms of CPU per POST) competes with the
        #: ocafas process it measures, and the test suite checks every request anyway.
        self.check_requests = check_requests
        self.environment = environment
        self.app_tokens: dict[str, set[str] | str] = (
            dict(app_tokens) if app_tokens is not None else {DEFAULT_APP_TOKEN: ALL}
        )
        self.token_lifetime = token_lifetime
        self.default_take = default_take
        self.max_take = max_take
        self.faults = Faults(fault_seed)
        self.hooks = RequestHooks()
        self._seed = (seed or default_seed()).copy()
        self.state = AfasState(self._seed)
        self._tokens: dict[str, tuple[float, set[str] | str]] = {}  # sha256 -> (expiry, rights)
        self._token_lock = threading.Lock()
        self._log_lock = threading.Lock()
        self._log: list[RequestRecord] = []
        self._counts: Counter[str] = Counter()
        self._requested_port = port

    # -- lifecycle ---------------------------------------------------------------------------

    def _make_server(self) -> SandboxServer:
        server = SandboxServer(("127.0.0.1", self._requested_port), SandboxHandler)
        server.sandbox = self
        return server

    @property
    def base_url(self) -> str:
        """The customer environment URL, as the client is configured with."""
        return f"http://127.0.0.1:{self.port}/{self.environment}"

    # -- inspection and control ---------------------------------------------------------------

    def on_request(
        self,
        callback: HookCallback,
        endpoint: str | None = "POST salesjournalentry",
        when: str = "before",
        count: int | None = 1,
    ) -> None:
        """Run ``callback(request)`` at an exact moment of the next ``count`` matching requests.

        For crash tests (see :mod:`ocafas.sandbox.afas_hooks`): ``when="before"`` runs once the
        request is read and before anything is processed (a True return discards the request,
        as if it never left the client); ``when="after"`` runs once the entry is stored and
        before the answer is written. ``count=None`` hooks every matching request.
        """
        self.hooks.add(callback, endpoint, when, count)

    def expire_tokens(self) -> None:
        """Make every access token issued so far expire now."""
        with self._token_lock:
            self._tokens = {key: (0.0, rights) for key, (_, rights) in self._tokens.items()}

    def entries(
        self, administration_id: str | None = None, include_deleted: bool = False
    ) -> list[PostedEntry]:
        """The sales journal entries posted (booked or broken), oldest first."""
        with self.state.lock:
            return [
                e
                for e in self.state.entries
                if (include_deleted or not e.deleted)
                and (administration_id is None or e.administration_id == administration_id)
            ]

    def persons(self) -> list[Person]:
        """Every person (seeded and created), as ``afas_seed.Person`` records."""
        with self.state.lock:
            return list(self.state.persons.values())

    def organisations(self) -> list[Organisation]:
        """Every organisation (seeded and created), as ``afas_seed.Organisation`` records."""
        with self.state.lock:
            return list(self.state.organisations.values())

    def request_log(self) -> list[RequestRecord]:
        with self._log_lock:
            return list(self._log)

    def counts(self) -> dict[str, int]:
        """Requests per "<METHOD> <endpoint>" (e.g. "POST salesjournalentry"), faults included."""
        with self._log_lock:
            return dict(self._counts)

    def reset(self) -> None:
        """Back to the seed: entries, relations, replays, log, counts, faults, hooks; not tokens."""
        with self.state.lock:
            self.state = AfasState(self._seed)
        with self._log_lock:
            self._log.clear()
            self._counts.clear()
        self.faults.clear()
        self.hooks.clear()

    def _record(self, record: RequestRecord) -> None:
        with self._log_lock:
            self._log.append(record)
            self._counts[f"{record.method} {record.endpoint or '?'}"] += 1

    # -- request handling ---------------------------------------------------------------------

    def _route(self, method: str, path: str) -> tuple[str | None, Outcome | None]:
        prefix = f"/{self.environment}"
        rest = path[len(prefix) :] if path.startswith(prefix + "/") else None
        if rest == TOKEN_PATH:
            name = "getaccesstoken"
            allowed = {"POST"}
        elif rest is not None and rest.startswith("/api/") and rest.count("/") == 2:
            name = rest[len("/api/") :]
            if name in LIST_ENDPOINTS:
                allowed = {"GET"}
            elif name in WRITE_ENDPOINTS:
                allowed = {"POST", "DELETE"} if name == "salesjournalentry" else {"POST"}
            else:
                return None, error_outcome(404, f"Unknown endpoint {rest}", "NotFoundException")
        else:
            return None, error_outcome(404, f"Not found: {path}", "NotFoundException")
        if method not in allowed:
            outcome = error_outcome(405, f"{method} is not supported on {rest}", "MethodNotAllowed")
            outcome.headers["Allow"] = ", ".join(sorted(allowed))
            return name, outcome
        return name, None

    def _dispatch(
        self, method: str, endpoint: str, query: str, headers: dict[str, str], body: bytes
    ) -> tuple[Outcome, bool]:
        if endpoint == "getaccesstoken":
            return self._issue_token(body), False
        lower = {k.lower(): v for k, v in headers.items()}
        refusal = self._authorize(endpoint, lower)
        if refusal is not None:
            return refusal, False
        version = lower.get("accept-version")
        if method == "GET":
            return self._list(endpoint, version, query), False
        tracking = lower.get("tracking-identifier")
        if tracking is not None:
            try:
                uuid.UUID(tracking)
            except ValueError:
                return error_outcome(
                    400, f"Tracking-Identifier {tracking!r} is not a uuid", "ValidationException"
                ), False
        with self.state.lock:
            if tracking is not None and tracking in self.state.replays:
                return self.state.replays[tracking], True
            outcome = self._write(method, endpoint, version, body, tracking)
            if tracking is not None:
                self.state.replays[tracking] = outcome
            return outcome, False

    def _issue_token(self, body: bytes) -> Outcome:
        request = find_request("POST", TOKEN_PATH, None)
        assert request is not None
        try:
            data = parse_json_exact(body)
        except ValueError:
            return invalid_json("Invalid JSON request String", "getaccesstoken")
        problems = request.errors(data) if self.check_requests else []
        if problems:
            message = "Invalid JSON request String " + "; ".join(problems)
            return invalid_json(message, "getaccesstoken")
        rights = self.app_tokens.get(data["apptoken"])
        if rights is None:
            return not_authenticated()
        token = secrets.token_urlsafe(48)
        with self._token_lock:
            self._tokens[_hash(token)] = (time.monotonic() + self.token_lifetime, rights)
        return Outcome(
            200,
            {
                "access_token": token,
                "expires_in": str(int(self.token_lifetime)),
                "token_type": "bearer",
            },
        )

    def _authorize(self, endpoint: str, headers: dict[str, str]) -> Outcome | None:
        token = headers.get("accesstoken", "").strip()
        authorization = headers.get("authorization", "").strip()
        if not token and authorization[:7].lower() == "bearer ":
            token = authorization[7:].strip()
        with self._token_lock:
            known = self._tokens.get(_hash(token)) if token else None
        if known is None or known[0] <= time.monotonic():
            return not_authenticated()
        rights = known[1]
        if rights != ALL and endpoint not in rights:
            return error_outcome(
                403,
                "De ingelogde gebruiker heeft niet voldoende rechten.",
                "NotAuthorizedException",
            )
        return None

    def _version_refusal(self, endpoint: str, version: str | None, known: list[str]) -> Outcome:
        supported = ", ".join(known)
        if version is None:
            message = f"Accept-Version header missing; {endpoint} serves version(s) {supported}"
        else:
            message = f"Accept-Version {version!r} not supported by {endpoint}; use {supported}"
        return error_outcome(400, message, "UnsupportedVersionException")

    def _list(self, endpoint: str, version: str | None, query: str) -> Outcome:
        spec = LIST_ENDPOINTS[endpoint]
        if normalize_version(version) != normalize_version(spec.version):
            return self._version_refusal(endpoint, version, [spec.version])
        options = query_options(parse_qs(query, keep_blank_values=True))
        try:
            with self.state.lock:
                rows: Sequence[Mapping[str, Any]] = spec.rows(self.state)
            rows = apply_filter(rows, options.get("filter"), spec.columns)
            rows = apply_sort(rows, options.get("sort"), spec.columns)
            skip, take = parse_paging(
                options.get("skip"), options.get("take"), self.default_take, self.max_take
            )
        except QueryError as exc:
            message = "Ongeldig gebruikersfilter."
            if exc.option != "Filter":
                message = f"Ongeldige waarde voor {exc.option}: {exc.detail}"
            refusal = error_outcome(400, message, "AntaUserException")
            refusal.body["AdditionalInfo"]["Detail"] = exc.detail
            return refusal
        page = rows[skip : skip + take]
        if not spec.wrapped:
            return Outcome(200, page)
        token = time.strftime("%Y%m%d%H%M%S", time.gmtime()) + "1"
        return Outcome(200, {"TrackingToken": token, "Result": page})

    def _write(
        self, method: str, endpoint: str, version: str | None, body: bytes, tracking: str | None
    ) -> Outcome:
        path = f"/api/{endpoint}"
        request = find_request(method, path, version)
        if request is None:
            known = [v for v in versions_for(method, path) if v is not None]
            return self._version_refusal(endpoint, version, known)
        try:
            raw = body.decode("utf-8")
            data = parse_json_exact(raw)
        except ValueError:
            return invalid_json("Invalid JSON request String", endpoint)
        problems = request.errors(data) if self.check_requests else []
        if problems:
            names = ",".join(sorted({p.rsplit("Path '", 1)[-1].rstrip("'") for p in problems}))
            return invalid_json(
                "Invalid JSON request String " + "; ".join(problems), endpoint, names
            )
        assert version is not None
        if endpoint == "person":
            return self.state.create_person(data)
        if endpoint == "organisation":
            return self.state.create_organisation(data)
        if method == "DELETE":
            return self.state.delete_entry(data)
        return self.state.post_entry(data, raw, version, tracking)


__all__ = ["AfasSandbox", "RequestRecord"]
