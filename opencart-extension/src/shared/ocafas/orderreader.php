<?php
/**
 * ocafas: reads orders with their lines, totals and vouchers, and shapes them as the contract says.
 *
 * Read-only: only SELECT statements. Every value from a request reaches SQL through (int) or
 * $db->escape().
 *
 * Shared by the OpenCart 3.0.x and 4.x variants: keep this file PHP 7.4 compatible.
 */
namespace Ocafas;

class OrderReader {
	private $db;

	/** @var string */
	private $prefix;

	/** @var Settings */
	private $settings;

	/** @var \DateTimeZone */
	private $zone;

	/** @var int */
	private $languageId;

	/** @var array<string, array<int, array<string, string>>>|null tax rates by their stored name */
	private $taxRatesByName = null;

	public function __construct($db, string $prefix, Settings $settings, int $language_id) {
		$this->db = $db;
		$this->prefix = $prefix;
		$this->settings = $settings;
		$this->zone = $settings->timezone();
		$this->languageId = $language_id;
	}

	/**
	 * One page of orders after the keyset cursor (date_modified, order_id), ascending.
	 *
	 * @return array{orders: array<int, array<string, mixed>>, next: array<string, mixed>|null}
	 */
	public function page(?string $modified_after, int $after_id, int $limit): array {
		$where = '';

		if ($modified_after !== null) {
			$date = $this->db->escape($modified_after);
			$where = " AND (o.`date_modified` > '" . $date . "' OR (o.`date_modified` = '" . $date . "' AND o.`order_id` > '" . (int)$after_id . "'))";
		}

		$rows = $this->orderRows($where . " ORDER BY o.`date_modified` ASC, o.`order_id` ASC LIMIT " . ((int)$limit + 1));
		$next = null;

		if (count($rows) > $limit) {
			$rows = array_slice($rows, 0, $limit);
			$last = $rows[count($rows) - 1];
			$next = array(
				'modified_after' => Format::datetime($last['date_modified'], $this->zone),
				'after_id'       => (int)$last['order_id']
			);
		}

		return array('orders' => $this->build($rows), 'next' => $next);
	}

	/**
	 * Exactly these orders, whatever their date (abandoned checkouts still excluded).
	 *
	 * @param int[] $order_ids
	 * @return array<int, array<string, mixed>>
	 */
	public function byIds(array $order_ids): array {
		if (!$order_ids) {
			return array();
		}

		$rows = $this->orderRows(" AND o.`order_id` IN (" . $this->intList($order_ids) . ") ORDER BY o.`date_modified` ASC, o.`order_id` ASC");

		return $this->build($rows);
	}

	/** @return array<int, array<string, mixed>> */
	private function orderRows(string $tail): array {
		$p = $this->prefix;
		$sql = "SELECT o.*, os.`name` AS `ocafas_status_name`, pc.`iso_code_2` AS `ocafas_payment_iso`, sc.`iso_code_2` AS `ocafas_shipping_iso`"
			. " FROM `" . $p . "order` o"
			. " LEFT JOIN `" . $p . "order_status` os ON (os.`order_status_id` = o.`order_status_id` AND os.`language_id` = '" . (int)$this->languageId . "')"
			. " LEFT JOIN `" . $p . "country` pc ON (pc.`country_id` = o.`payment_country_id`)"
			. " LEFT JOIN `" . $p . "country` sc ON (sc.`country_id` = o.`shipping_country_id`)"
			. " WHERE o.`order_status_id` > '0'" . $tail;

		return $this->db->query($sql)->rows;
	}

	/** @param int[] $ids */
	private function intList(array $ids): string {
		$list = array();

		foreach ($ids as $id) {
			$list[] = "'" . (int)$id . "'";
		}

		return implode(',', $list);
	}

	/**
	 * @param array<int, array<string, mixed>> $rows
	 * @return array<int, array<string, mixed>>
	 */
	private function build(array $rows): array {
		if (!$rows) {
			return array();
		}

		$ids = array();

		foreach ($rows as $row) {
			$ids[] = (int)$row['order_id'];
		}

		$products = $this->products($ids);
		$totals = $this->totals($ids);
		$vouchers = $this->vouchers($ids);
		$orders = array();

		foreach ($rows as $row) {
			$id = (int)$row['order_id'];
			$orders[] = $this->order(
				$row,
				isset($products[$id]) ? $products[$id] : array(),
				isset($vouchers[$id]) ? $vouchers[$id] : array(),
				isset($totals[$id]) ? $totals[$id] : array()
			);
		}

		return $orders;
	}

	private function order(array $row, array $products, array $vouchers, array $totals): array {
		return array(
			'order_id'         => (int)$row['order_id'],
			'invoice_no'       => (int)$row['invoice_no'],
			'invoice_prefix'   => Format::text($row['invoice_prefix']),
			'store_id'         => (int)$row['store_id'],
			'store_name'       => Format::text($row['store_name']),
			'date_added'       => Format::datetime($row['date_added'], $this->zone),
			'date_modified'    => Format::datetime($row['date_modified'], $this->zone),
			'order_status_id'  => (int)$row['order_status_id'],
			'order_status'     => Format::text($row['ocafas_status_name'] === null ? '' : $row['ocafas_status_name']),
			'currency_code'    => (string)$row['currency_code'],
			'currency_value'   => Format::decimal($row['currency_value'], 8),
			'customer'         => array(
				'customer_id'       => (int)$row['customer_id'],
				'customer_group_id' => (int)$row['customer_group_id'],
				'firstname'         => Format::text($row['firstname']),
				'lastname'          => Format::text($row['lastname']),
				'email'             => Format::text($row['email']),
				'telephone'         => Format::text($row['telephone'])
			),
			'payment_address'  => $this->address($row, 'payment_', $row['ocafas_payment_iso']),
			'shipping_address' => $this->hasShippingAddress($row) ? $this->address($row, 'shipping_', $row['ocafas_shipping_iso']) : null,
			'vat_number'       => $this->vatNumber($row),
			'payment_method'   => self::method($row, 'payment'),
			'shipping_method'  => self::optionalMethod($row, 'shipping'),
			'products'         => $products,
			'vouchers'         => $vouchers,
			'totals'           => $totals,
			'total'            => Format::money($row['total'])
		);
	}

	private function address(array $row, string $p, $iso): array {
		$iso = strtoupper((string)$iso);

		return array(
			'firstname' => Format::text($row[$p . 'firstname']),
			'lastname'  => Format::text($row[$p . 'lastname']),
			'company'   => Format::text($row[$p . 'company']),
			'address_1' => Format::text($row[$p . 'address_1']),
			'address_2' => Format::text($row[$p . 'address_2']),
			'city'      => Format::text($row[$p . 'city']),
			'postcode'  => Format::text($row[$p . 'postcode']),
			'country'   => Format::text($row[$p . 'country']),
			'iso_code_2' => preg_match('/^[A-Z]{2}$/', $iso) ? $iso : '',
			'zone'      => Format::text($row[$p . 'zone'])
		);
	}

	/** OpenCart leaves every shipping_* column empty when the cart needs no shipping. */
	private function hasShippingAddress(array $row): bool {
		foreach (array('firstname', 'lastname', 'company', 'address_1', 'city', 'postcode', 'country') as $field) {
			if (trim((string)$row['shipping_' . $field]) !== '') {
				return true;
			}
		}

		return false;
	}

	/**
	 * {code, name} of the payment or shipping method: OpenCart 3.0 and 4.0.0-4.0.1 keep the name
	 * in <kind>_method and the code in <kind>_code; 4.0.2 and later keep JSON in <kind>_method.
	 */
	public static function method(array $row, string $kind): array {
		$stored = (string)$row[$kind . '_method'];

		if (array_key_exists($kind . '_code', $row)) {
			return array('code' => Format::text($row[$kind . '_code']), 'name' => Format::text($stored));
		}

		$decoded = json_decode($stored, true);

		if (is_array($decoded)) {
			$code = isset($decoded['code']) && is_scalar($decoded['code']) ? Format::text($decoded['code']) : '';

			// 4.0.2+ stores a payment method as "<extension>.<option>" ("cod.cod"); 3.0.x's
			// payment_code and action=payment_methods name the extension only ("cod"), and
			// that is what ocafas maps to AFAS payment methods and fixed debtors. Shipping
			// codes keep both parts: 3.0.x's shipping_code is "flat.flat" too.
			if ($kind === 'payment' && strpos($code, '.') !== false) {
				$code = substr($code, 0, strpos($code, '.'));
			}

			return array(
				'code' => $code,
				'name' => isset($decoded['name']) && is_scalar($decoded['name']) ? Format::text($decoded['name']) : ''
			);
		}

		// A plain name (e.g. an order carried over by an upgrade from 3.0).
		return array('code' => '', 'name' => Format::text($stored));
	}

	public static function optionalMethod(array $row, string $kind): ?array {
		$method = self::method($row, $kind);

		return ($method['code'] === '' && $method['name'] === '') ? null : $method;
	}

	private function vatNumber(array $row): ?string {
		$field = $this->settings->vatField();

		if ($field === null) {
			return null;
		}

		list($column, $custom_field_id) = Settings::parseVatField($field);
		$values = json_decode((string)$row[$column], true);

		if (!is_array($values) || !array_key_exists($custom_field_id, $values) || !is_scalar($values[$custom_field_id])) {
			return null;
		}

		$vat = trim(Format::text($values[$custom_field_id]));

		return $vat === '' ? null : $vat;
	}

	/** @param int[] $ids */
	private function products(array $ids): array {
		$p = $this->prefix;
		$options = array();
		$query = $this->db->query("SELECT `order_product_id`, `name`, `value` FROM `" . $p . "order_option` WHERE `order_id` IN (" . $this->intList($ids) . ") ORDER BY `order_option_id` ASC");

		foreach ($query->rows as $row) {
			$options[(int)$row['order_product_id']][] = array('name' => Format::text($row['name']), 'value' => Format::text($row['value']));
		}

		$products = array();
		$query = $this->db->query("SELECT op.`order_product_id`, op.`order_id`, op.`product_id`, op.`name`, op.`model`, op.`quantity`, op.`price`, op.`total`, op.`tax`, pr.`tax_class_id` FROM `" . $p . "order_product` op LEFT JOIN `" . $p . "product` pr ON (pr.`product_id` = op.`product_id`) WHERE op.`order_id` IN (" . $this->intList($ids) . ") ORDER BY op.`order_product_id` ASC");

		foreach ($query->rows as $row) {
			$line = (int)$row['order_product_id'];
			$products[(int)$row['order_id']][] = array(
				'order_product_id' => $line,
				'product_id'       => (int)$row['product_id'],
				'name'             => Format::text($row['name']),
				'model'            => Format::text($row['model']),
				'quantity'         => (int)$row['quantity'],
				'price'            => Format::money($row['price']),
				'total'            => Format::money($row['total']),
				'tax'              => Format::money($row['tax']),
				'tax_class_id'     => $row['tax_class_id'] === null ? null : (int)$row['tax_class_id'],
				'options'          => isset($options[$line]) ? $options[$line] : array()
			);
		}

		return $products;
	}

	/** @param int[] $ids */
	private function vouchers(array $ids): array {
		$vouchers = array();
		$query = $this->db->query("SELECT `order_id`, `description`, `amount` FROM `" . $this->prefix . "order_voucher` WHERE `order_id` IN (" . $this->intList($ids) . ") ORDER BY `order_voucher_id` ASC");

		foreach ($query->rows as $row) {
			$vouchers[(int)$row['order_id']][] = array('description' => Format::text($row['description']), 'amount' => Format::money($row['amount']));
		}

		return $vouchers;
	}

	/**
	 * order_total rows in sort_order; ties ordered like OpenCart's array_multisort over the rows
	 * (by code, then title), the row id last so the order is always the same.
	 *
	 * @param int[] $ids
	 */
	private function totals(array $ids): array {
		$query = $this->db->query("SELECT `order_total_id`, `order_id`, `code`, `title`, `value`, `sort_order` FROM `" . $this->prefix . "order_total` WHERE `order_id` IN (" . $this->intList($ids) . ")");
		$rows = $query->rows;

		usort($rows, function ($a, $b) {
			$cmp = (int)$a['sort_order'] - (int)$b['sort_order'];

			if ($cmp === 0) {
				$cmp = strcmp((string)$a['code'], (string)$b['code']);
			}

			if ($cmp === 0) {
				$cmp = strcmp((string)$a['title'], (string)$b['title']);
			}

			if ($cmp === 0) {
				$cmp = (int)$a['order_total_id'] - (int)$b['order_total_id'];
			}

			return $cmp < 0 ? -1 : ($cmp > 0 ? 1 : 0);
		});

		$totals = array();

		foreach ($rows as $row) {
			$total = array(
				'code'       => (string)$row['code'],
				'title'      => Format::text($row['title']),
				'value'      => Format::money($row['value']),
				'sort_order' => (int)$row['sort_order']
			);

			if ($row['code'] === 'tax') {
				$total['tax_rate'] = $this->taxRateNamed((string)$row['title']);
			}

			$totals[(int)$row['order_id']][] = $total;
		}

		return $totals;
	}

	/** The tax rate whose name is this tax row's title, when exactly one rate has that name. */
	private function taxRateNamed(string $title): ?array {
		if ($this->taxRatesByName === null) {
			$this->taxRatesByName = array();
			$query = $this->db->query("SELECT `tax_rate_id`, `name`, `rate`, `type` FROM `" . $this->prefix . "tax_rate`");

			foreach ($query->rows as $row) {
				$this->taxRatesByName[(string)$row['name']][] = $row;
			}
		}

		if (!isset($this->taxRatesByName[$title]) || count($this->taxRatesByName[$title]) !== 1) {
			return null;
		}

		$rate = $this->taxRatesByName[$title][0];

		return array('tax_rate_id' => (int)$rate['tax_rate_id'], 'rate' => Format::money($rate['rate']), 'type' => (string)$rate['type']);
	}
}
