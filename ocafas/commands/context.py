"""What the root command hands to its subcommands."""

from __future__ import annotations

import logging
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ocafas.config import Settings

log = logging.getLogger("ocafas")


class Context:
    """The global options, and the config loaded on demand (with its warnings logged)."""

    def __init__(self, config_path: Path | None, verbose: int, quiet: bool, log_json: bool):
        self.config_path = config_path
        self.verbose = verbose
        self.quiet = quiet
        self.log_json = log_json

    def settings(self) -> Settings:
        from ocafas.config import load_settings

        settings, warnings = load_settings(self.config_path)
        for warning in warnings:
            log.warning("%s", warning)
        return settings
