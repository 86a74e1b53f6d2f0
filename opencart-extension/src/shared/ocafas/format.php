<?php
/**
 * ocafas: how values leave the database: money as 4-decimal strings, dates with the shop's offset.
 *
 * Shared by the OpenCart 3.0.x and 4.x variants: keep this file PHP 7.4 compatible.
 */
namespace Ocafas;

class Format {
	/**
	 * A DECIMAL column as a string with exactly $decimals decimals, never through a float.
	 *
	 * mysqli already hands DECIMAL columns over as strings with the column's scale; this only
	 * pads shorter values (e.g. from a driver that trims zeros) and refuses anything longer, which
	 * would mean a schema this extension does not know.
	 */
	public static function decimal($value, int $decimals = 4): string {
		$text = trim((string)$value);

		if (!preg_match('/^(-?)([0-9]*)(?:\.([0-9]*))?$/', $text, $match) || ($match[2] === '' && (!isset($match[3]) || $match[3] === ''))) {
			throw new \UnexpectedValueException('not a decimal number');
		}

		$sign = $match[1];
		$whole = ltrim($match[2], '0');
		$fraction = isset($match[3]) ? $match[3] : '';

		if (strlen($fraction) > $decimals) {
			$extra = substr($fraction, $decimals);

			if (trim($extra, '0') !== '') {
				throw new \UnexpectedValueException('more decimals than the database keeps');
			}

			$fraction = substr($fraction, 0, $decimals);
		}

		$fraction = str_pad($fraction, $decimals, '0');

		if ($whole === '') {
			$whole = '0';
		}

		if ($whole === '0' && trim($fraction, '0') === '') {
			$sign = '';
		}

		return $sign . $whole . '.' . $fraction;
	}

	public static function money($value): string {
		return self::decimal($value, 4);
	}

	/**
	 * A DATETIME column (shop local time: OpenCart syncs MySQL's time_zone with the shop's) as
	 * ISO 8601 with the UTC offset that the shop's time zone had at that moment.
	 */
	public static function datetime($value, \DateTimeZone $zone): string {
		$text = (string)$value;

		if ($text === '' || strncmp($text, '0000-00-00', 10) === 0) {
			$text = '1970-01-01 00:00:00';
		}

		$date = \DateTime::createFromFormat('Y-m-d H:i:s', $text, $zone);

		if ($date === false) {
			throw new \UnexpectedValueException('not a DATETIME value');
		}

		return $date->format('Y-m-d\TH:i:sP');
	}

	/**
	 * An ISO 8601 datetime from a request, as a DATETIME literal in the shop's time zone; null when
	 * it is not a valid datetime.
	 *
	 * A '+' of the offset that arrives as a space (an unencoded '+' in a query string) is accepted.
	 */
	public static function parseDatetime(string $value, \DateTimeZone $zone): ?string {
		$pattern = '/^([0-9]{4})-([0-9]{2})-([0-9]{2})[T ]([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\.[0-9]{1,6})?(Z|[+\- ][0-9]{2}:?[0-9]{2})?$/';

		if (!preg_match($pattern, $value, $m)) {
			return null;
		}

		if (!checkdate((int)$m[2], (int)$m[3], (int)$m[1]) || (int)$m[4] > 23 || (int)$m[5] > 59 || (int)$m[6] > 59) {
			return null;
		}

		$local = $m[1] . '-' . $m[2] . '-' . $m[3] . ' ' . $m[4] . ':' . $m[5] . ':' . $m[6];

		if (!isset($m[7]) || $m[7] === '') {
			return $local;
		}

		$offset = $m[7];

		if ($offset === 'Z') {
			$offset = '+00:00';
		} else {
			if ($offset[0] === ' ') {
				$offset = '+' . substr($offset, 1);
			}

			if (strlen($offset) === 5) {
				$offset = substr($offset, 0, 3) . ':' . substr($offset, 3);
			}

			if ((int)substr($offset, 1, 2) > 23 || (int)substr($offset, 4, 2) > 59) {
				return null;
			}
		}

		$date = \DateTime::createFromFormat('Y-m-d H:i:sP', $local . $offset);

		if ($date === false) {
			return null;
		}

		$date->setTimezone($zone);

		return $date->format('Y-m-d H:i:s');
	}

	/**
	 * Text as a person reads it: OpenCart stores form input HTML-escaped (its Request class runs
	 * htmlspecialchars over every value), so "Tom &amp; Jerry" in the database is "Tom & Jerry".
	 */
	public static function text($value): string {
		return html_entity_decode((string)$value, ENT_QUOTES | ENT_HTML5, 'UTF-8');
	}

	public static function json(array $data): string {
		return json_encode($data, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE | JSON_THROW_ON_ERROR);
	}
}
