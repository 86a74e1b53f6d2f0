<?php
/**
 * ocafas: the read-only JSON endpoint that the ocafas client polls (contract v1).
 *
 * The OpenCart controllers of both variants are thin: they hand this class the database, the
 * table prefix and a few facts of their OpenCart line, and send back the status and body it
 * returns. Shared by the OpenCart 3.0.x and 4.x variants: keep this file PHP 7.4 compatible.
 */
namespace Ocafas;

require_once __DIR__ . '/httperror.php';
require_once __DIR__ . '/apikey.php';
require_once __DIR__ . '/format.php';
require_once __DIR__ . '/settings.php';
require_once __DIR__ . '/orderreader.php';
require_once __DIR__ . '/reference.php';

class Api {
	const API_VERSION = 1;
	const EXTENSION_VERSION = '1.0.0';
	const MAX_LIMIT = 500;
	const DEFAULT_LIMIT = 100;

	/** Seconds a wrong key waits before its answer, to slow down guessing. */
	const WRONG_KEY_DELAY = 1;

	private $db;

	/** @var string */
	private $prefix;

	/** @var string */
	private $opencartVersion;

	/** @var callable maps (extension row, language code) to a payment language file path */
	private $paymentLanguageFile;

	/** @var callable|null receives one line for the shop's error log */
	private $log;

	public function __construct($db, string $prefix, string $opencart_version, callable $payment_language_file, ?callable $log = null) {
		$this->db = $db;
		$this->prefix = $prefix;
		$this->opencartVersion = $opencart_version;
		$this->paymentLanguageFile = $payment_language_file;
		$this->log = $log;
	}

	/**
	 * Answers one request: returns array(HTTP status, JSON body).
	 *
	 * Any PHP notice or warning inside is turned into an exception and answered as 500, so a
	 * notice can never end up in the JSON body nor let a half-read order through.
	 *
	 * @param array<string, mixed> $server $_SERVER of the request
	 */
	public function handle(array $server, string $query_string): array {
		set_error_handler(function ($severity, $message, $file, $line) {
			if (!(error_reporting() & $severity)) {
				return false;
			}

			if ($severity === E_DEPRECATED || $severity === E_USER_DEPRECATED) {
				return true;
			}

			throw new \ErrorException($message, 0, $severity, $file, $line);
		});

		try {
			$body = $this->dispatch($server, $query_string);
			$result = array(200, Format::json($body));
		} catch (HttpError $e) {
			$result = $this->error($e->getStatus(), $e->getErrorCode(), $e->getMessage());
		} catch (\Throwable $e) {
			if ($this->log) {
				call_user_func($this->log, 'ocafas: ' . get_class($e) . ': ' . $e->getMessage() . ' in ' . $e->getFile() . ':' . $e->getLine());
			}

			$result = $this->error(500, 'internal', 'internal error in the ocafas extension; see the shop\'s error log');
		}

		restore_error_handler();

		return $result;
	}

	private function error(int $status, string $code, string $message): array {
		return array($status, Format::json(array('error' => array('code' => $code, 'message' => $message))));
	}

	private function dispatch(array $server, string $query_string): array {
		$settings = Settings::load($this->db, $this->prefix);

		if (!$settings->enabled() || !ApiKey::isStrong($settings->apiKey())) {
			throw new HttpError(403, 'disabled', 'the ocafas extension is disabled: enable it and save an API key on its settings page');
		}

		if (!self::isHttps($server) && !$settings->allowHttp()) {
			throw new HttpError(403, 'disabled', 'HTTPS is required (plain HTTP can be allowed on the settings page for testing)');
		}

		$given = self::givenKey($server);

		if ($given === '') {
			throw new HttpError(401, 'unauthorized', 'missing X-Ocafas-Key header');
		}

		// Hashing first makes the comparison independent of the keys' lengths.
		if (!hash_equals(hash('sha256', $settings->apiKey()), hash('sha256', $given))) {
			sleep(self::WRONG_KEY_DELAY);

			throw new HttpError(401, 'unauthorized', 'wrong API key');
		}

		$method = isset($server['REQUEST_METHOD']) ? strtoupper((string)$server['REQUEST_METHOD']) : 'GET';

		if ($method !== 'GET') {
			throw new HttpError(405, 'bad_request', 'only GET is supported');
		}

		$params = self::parseQuery($query_string);
		$action = self::single($params, 'action');

		if ($action === null || $action === '') {
			throw new HttpError(400, 'bad_request', 'missing parameter action');
		}

		switch ($action) {
			case 'ping':
				return $this->ping($settings);
			case 'orders':
				return $this->orders($settings, $params);
			case 'statuses':
				$reference = new Reference($this->db, $this->prefix, $settings);

				return $reference->statuses($settings->adminLanguageId($this->db, $this->prefix));
			case 'tax_rates':
				$reference = new Reference($this->db, $this->prefix, $settings);

				return $reference->taxRates();
			case 'payment_methods':
				$reference = new Reference($this->db, $this->prefix, $settings);
				$resolve = $this->paymentLanguageFile;
				$language = $settings->catalogLanguageCode();

				return $reference->paymentMethods(function ($row) use ($resolve, $language) {
					return $resolve($row, $language);
				});
			default:
				throw new HttpError(404, 'not_found', 'unknown action; known: ping, orders, statuses, tax_rates, payment_methods');
		}
	}

	private function ping(Settings $settings): array {
		return array(
			'api_version'       => self::API_VERSION,
			'extension_version' => self::EXTENSION_VERSION,
			'opencart_version'  => $this->opencartVersion,
			'php_version'       => PHP_VERSION,
			'store_name'        => Format::text($settings->get('config_name', '')),
			'default_currency'  => (string)$settings->get('config_currency', ''),
			'timezone'          => $settings->timezone()->getName(),
			'vat_number_field'  => $settings->vatField()
		);
	}

	private function orders(Settings $settings, array $params): array {
		$limit_text = self::single($params, 'limit');
		$limit = self::DEFAULT_LIMIT;

		if ($limit_text !== null) {
			if (!preg_match('/^[0-9]{1,3}$/', $limit_text) || (int)$limit_text < 1 || (int)$limit_text > self::MAX_LIMIT) {
				throw new HttpError(400, 'bad_request', 'limit must be an integer from 1 to ' . self::MAX_LIMIT);
			}

			$limit = (int)$limit_text;
		}

		$modified_text = self::single($params, 'modified_after');
		$after_text = self::single($params, 'after_id');
		$reader = new OrderReader($this->db, $this->prefix, $settings, $settings->adminLanguageId($this->db, $this->prefix));

		if (isset($params['order_id'])) {
			if ($modified_text !== null || $after_text !== null) {
				throw new HttpError(400, 'bad_request', 'order_id cannot be combined with modified_after or after_id');
			}

			return array('orders' => $reader->byIds(self::orderIds($params['order_id'])), 'next' => null);
		}

		$modified_after = null;

		if ($modified_text !== null) {
			$modified_after = Format::parseDatetime($modified_text, $settings->timezone());

			if ($modified_after === null) {
				throw new HttpError(400, 'bad_request', 'modified_after must be an ISO 8601 datetime, e.g. 2025-04-01T10:22:05+02:00');
			}
		}

		$after_id = 0;

		if ($after_text !== null) {
			if (!preg_match('/^[0-9]{1,10}$/', $after_text) || (int)$after_text > 2147483647) {
				throw new HttpError(400, 'bad_request', 'after_id must be a non-negative integer');
			}

			if ($modified_after === null) {
				throw new HttpError(400, 'bad_request', 'after_id needs modified_after');
			}

			$after_id = (int)$after_text;
		}

		return $reader->page($modified_after, $after_id, $limit);
	}

	/**
	 * @param string[] $values every order_id parameter; each may be a comma list
	 * @return int[]
	 */
	private static function orderIds(array $values): array {
		$ids = array();

		foreach ($values as $value) {
			foreach (explode(',', $value) as $part) {
				$part = trim($part);

				if (!preg_match('/^[1-9][0-9]{0,9}$/', $part) || (int)$part > 2147483647) {
					throw new HttpError(400, 'bad_request', 'order_id must be positive integers (repeat the parameter or use a comma list)');
				}

				if (!in_array((int)$part, $ids, true)) {
					$ids[] = (int)$part;
				}
			}
		}

		if (count($ids) > self::MAX_LIMIT) {
			throw new HttpError(400, 'bad_request', 'at most ' . self::MAX_LIMIT . ' order ids per request');
		}

		return $ids;
	}

	/**
	 * The query string as name => list of values, keeping repeated names (PHP's $_GET keeps only
	 * the last of a repeated order_id); 'order_id[]' counts as 'order_id'.
	 *
	 * @return array<string, string[]>
	 */
	public static function parseQuery(string $query_string): array {
		$params = array();

		foreach (explode('&', $query_string) as $pair) {
			if ($pair === '') {
				continue;
			}

			$parts = explode('=', $pair, 2);
			$name = urldecode($parts[0]);
			$value = isset($parts[1]) ? urldecode($parts[1]) : '';

			if (substr($name, -2) === '[]') {
				$name = substr($name, 0, -2);
			}

			$params[$name][] = $value;
		}

		return $params;
	}

	/** A parameter that may appear once; null when absent. */
	private static function single(array $params, string $name): ?string {
		if (!isset($params[$name])) {
			return null;
		}

		if (count($params[$name]) !== 1) {
			throw new HttpError(400, 'bad_request', 'parameter ' . $name . ' given more than once');
		}

		return $params[$name][0];
	}

	public static function isHttps(array $server): bool {
		if (isset($server['HTTPS']) && $server['HTTPS'] !== false && $server['HTTPS'] !== '' && strtolower((string)$server['HTTPS']) !== 'off' && (string)$server['HTTPS'] !== '0') {
			return true;
		}

		if (isset($server['HTTP_X_FORWARDED_PROTO']) && strtolower((string)$server['HTTP_X_FORWARDED_PROTO']) === 'https') {
			return true;
		}

		return isset($server['HTTP_X_FORWARDED_SSL']) && strtolower((string)$server['HTTP_X_FORWARDED_SSL']) === 'on';
	}

	/** The key from the X-Ocafas-Key header (Apache hands it over as REDIRECT_ after a rewrite). */
	public static function givenKey(array $server): string {
		foreach (array('HTTP_X_OCAFAS_KEY', 'REDIRECT_HTTP_X_OCAFAS_KEY') as $name) {
			if (isset($server[$name]) && is_string($server[$name]) && $server[$name] !== '') {
				return trim($server[$name]);
			}
		}

		return '';
	}
}
