"""configure-vat: the cost centre and AFAS's VAT codes are checked before anything is saved."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "setup"))

from setup_support import VAT_ARGS, Env

from ocafas.config import Settings, parse_settings
from ocafas.errors import ExitCode
from ocafas.sandbox.afas import AfasSandbox
from ocafas.sandbox.afas_seed import ADMIN_SHOP_ID, default_seed, dimension_id
from ocafas.sandbox.opencart import OpenCartSandbox


def _env(tmp_path: Path, seed: object = None) -> Iterator[Env]:
    with OpenCartSandbox(seed=7) as shop, AfasSandbox(seed=seed) as afas:  # type: ignore[arg-type]
        env = Env(shop, afas, tmp_path)
        assert env.run(*env.connect_args()).exit_code == 0
        yield env


def load_settings(env: Env) -> tuple[Settings, list[str]]:
    return parse_settings(env.config.read_text("utf-8"), env.config, environ=env.env())


@pytest.fixture
def env(tmp_path: Path) -> Iterator[Env]:
    yield from _env(tmp_path)


@pytest.fixture
def env_without_laag(tmp_path: Path) -> Iterator[Env]:
    seed = default_seed()
    del seed.vat_rates["Laag"]
    yield from _env(tmp_path, seed)


def test_department_by_name_is_saved_and_an_unknown_one_refused(env: Env) -> None:
    result = env.run(*VAT_ARGS, "--department", "Webwinkel", "--project", "Marktplaatsen")
    assert result.exit_code == 0, result.output
    settings, _ = load_settings(env)
    assert (settings.afas.department, settings.afas.project) == ("Webwinkel", "Marktplaatsen")
    before = env.config.read_bytes()
    unknown = "7d1f3a52-0000-4000-8000-000000000000"
    result = env.run(*VAT_ARGS, "--department", unknown)
    assert result.exit_code == ExitCode.CONFIG
    assert f"afas.department: AFAS SB has no department '{unknown}'" in result.output
    assert env.config.read_bytes() == before
    assert env.run(*VAT_ARGS, "--project", "none").exit_code == 0
    settings, _ = load_settings(env)
    assert (settings.afas.department, settings.afas.project) == ("Webwinkel", None)
    department = dimension_id("departments", ADMIN_SHOP_ID, "Directie")
    assert env.run(*VAT_ARGS, "--department", department).exit_code == 0
    assert load_settings(env)[0].afas.department == department


def test_a_vat_rate_afas_lacks_is_not_saved(env_without_laag: Env) -> None:
    before = env_without_laag.config.read_bytes()
    result = env_without_laag.run(*VAT_ARGS)
    assert result.exit_code == ExitCode.CONFIG
    assert "VAT rate low needs AFAS SB's VAT rate 'Laag'" in result.output
    assert env_without_laag.config.read_bytes() == before
