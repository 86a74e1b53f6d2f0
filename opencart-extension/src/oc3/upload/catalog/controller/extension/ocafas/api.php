<?php
/**
 * ocafas for OpenCart 3.0.x: the read-only JSON endpoint, route extension/ocafas/api.
 *
 * Thin on purpose: the work is done by the shared core in system/library/ocafas/.
 * PHP 7.4 compatible (OpenCart 3.0.x runs on PHP 7.x and 8.x).
 */
class ControllerExtensionOcafasApi extends Controller {
	public function index() {
		// Nothing but the JSON body may reach the client: no notices, no warnings.
		ini_set('display_errors', '0');
		$this->config->set('config_error_display', 0);

		require_once DIR_SYSTEM . 'library/ocafas/api.php';

		$log = $this->log;
		$api = new \Ocafas\Api(
			$this->db,
			DB_PREFIX,
			defined('VERSION') ? VERSION : '3.0',
			function ($extension, $language) {
				$code = preg_replace('/[^a-zA-Z0-9_]/', '', (string)$extension['code']);
				$file = DIR_LANGUAGE . $language . '/extension/payment/' . $code . '.php';

				return is_file($file) ? $file : DIR_LANGUAGE . 'en-gb/extension/payment/' . $code . '.php';
			},
			function ($line) use ($log) {
				if ($log) {
					$log->write($line);
				}
			}
		);

		$query_string = isset($_SERVER['QUERY_STRING']) ? (string)$_SERVER['QUERY_STRING'] : '';
		list($status, $body) = $api->handle($_SERVER, $query_string);

		http_response_code($status);
		$this->response->addHeader('Content-Type: application/json; charset=utf-8');
		$this->response->addHeader('Cache-Control: no-store');
		$this->response->addHeader('X-Content-Type-Options: nosniff');
		$this->response->setOutput($body);
	}
}
