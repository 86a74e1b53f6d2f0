"""The PHP 7.4 syntax checker catches each PHP 8-only construct and passes valid PHP 7.4."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from ext_support import EXT_DIR, need_php

CHECKER = EXT_DIR / "tools" / "check_php74.php"

# One snippet per PHP 8-only construct, with the words the checker must report.
PHP8_ONLY = {
    "match": ("$a = match ($x) { 1 => 'a', default => 'b' };", "match expression"),
    "nullsafe": ("$a = $b?->c();", "nullsafe operator"),
    "named_argument": ("foo(1, name: 'x');", "named argument name:"),
    "named_argument_first": ("htmlspecialchars(string: $s);", "named argument string:"),
    "union_param": ("function f(int|string $a) {}", "union type of a parameter"),
    "union_return": ("function f(): int|false { return 1; }", "union type as return type"),
    "mixed_param": ("function f(mixed $a) {}", "mixed type of a parameter"),
    "mixed_return": ("function f(): mixed { return 1; }", "mixed type as return type"),
    "static_return": ("class A { public function f(): static { return $this; } }", "static type"),
    "never_return": ("function f(): never { exit; }", "never type as return type"),
    "union_property": ("class A { private int|string $a; }", "union type of a property"),
    "mixed_property": ("class A { public mixed $a; }", "mixed type of a property"),
    "promotion": (
        "class A { public function __construct(private int $a) {} }",
        "constructor promotion",
    ),
    "attribute": ("#[Attribute]\nclass A {}", "attribute #["),
    "throw_coalesce": ("$a = $b ?? throw new Exception();", "throw as an expression"),
    "throw_arrow": ("$f = fn() => throw new Exception();", "throw as an expression"),
    "throw_ternary": ("$a = $b ? 1 : throw new Exception();", "throw as an expression"),
    "enum": ("enum Suit { case Hearts; }", "enum"),
    "readonly": ("class A { public readonly int $a; }", "readonly"),
    "first_class_callable": ("$f = strlen(...);", "first-class callable syntax"),
    "catch_no_variable": ("try { f(); } catch (Exception) { }", "catch without a variable"),
    "trailing_comma_params": ("function f($a, $b,) {}", "trailing comma in a parameter list"),
    "object_class": ("$c = $o::class;", "$object::class"),
}

# Valid PHP 7.4 that looks a bit like the above: must pass.
PHP74_OK = """<?php
namespace A\\B;
class C extends \\D implements E {
    private static $cache = array();
    protected ?int $count = null;
    public function __construct(?int $count = null, array $flags = [], int $m = E_ALL | E_STRICT) {
        $this->count = $count;
    }
    public static function make(): self { return new static(); }
    public function f(int $x, &$ref, ...$rest): ?string {
        static $seen = 0;
        $a = $x ? FOO : BAR;
        $b = foo($x ? FOO : BAR, $x ?: BAZ);
        $c = $x ?? 'y';
        $d = static::class;
        $e = self::$cache;
        $g = function ($v) use ($x): int { return $v + $x; };
        $h = fn($v): int => $v * 2;
        $items = [1, 2, 3,];
        bar(1, 2,);
        switch ($x) {
            case FOO:
                throw new \\Exception('x');
            default:
                break;
        }
        if ($x):
            throw new \\Exception('y');
        endif;
        try { f(); } catch (\\Exception $e) { throw $e; }
        return $x > 1 ? 'a' : null;
    }
}
"""


def _check(tmp_path: Path, name: str, code: str) -> subprocess.CompletedProcess[str]:
    path = tmp_path / f"{name}.php"
    path.write_text(code, encoding="utf-8")
    return subprocess.run(
        ["php", str(CHECKER), str(path)], check=False, capture_output=True, text=True, timeout=30
    )


@pytest.mark.parametrize("name", sorted(PHP8_ONLY))
def test_extension_checker_catches_php8_syntax(tmp_path: Path, name: str) -> None:
    need_php()
    snippet, expected = PHP8_ONLY[name]
    result = _check(tmp_path, name, "<?php\n" + snippet + "\n")
    assert result.returncode == 1, result.stdout + result.stderr
    assert expected in result.stdout
    assert f"{name}.php:" in result.stdout


def test_extension_checker_passes_valid_php74(tmp_path: Path) -> None:
    need_php()
    result = _check(tmp_path, "ok", PHP74_OK)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 files clean" in result.stdout


def test_extension_checker_reports_the_line(tmp_path: Path) -> None:
    need_php()
    result = _check(tmp_path, "lines", "<?php\n$a = 1;\n\n$b = $c?->d;\n")
    assert "lines.php:4: nullsafe operator" in result.stdout


def test_extension_oc3_and_shared_code_is_php74_syntax() -> None:
    need_php()
    paths = [EXT_DIR / "src" / "shared", EXT_DIR / "src" / "oc3", CHECKER]
    result = subprocess.run(
        ["php", str(CHECKER), *map(str, paths)],
        check=False,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_extension_checker_usage_error_without_arguments() -> None:
    need_php()
    result = subprocess.run(
        ["php", str(CHECKER)], check=False, capture_output=True, text=True, timeout=30
    )
    assert result.returncode == 2
    assert "usage" in result.stderr
