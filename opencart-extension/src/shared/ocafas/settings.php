<?php
/**
 * ocafas: the shop's and the extension's settings, read straight from the setting table.
 *
 * The endpoint reads store 0's rows itself instead of OpenCart's config object: OpenCart 4.x
 * loads only the settings of the store that the request's host maps to, and the extension's
 * settings page always saves them for store 0.
 *
 * Shared by the OpenCart 3.0.x and 4.x variants: keep this file PHP 7.4 compatible.
 */
namespace Ocafas;

class Settings {
	const CODE = 'module_ocafas';

	/** @var array<string, mixed> */
	private $values = array();

	/** @param array<string, mixed> $values */
	public function __construct(array $values) {
		$this->values = $values;
	}

	public static function load($db, string $prefix): Settings {
		$query = $db->query("SELECT `key`, `value`, `serialized` FROM `" . $prefix . "setting` WHERE `store_id` = '0' AND `code` IN ('config', '" . $db->escape(self::CODE) . "')");
		$values = array();

		foreach ($query->rows as $row) {
			if ($row['serialized']) {
				$decoded = json_decode((string)$row['value'], true);
				$values[$row['key']] = is_array($decoded) ? $decoded : array();
			} else {
				$values[$row['key']] = (string)$row['value'];
			}
		}

		return new Settings($values);
	}

	/** @return mixed */
	public function get(string $key, $default = null) {
		return array_key_exists($key, $this->values) ? $this->values[$key] : $default;
	}

	public function enabled(): bool {
		return (string)$this->get('module_ocafas_status', '0') === '1';
	}

	public function apiKey(): string {
		return (string)$this->get('module_ocafas_key', '');
	}

	public function allowHttp(): bool {
		return (string)$this->get('module_ocafas_allow_http', '0') === '1';
	}

	/** 'custom_field:<id>' (account field), 'payment_custom_field:<id>' (address field) or null. */
	public function vatField(): ?string {
		$field = (string)$this->get('module_ocafas_vat_field', '');

		return self::parseVatField($field) ? $field : null;
	}

	/** @return array{0: string, 1: int}|null the order column and the custom_field_id */
	public static function parseVatField(string $field): ?array {
		if (preg_match('/^(custom_field|payment_custom_field):([1-9][0-9]{0,9})$/', $field, $m)) {
			return array($m[1], (int)$m[2]);
		}

		return null;
	}

	public function timezone(): \DateTimeZone {
		$name = (string)$this->get('config_timezone', '');

		if ($name !== '' && in_array($name, \DateTimeZone::listIdentifiers(), true)) {
			return new \DateTimeZone($name);
		}

		return new \DateTimeZone(date_default_timezone_get());
	}

	/** The admin language's id: 3.0 keeps its code in config_admin_language, 4.x in config_language_admin. */
	public function adminLanguageId($db, string $prefix): int {
		$codes = array(
			(string)$this->get('config_language_admin', ''),
			(string)$this->get('config_admin_language', ''),
			(string)$this->get('config_language_catalog', ''),
			(string)$this->get('config_language', '')
		);

		foreach ($codes as $code) {
			if ($code !== '') {
				$query = $db->query("SELECT `language_id` FROM `" . $prefix . "language` WHERE `code` = '" . $db->escape($code) . "'");

				if ($query->num_rows) {
					return (int)$query->row['language_id'];
				}
			}
		}

		$query = $db->query("SELECT MIN(`language_id`) AS `language_id` FROM `" . $prefix . "language`");

		return $query->num_rows ? (int)$query->row['language_id'] : 1;
	}

	/** The catalog language's code, for the payment extensions' language files. */
	public function catalogLanguageCode(): string {
		foreach (array('config_language_catalog', 'config_language') as $key) {
			$code = (string)$this->get($key, '');

			if (preg_match('/^[a-z]{2}(-[a-z]{2})?$/i', $code)) {
				return $code;
			}
		}

		return 'en-gb';
	}

	/**
	 * The shop's custom fields that can hold a VAT number, for the settings page's select:
	 * account fields live in order.custom_field, address fields in order.payment_custom_field.
	 *
	 * @return array<int, array{value: string, name: string, location: string}>
	 */
	public static function vatFieldChoices($db, string $prefix, int $language_id): array {
		$query = $db->query("SELECT cf.`custom_field_id`, cf.`location`, cf.`type`, cfd.`name` FROM `" . $prefix . "custom_field` cf LEFT JOIN `" . $prefix . "custom_field_description` cfd ON (cfd.`custom_field_id` = cf.`custom_field_id` AND cfd.`language_id` = '" . (int)$language_id . "') WHERE cf.`location` IN ('account', 'address') AND cf.`type` IN ('text', 'textarea') ORDER BY cf.`location`, cf.`sort_order`, cf.`custom_field_id`");
		$choices = array();

		foreach ($query->rows as $row) {
			$column = $row['location'] === 'account' ? 'custom_field' : 'payment_custom_field';
			$choices[] = array(
				'value'    => $column . ':' . (int)$row['custom_field_id'],
				'name'     => Format::text($row['name'] === null ? ('#' . $row['custom_field_id']) : $row['name']),
				'location' => (string)$row['location']
			);
		}

		return $choices;
	}
}
