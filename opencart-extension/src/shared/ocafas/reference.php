<?php
/**
 * ocafas: the shop's reference data that ocafas maps from: order statuses, tax rates, payment methods.
 *
 * Shared by the OpenCart 3.0.x and 4.x variants: keep this file PHP 7.4 compatible.
 */
namespace Ocafas;

class Reference {
	private $db;

	/** @var string */
	private $prefix;

	/** @var Settings */
	private $settings;

	public function __construct($db, string $prefix, Settings $settings) {
		$this->db = $db;
		$this->prefix = $prefix;
		$this->settings = $settings;
	}

	public function statuses(int $language_id): array {
		$statuses = array();
		$query = $this->db->query("SELECT `order_status_id`, `name` FROM `" . $this->prefix . "order_status` WHERE `language_id` = '" . (int)$language_id . "' AND `order_status_id` > '0' ORDER BY `order_status_id` ASC");

		foreach ($query->rows as $row) {
			$statuses[] = array('order_status_id' => (int)$row['order_status_id'], 'name' => Format::text($row['name']));
		}

		return array(
			'statuses'   => $statuses,
			'processing' => $this->statusList('config_processing_status'),
			'complete'   => $this->statusList('config_complete_status')
		);
	}

	/** @return int[] */
	private function statusList(string $key): array {
		$ids = array();
		$value = $this->settings->get($key, array());

		foreach (is_array($value) ? $value : array() as $id) {
			if (is_scalar($id) && (int)$id > 0 && !in_array((int)$id, $ids, true)) {
				$ids[] = (int)$id;
			}
		}

		return $ids;
	}

	public function taxRates(): array {
		$p = $this->prefix;
		$countries = array();
		$query = $this->db->query("SELECT DISTINCT z2g.`geo_zone_id`, c.`iso_code_2` FROM `" . $p . "zone_to_geo_zone` z2g INNER JOIN `" . $p . "country` c ON (c.`country_id` = z2g.`country_id`) ORDER BY c.`iso_code_2` ASC");

		foreach ($query->rows as $row) {
			$iso = strtoupper((string)$row['iso_code_2']);

			if (preg_match('/^[A-Z]{2}$/', $iso) && (!isset($countries[(int)$row['geo_zone_id']]) || !in_array($iso, $countries[(int)$row['geo_zone_id']], true))) {
				$countries[(int)$row['geo_zone_id']][] = $iso;
			}
		}

		$rates = array();
		$query = $this->db->query("SELECT tr.`tax_rate_id`, tr.`geo_zone_id`, tr.`name`, tr.`rate`, tr.`type`, gz.`name` AS `geo_zone` FROM `" . $p . "tax_rate` tr LEFT JOIN `" . $p . "geo_zone` gz ON (gz.`geo_zone_id` = tr.`geo_zone_id`) ORDER BY tr.`tax_rate_id` ASC");

		foreach ($query->rows as $row) {
			$rates[] = array(
				'tax_rate_id' => (int)$row['tax_rate_id'],
				'name'        => Format::text($row['name']),
				'rate'        => Format::money($row['rate']),
				'type'        => (string)$row['type'],
				'geo_zone'    => Format::text($row['geo_zone'] === null ? '' : $row['geo_zone']),
				'countries'   => isset($countries[(int)$row['geo_zone_id']]) ? $countries[(int)$row['geo_zone_id']] : array()
			);
		}

		return array('tax_rates' => $rates);
	}

	/**
	 * The installed payment extensions with the name the customer saw.
	 *
	 * $language_file maps an extension table row to the catalog language file that holds the
	 * payment's text_title (its path differs between 3.0 and 4.x), or '' when there is none.
	 */
	public function paymentMethods(callable $language_file): array {
		$methods = array();
		$query = $this->db->query("SELECT * FROM `" . $this->prefix . "extension` WHERE `type` = 'payment' ORDER BY `code` ASC");

		foreach ($query->rows as $row) {
			$code = (string)$row['code'];

			if (!preg_match('/^[a-zA-Z0-9_]+$/', $code)) {
				continue;
			}

			$name = $this->titleFromLanguageFile((string)$language_file($row));

			if ($name === '') {
				$name = $code;
			}

			$methods[] = array('code' => $code, 'name' => $name);
		}

		return array('payment_methods' => $methods);
	}

	private function titleFromLanguageFile(string $file): string {
		if ($file === '' || !is_file($file)) {
			return '';
		}

		$read = function ($file) {
			$_ = array();
			include $file;

			return $_;
		};
		$strings = $read($file);

		foreach (array('text_title', 'heading_title') as $key) {
			if (isset($strings[$key]) && is_string($strings[$key])) {
				$title = trim(Format::text(strip_tags($strings[$key])));

				if ($title !== '') {
					return $title;
				}
			}
		}

		return '';
	}
}
