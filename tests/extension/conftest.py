"""Fixtures of the OpenCart extension tests: a private MariaDB, the built packages, and a
`php -S` server per OpenCart line that runs the packaged catalog controller against it."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

import ext_schema
import ext_shop
from ext_client import OC_VERSIONS, Shop
from ext_support import HARNESS_DIR, SCHEMA_PATH, load_build, need, need_php, required


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _tool(name: str) -> str:
    for candidate in (shutil.which(name), f"/usr/sbin/{name}", f"/usr/bin/{name}"):
        if candidate and os.access(candidate, os.X_OK):
            return candidate
    return need(name, "the extension's MariaDB tests")


@dataclass
class MariaDB:
    socket: Path
    port: int
    client: str

    def run(self, sql: str, database: str = "") -> str:
        """Run SQL through the mariadb client; returns tab-separated rows without headers."""
        args = [self.client, "--no-defaults", f"--socket={self.socket}", "-uroot", "-N", "-B"]
        if database:
            args.append(f"--database={database}")
        result = subprocess.run(
            args, input=sql, check=False, capture_output=True, text=True, timeout=60
        )
        if result.returncode != 0:
            raise RuntimeError(f"mariadb failed: {result.stderr.strip()}")
        return result.stdout


@pytest.fixture(scope="session")
def mariadb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[MariaDB]:
    need_php()
    mariadbd = _tool("mariadbd")
    install_db = _tool("mariadb-install-db")
    client = _tool("mariadb")
    base = tmp_path_factory.mktemp("mariadb")
    datadir, sock, log = base / "data", base / "mysqld.sock", base / "mysqld.log"
    as_root = ["--user=root"] if os.geteuid() == 0 else []
    install = subprocess.run(
        [
            install_db,
            "--no-defaults",
            f"--datadir={datadir}",
            "--skip-test-db",
            "--auth-root-authentication-method=normal",
            *as_root,
        ],
        check=False,
        capture_output=True,
        text=True,
        timeout=120,
    )
    if install.returncode != 0:
        pytest.fail(f"mariadb-install-db failed: {install.stderr[-2000:]}")
    port = _free_port()
    server = subprocess.Popen(
        [
            mariadbd,
            "--no-defaults",
            f"--datadir={datadir}",
            f"--socket={sock}",
            f"--port={port}",
            "--bind-address=127.0.0.1",
            "--skip-grant-tables",
            "--skip-log-bin",
            f"--pid-file={base / 'mysqld.pid'}",
            f"--log-error={log}",
            "--innodb-buffer-pool-size=32M",
            "--character-set-server=utf8mb4",
            *as_root,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    db = MariaDB(sock, port, client)
    deadline = time.monotonic() + 60
    while True:
        try:
            db.run("SELECT 1;")
            break
        except RuntimeError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail(
                    "mariadbd did not start: " + (log.read_text()[-2000:] if log.exists() else "")
                )
            time.sleep(0.2)
    try:
        yield db
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture(scope="session")
def packages(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """The two zips, built by build.py into a temp folder."""
    oc3, oc4 = load_build().build(tmp_path_factory.mktemp("dist"))
    return Path(oc3), Path(oc4)


@pytest.fixture(scope="session")
def contract_schema() -> dict[str, Any] | None:
    if not SCHEMA_PATH.exists():
        return None
    return dict(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def _extract(archive: Path, target: Path) -> None:
    with zipfile.ZipFile(archive) as z:
        z.extractall(target)


@pytest.fixture(scope="session", params=ext_schema.VARIANTS)
def shop(
    request: pytest.FixtureRequest,
    mariadb: MariaDB,
    packages: tuple[Path, Path],
    contract_schema: dict[str, Any] | None,
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[Shop]:
    variant = str(request.param)
    php = need_php()
    base = tmp_path_factory.mktemp(variant)
    mariadb.run(
        f"DROP DATABASE IF EXISTS `{variant}`; CREATE DATABASE `{variant}` CHARACTER SET utf8mb4;"
    )
    mariadb.run(
        ext_schema.schema_sql(variant, ext_shop.PREFIX)
        + ext_shop.reference_sql(variant)
        + ext_shop.settings_sql(variant)
        + ext_shop.orders_sql(variant),
        variant,
    )
    if variant == "oc3":
        root = base / "oc3"
        _extract(packages[0], root)
        shop_dir = HARNESS_DIR / "shop3"
    else:
        root = base / "extension"
        _extract(packages[1], root / "ocafas")
        shutil.copytree(HARNESS_DIR / "shop4" / "opencart", root / "opencart")
        shop_dir = HARNESS_DIR / "shop4"
    port = _free_port()
    log = base / "error.log"
    env = {
        **os.environ,
        "OCAFAS_HARNESS_VARIANT": variant,
        "OCAFAS_HARNESS_ROOT": str(root),
        "OCAFAS_HARNESS_SHOP": str(shop_dir),
        "OCAFAS_HARNESS_LOG": str(log),
        "OCAFAS_DB_SOCKET": str(mariadb.socket),
        "OCAFAS_DB_NAME": variant,
        "OCAFAS_DB_PREFIX": ext_shop.PREFIX,
        "OCAFAS_OC_VERSION": OC_VERSIONS[variant],
        "PHP_CLI_SERVER_WORKERS": "4",
    }
    server = subprocess.Popen(
        [
            php,
            "-d",
            "error_reporting=E_ALL",
            "-d",
            "display_errors=1",
            "-d",
            "display_startup_errors=1",
            "-d",
            "log_errors=0",
            "-d",
            "html_errors=0",
            "-S",
            f"127.0.0.1:{port}",
            str(HARNESS_DIR / "router.php"),
        ],
        cwd=str(HARNESS_DIR),
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 20
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                server.kill()
                pytest.fail("php -S did not start")
            time.sleep(0.1)
    try:
        yield Shop(
            variant,
            mariadb,
            f"http://127.0.0.1:{port}/index.php?route=extension/ocafas/api",
            log,
            contract_schema,
        )
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()


@pytest.fixture
def require_schema() -> None:
    if not SCHEMA_PATH.exists():
        message = f"the contract schema {SCHEMA_PATH} is missing"
        if required():
            pytest.fail(message)
        pytest.fail(message + " (it comes from the oc-py branch)")
