"""The config file as an editable document that keeps the user's comments, order and style.

The setup commands change a few keys and must leave everything else exactly as the user wrote it,
so the file is round-tripped with ruamel.yaml (PyYAML drops comments). A value is only assigned
when it differs from what is there, so re-running a command with the same answers writes the same
bytes. Saving is atomic (a temp file in the same directory, then ``os.replace``) with mode 0600,
because the file may hold literal secrets.
"""

from __future__ import annotations

import io
import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap
from ruamel.yaml.error import YAMLError
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ocafas.errors import ConfigError

_ENV_REF = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
HEADER = (
    "# ocafas config, written by 'ocafas connect' and 'ocafas configure-vat'.\n"
    "# Your own comments and keys are kept when these commands change it again.\n"
    "# Every key is described in config.example.yaml; check it with: ocafas check-config\n"
)


def _yaml() -> YAML:
    yaml = YAML()  # round-trip mode
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100
    yaml.preserve_quotes = True
    return yaml


class ConfigDocument:
    """One YAML config file, loaded for editing (it need not be valid or complete yet)."""

    def __init__(self, path: Path, data: CommentedMap, original: str | None) -> None:
        self.path = path
        self.data = data
        #: the file's text when loaded (None: there was no file)
        self.original = original

    @classmethod
    def load(cls, path: Path) -> ConfigDocument:
        try:
            text: str | None = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            text = None
        except (OSError, UnicodeDecodeError) as err:
            reason = err.strerror if isinstance(err, OSError) else "not UTF-8 text"
            raise ConfigError(f"cannot read config file {path}: {reason}") from None
        if text is None or not text.strip():
            return cls(path, CommentedMap(), text)
        try:
            data = _yaml().load(text)
        except YAMLError as err:
            mark = getattr(err, "problem_mark", None)
            where = f"line {mark.line + 1}" if mark is not None else "somewhere"
            raise ConfigError(
                f"{path} is not valid YAML ({where}); fix it by hand before running setup"
            ) from None
        if data is None:
            data = CommentedMap()
        if not isinstance(data, CommentedMap):
            raise ConfigError(f"{path} is not a mapping of sections (opencart:, afas:, ...)")
        return cls(path, data, text)

    # -- reading ------------------------------------------------------------------------------

    def get(self, *keys: str) -> Any:
        node: Any = self.data
        for key in keys:
            if not isinstance(node, dict) or key not in node:
                return None
            node = node[key]
        return node

    def section(self, name: str) -> dict[str, Any]:
        value = self.get(name)
        return value if isinstance(value, dict) else {}

    # -- writing ------------------------------------------------------------------------------

    def set(self, keys: tuple[str, ...], value: Any) -> bool:
        """Set a leaf (creating parent mappings); True when something changed."""
        node = self._parent(keys, create=True)
        last = keys[-1]
        if last in node and _same(node[last], value):
            return False
        node[_key(last)] = _to_yaml(value)
        return True

    def merge(self, keys: tuple[str, ...], value: Any) -> bool:
        """Merge a nested mapping in leaf by leaf, so comments on kept keys stay where they are."""
        if isinstance(value, dict):
            changed = False
            current = self.get(*keys)
            if not isinstance(current, dict):
                return self.set(keys, value)  # new: written in one go, leaf rules on one line
            for key, inner in value.items():
                changed = self.merge((*keys, str(key)), inner) or changed
            return changed
        return self.set(keys, value)

    def replace(self, keys: tuple[str, ...], value: dict[str, Any]) -> bool:
        """Make the mapping at ``keys`` equal ``value``: merge it in, drop keys it lacks."""
        changed = self.merge(keys, value)
        current = self.get(*keys)
        if isinstance(current, dict):
            changed = _prune(current, value) or changed
        return changed

    def delete(self, keys: tuple[str, ...]) -> bool:
        node = self._parent(keys, create=False)
        if node is None or keys[-1] not in node:
            return False
        del node[keys[-1]]
        return True

    def _parent(self, keys: tuple[str, ...], create: bool) -> Any:
        node: Any = self.data
        for key in keys[:-1]:
            child = node.get(key) if isinstance(node, dict) else None
            if not isinstance(child, dict):
                if not create:
                    return None
                child = CommentedMap()
                node[_key(key)] = child
            node = child
        return node

    # -- output -------------------------------------------------------------------------------

    def text(self) -> str:
        stream = io.StringIO()
        _yaml().dump(self.data, stream)
        body = stream.getvalue()
        if self.original is None or not self.original.strip():
            return HEADER + body
        return body

    def changed(self) -> bool:
        return self.text() != self.original

    def save(self) -> bool:
        """Write atomically with mode 0600; False (and nothing written) when nothing changed."""
        text = self.text()
        if text == self.original and _mode(self.path) == 0o600:
            return False
        directory = self.path.parent
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{self.path.name}.", suffix=".tmp", dir=directory)
        try:
            os.fchmod(fd, 0o600)
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
                handle.write(text)
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, self.path)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
        self.original = text
        return True


def expand(value: Any, environ: dict[str, str]) -> Any:
    """``${VAR}`` replaced from ``environ`` (unset variables stay as written)."""
    if isinstance(value, dict):
        return {str(k): expand(v, environ) for k, v in value.items()}
    if isinstance(value, list):
        return [expand(v, environ) for v in value]
    if isinstance(value, str):
        return _ENV_REF.sub(lambda m: environ.get(m.group(1), m.group(0)), value)
    return value


def env_reference(value: Any) -> str | None:
    """The variable name when ``value`` is exactly ``${VAR}``."""
    if isinstance(value, str):
        match = _ENV_REF.fullmatch(value.strip())
        if match:
            return match.group(1)
    return None


def plain(value: Any) -> Any:
    """ruamel's comment-carrying containers as plain dicts and lists (for validation)."""
    if isinstance(value, dict):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str(value)
    return value


def _same(current: Any, new: Any) -> bool:
    return bool(plain(current) == plain(new)) and type(plain(current)) is type(plain(new))


def _to_yaml(value: Any) -> Any:
    if isinstance(value, dict):
        mapping = CommentedMap()
        for key, inner in value.items():
            mapping[_key(str(key))] = _to_yaml(inner)
        if value and not any(isinstance(v, (dict, list)) for v in value.values()):
            mapping.fa.set_flow_style()  # a rule on one line: {vat_type: high, account: 8000}
        return mapping
    if isinstance(value, list):
        from ruamel.yaml.comments import CommentedSeq

        seq = CommentedSeq(_to_yaml(v) for v in value)
        seq.fa.set_flow_style()
        return seq
    return value


def _key(key: str) -> str:
    """Keys that YAML would read as numbers ("21", "5.5") are written in double quotes."""
    try:
        float(key)
    except ValueError:
        return key
    quoted: str = DoubleQuotedScalarString(key)
    return quoted


def _prune(current: dict[str, Any], wanted: dict[str, Any]) -> bool:
    changed = False
    for key in list(current):
        if key not in wanted:
            del current[key]
            changed = True
        elif isinstance(current[key], dict) and isinstance(wanted[key], dict):
            changed = _prune(current[key], wanted[key]) or changed
    return changed


def _mode(path: Path) -> int | None:
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        return None


def iter_leaves(value: Any, prefix: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Any]]:
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from iter_leaves(inner, (*prefix, str(key)))
    else:
        yield prefix, value
