<?php
/**
 * Rejects PHP 8-only syntax in files that must still run on PHP 7.4 (the OpenCart 3.0.x
 * variant and the shared core of the ocafas extension).
 *
 * It tokenizes each file with token_get_all (run it on PHP 8, whose tokenizer knows the new
 * syntax) and reports every construct PHP 7.4 cannot parse: match, nullsafe ?->, named
 * arguments, union/mixed/static/never/null/false types, constructor promotion, attributes #[,
 * throw as an expression, enum, readonly, first-class callable syntax f(...), catch without a
 * variable, a trailing comma in a parameter list, and $object::class.
 *
 * Usage: php check_php74.php FILE_OR_DIR...   exit 0 when clean, 1 when something was found,
 * 2 on a usage error. One line per finding: path:line: what.
 */

function ocafas74_significant(array $tokens): array {
	$out = array();

	foreach ($tokens as $token) {
		if (is_array($token)) {
			if (in_array($token[0], array(T_WHITESPACE, T_COMMENT, T_DOC_COMMENT, T_OPEN_TAG, T_CLOSE_TAG, T_INLINE_HTML), true)) {
				continue;
			}

			$out[] = array('id' => $token[0], 'text' => $token[1], 'line' => $token[2]);
		} else {
			$out[] = array('id' => $token, 'text' => $token, 'line' => null);
		}
	}

	// Give one-character tokens the line of the token before them.
	$line = 1;

	foreach ($out as $i => $token) {
		if ($token['line'] === null) {
			$out[$i]['line'] = $line;
		} else {
			$line = $token['line'] + substr_count($token['text'], "\n");
			$out[$i]['line'] = $token['line'];
		}
	}

	return $out;
}

function ocafas74_is(array $token, $id): bool {
	return $token['id'] === $id;
}

function ocafas74_const(string $name): int {
	return defined($name) ? constant($name) : -1;
}

/** Type tokens that may appear in a declaration's type. */
function ocafas74_is_type_token(array $token): bool {
	$ids = array(T_STRING, T_ARRAY, T_CALLABLE, T_STATIC, ocafas74_const('T_NAME_QUALIFIED'), ocafas74_const('T_NAME_FULLY_QUALIFIED'), ocafas74_const('T_NAME_RELATIVE'), T_NS_SEPARATOR);

	return in_array($token['id'], $ids, true) || in_array($token['id'], array('?', '|', '&', '(', ')'), true);
}

/** What is wrong with a list of type tokens for PHP 7.4 ('' when nothing). */
function ocafas74_type_problem(array $type): string {
	foreach ($type as $token) {
		if ($token['id'] === '|') {
			return 'union type';
		}

		if ($token['id'] === T_STATIC) {
			return 'static type';
		}

		$name = strtolower($token['text']);

		if (in_array($name, array('mixed', 'never', 'null', 'false', 'true'), true) && $token['id'] !== '?') {
			return $name . ' type';
		}
	}

	return '';
}

/** Index of the token that closes the bracket opened at $open. */
function ocafas74_match(array $t, int $open): int {
	$depth = 0;
	$count = count($t);

	for ($i = $open; $i < $count; $i++) {
		$id = $t[$i]['id'];

		if ($id === '(' || $id === '[' || $id === '{' || $id === T_CURLY_OPEN || $id === T_DOLLAR_OPEN_CURLY_BRACES) {
			$depth++;
		} elseif ($id === ')' || $id === ']' || $id === '}') {
			$depth--;

			if ($depth === 0) {
				return $i;
			}
		}
	}

	return $count - 1;
}

/** Findings of one function declaration's parameter list and return type. */
function ocafas74_check_function(array $t, int $i, array &$found): void {
	$count = count($t);
	$j = $i + 1;

	if ($j < $count && $t[$j]['id'] === '&') {
		$j++;
	}

	$name = '';

	if ($j < $count && $t[$j]['id'] !== '(') {
		$name = strtolower($t[$j]['text']);
		$j++;
	}

	if ($j >= $count || $t[$j]['id'] !== '(') {
		return;
	}

	$close = ocafas74_match($t, $j);
	$modifiers = array(T_PUBLIC, T_PROTECTED, T_PRIVATE, ocafas74_const('T_READONLY'));

	// Split the parameters at depth-1 commas.
	$params = array();
	$current = array();
	$depth = 0;

	for ($k = $j + 1; $k < $close; $k++) {
		$id = $t[$k]['id'];

		if ($id === '(' || $id === '[' || $id === '{') {
			$depth++;
		} elseif ($id === ')' || $id === ']' || $id === '}') {
			$depth--;
		}

		if ($id === ',' && $depth === 0) {
			$params[] = $current;
			$current = array();
		} else {
			$current[] = $t[$k];
		}
	}

	if ($current) {
		$params[] = $current;
	} elseif ($params) {
		$found[] = array($t[$close]['line'], 'trailing comma in a parameter list');
	}

	foreach ($params as $param) {
		$type = array();

		foreach ($param as $token) {
			if ($token['id'] === T_VARIABLE || $token['id'] === T_ELLIPSIS || $token['id'] === '=') {
				break;
			}

			if (in_array($token['id'], $modifiers, true)) {
				$found[] = array($token['line'], $name === '__construct' ? 'constructor promotion' : 'modifier in a parameter list');
				continue;
			}

			if ($token['id'] !== '&') {
				$type[] = $token;
			}
		}

		$problem = ocafas74_type_problem($type);

		if ($problem !== '') {
			$found[] = array($param[0]['line'], $problem . ' of a parameter');
		}
	}

	$k = $close + 1;

	// A closure's use (...) comes before its return type.
	if ($k < $count && $t[$k]['id'] === T_USE) {
		$k = ocafas74_match($t, $k + 1) + 1;
	}

	if ($k < $count && $t[$k]['id'] === ':') {
		$type = array();

		for ($k = $k + 1; $k < $count; $k++) {
			if (!ocafas74_is_type_token($t[$k])) {
				break;
			}

			$type[] = $t[$k];
		}

		$problem = ocafas74_type_problem($type);

		if ($problem !== '') {
			$found[] = array($t[$close]['line'], $problem . ' as return type');
		}
	}
}

/** Is the ':' at $i the else part of a ternary (rather than a case label or alternative syntax)? */
function ocafas74_ternary_colon(array $t, int $i): bool {
	$depth = 0;

	for ($k = $i - 1; $k >= 0; $k--) {
		$id = $t[$k]['id'];

		if ($id === ')' || $id === ']') {
			$depth++;
		} elseif ($id === '(' || $id === '[') {
			if ($depth === 0) {
				return false;
			}

			$depth--;
		} elseif ($depth === 0) {
			if ($id === '?') {
				return true;
			}

			if ($id === ';' || $id === '{' || $id === '}' || $id === T_CASE || $id === T_DEFAULT) {
				return false;
			}
		}
	}

	return false;
}

/** @return array<int, array{0: int, 1: string}> line and description of each finding */
function ocafas74_check_code(string $code): array {
	$t = ocafas74_significant(token_get_all($code));
	$found = array();
	$count = count($t);
	$statement_start = array(';', '{', '}', ')', T_ELSE, T_DO, T_OPEN_TAG);
	$property_modifiers = array(T_PUBLIC, T_PROTECTED, T_PRIVATE, T_VAR, T_STATIC, ocafas74_const('T_READONLY'));
	$simple = array(
		ocafas74_const('T_MATCH')                     => 'match expression',
		ocafas74_const('T_NULLSAFE_OBJECT_OPERATOR')  => 'nullsafe operator ?->',
		ocafas74_const('T_ATTRIBUTE')                 => 'attribute #[',
		ocafas74_const('T_ENUM')                      => 'enum',
		ocafas74_const('T_READONLY')                  => 'readonly'
	);
	unset($simple[-1]);

	for ($i = 0; $i < $count; $i++) {
		$token = $t[$i];
		$id = $token['id'];
		$prev = $i > 0 ? $t[$i - 1] : array('id' => T_OPEN_TAG, 'text' => '', 'line' => 1);
		$next = $i + 1 < $count ? $t[$i + 1] : array('id' => null, 'text' => '', 'line' => $token['line']);

		if (is_int($id) && isset($simple[$id])) {
			$found[] = array($token['line'], $simple[$id]);
		}

		if ($id === T_FUNCTION || $id === T_FN) {
			ocafas74_check_function($t, $i, $found);
		}

		// Named argument: an identifier directly after ( or , and followed by a single colon.
		if ($next['id'] === ':' && ($prev['id'] === '(' || $prev['id'] === ',') && preg_match('/^[A-Za-z_][A-Za-z0-9_]*$/', $token['text']) && !ocafas74_ternary_colon($t, $i + 1)) {
			$found[] = array($token['line'], 'named argument ' . $token['text'] . ':');
		}

		if ($id === T_THROW) {
			$expression = !in_array($prev['id'], $statement_start, true) && !($prev['id'] === ':' && !ocafas74_ternary_colon($t, $i - 1));

			if ($expression) {
				$found[] = array($token['line'], 'throw as an expression');
			}
		}

		if ($id === '(' && $next['id'] === T_ELLIPSIS && $i + 2 < $count && $t[$i + 2]['id'] === ')') {
			$found[] = array($token['line'], 'first-class callable syntax (...)');
		}

		if ($id === T_CATCH && $next['id'] === '(') {
			$close = ocafas74_match($t, $i + 1);

			if ($t[$close - 1]['id'] !== T_VARIABLE) {
				$found[] = array($token['line'], 'catch without a variable');
			}
		}

		if ($id === T_VARIABLE && $next['id'] === T_DOUBLE_COLON && $i + 2 < $count && $t[$i + 2]['id'] === T_CLASS) {
			$found[] = array($token['line'], '$object::class');
		}

		// A typed property: modifiers, then a type, then the variable.
		if (in_array($id, $property_modifiers, true) && !in_array($prev['id'], $property_modifiers, true)) {
			$k = $i;

			while ($k < $count && in_array($t[$k]['id'], $property_modifiers, true)) {
				$k++;
			}

			$type = array();

			while ($k < $count && $t[$k]['id'] !== T_VARIABLE && ocafas74_is_type_token($t[$k]) && $t[$k]['id'] !== '(' && $t[$k]['id'] !== ')') {
				$type[] = $t[$k];
				$k++;
			}

			if ($k < $count && $t[$k]['id'] === T_VARIABLE && $type) {
				$problem = ocafas74_type_problem($type);

				if ($problem !== '') {
					$found[] = array($token['line'], $problem . ' of a property');
				}
			}
		}
	}

	usort($found, function ($a, $b) {
		return $a[0] - $b[0];
	});

	return $found;
}

function ocafas74_files(array $paths): array {
	$files = array();

	foreach ($paths as $path) {
		if (is_dir($path)) {
			$iterator = new RecursiveIteratorIterator(new RecursiveDirectoryIterator($path, FilesystemIterator::SKIP_DOTS));

			foreach ($iterator as $file) {
				if (substr($file->getFilename(), -4) === '.php') {
					$files[] = $file->getPathname();
				}
			}
		} elseif (is_file($path)) {
			$files[] = $path;
		} else {
			fwrite(STDERR, "no such file or folder: $path\n");
			exit(2);
		}
	}

	sort($files);

	return $files;
}

if (PHP_SAPI === 'cli' && isset($argv) && realpath($argv[0]) === __FILE__) {
	if (count($argv) < 2) {
		fwrite(STDERR, "usage: php check_php74.php FILE_OR_DIR...\n");
		exit(2);
	}

	if (PHP_VERSION_ID < 80000) {
		fwrite(STDERR, "run this checker on PHP 8 or later: older tokenizers do not know the syntax it looks for\n");
		exit(2);
	}

	$status = 0;
	$files = ocafas74_files(array_slice($argv, 1));

	foreach ($files as $file) {
		foreach (ocafas74_check_code((string)file_get_contents($file)) as $finding) {
			echo $file . ':' . $finding[0] . ': ' . $finding[1] . "\n";
			$status = 1;
		}
	}

	if ($status === 0) {
		echo 'PHP 7.4 syntax: ' . count($files) . " files clean\n";
	}

	exit($status);
}
