"""How the setup logic asks for input, without knowing whether a person is there to answer.

The commands hand in a :class:`Prompter`: one that asks in the terminal, or :class:`NoPrompter`
for cron and scripts. The logic always passes the default it would use and the option that
supplies the value, so without a terminal it either takes the default or fails at once with a
message naming that option; it never waits for input nobody will type.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from ocafas.errors import ConfigError


class MissingInput(ConfigError):
    """Raised when a value is needed, nobody can be asked, and no option or file supplied it."""

    def __init__(self, option: str, what: str) -> None:
        super().__init__(
            f"missing {option} ({what}): there is no terminal to ask, so pass it as an option",
            hint="or run the command in a terminal to be asked",
        )
        self.option = option


class Prompter(Protocol):
    interactive: bool

    def ask(
        self,
        label: str,
        *,
        option: str,
        default: str | None = None,
        secret: bool = False,
        choices: Sequence[str] | None = None,
    ) -> str:
        """The answer; ``default`` when the user just presses Enter."""
        ...

    def confirm(self, label: str, *, option: str, default: bool | None) -> bool: ...


class NoPrompter:
    """No one to ask: defaults are taken, and a value without one names its option and fails."""

    interactive = False

    def ask(
        self,
        label: str,
        *,
        option: str,
        default: str | None = None,
        secret: bool = False,
        choices: Sequence[str] | None = None,
    ) -> str:
        if default is None:
            raise MissingInput(option, label.lower())
        return default

    def confirm(self, label: str, *, option: str, default: bool | None) -> bool:
        if default is None:
            raise MissingInput(option, label.lower())
        return default
