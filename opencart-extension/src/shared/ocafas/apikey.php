<?php
/**
 * ocafas: the strength rules of the API key, in one place for the settings page and the endpoint.
 *
 * Shared by the OpenCart 3.0.x and 4.x variants: keep this file PHP 7.4 compatible.
 */
namespace Ocafas;

class ApiKey {
	const MIN_LENGTH = 15;
	const MAX_LENGTH = 64;
	const ALLOWED_SPECIALS = '!*@#()=';

	/**
	 * Why the key is refused, or '' when it is strong enough.
	 *
	 * The rules come from the contract: 15 to 64 characters, only letters, digits and !*@#()=,
	 * at least one lower case letter, one upper case letter and one digit.
	 */
	public static function problem(string $key): string {
		$length = strlen($key);

		if ($length < self::MIN_LENGTH || $length > self::MAX_LENGTH) {
			return 'length';
		}

		if (!preg_match('/^[A-Za-z0-9!*@#()=]+$/', $key)) {
			return 'characters';
		}

		if (!preg_match('/[a-z]/', $key) || !preg_match('/[A-Z]/', $key) || !preg_match('/[0-9]/', $key)) {
			return 'classes';
		}

		return '';
	}

	public static function isStrong(string $key): bool {
		return self::problem($key) === '';
	}

	/** A fresh random key of 40 characters that passes problem(). */
	public static function generate(int $length = 40): string {
		$alphabet = 'abcdefghijkmnopqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789' . self::ALLOWED_SPECIALS;
		$max = strlen($alphabet) - 1;

		do {
			$key = '';

			for ($i = 0; $i < $length; $i++) {
				$key .= $alphabet[random_int(0, $max)];
			}
		} while (!self::isStrong($key));

		return $key;
	}
}
