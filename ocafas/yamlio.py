"""YAML reading that is strict where PyYAML is lenient, and never echoes file content.

PyYAML's own error messages quote the offending line, which may hold a secret; ours give the line
and column only. Duplicate keys, which PyYAML silently resolves to the last one, are errors.
"""

from __future__ import annotations

from typing import Any

import yaml


class YamlProblem(ValueError):
    """Raised when text is not valid YAML for ocafas; the message holds no file content."""


class _StrictLoader(yaml.SafeLoader):
    """SafeLoader that keeps dates as text (ocafas parses them itself, with a clear message)."""


_StrictLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _construct_mapping(loader: _StrictLoader, node: yaml.MappingNode, deep: bool = False) -> Any:
    loader.flatten_mapping(node)
    seen: dict[Any, int] = {}
    for key_node, _ in node.value:
        key = loader.construct_object(key_node, deep=True)
        try:
            hash(key)
        except TypeError:
            raise YamlProblem(
                f"line {key_node.start_mark.line + 1}: a key must be a plain value"
            ) from None
        if key in seen:
            raise YamlProblem(
                f"line {key_node.start_mark.line + 1}: duplicate key {str(key)[:40]!r} "
                f"(first on line {seen[key]})"
            )
        seen[key] = key_node.start_mark.line + 1
    return loader.construct_mapping(node, deep=deep)


_StrictLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG,
    _construct_mapping,
)


def load_yaml_text(text: str) -> Any:
    """Parse YAML text with the strict loader."""
    try:
        return yaml.load(text, Loader=_StrictLoader)  # noqa: S506 - a SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark or err.context_mark
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else "somewhere"
        raise YamlProblem(f"{where}: {err.problem or err.context or 'invalid YAML'}") from None
    except yaml.YAMLError:
        raise YamlProblem("invalid YAML") from None
