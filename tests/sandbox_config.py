"""The sandbox-backed test suites' config (pipeline, chaos, reports, api8).

The builder lives in the package (:mod:`ocafas.sandbox.config_template`), shared with the demo
and the benchmark; this name stays so the suites' support modules import it as before.
"""

from __future__ import annotations

from ocafas.sandbox.config_template import rates_yaml, sandbox_config

__all__ = ["rates_yaml", "sandbox_config"]
