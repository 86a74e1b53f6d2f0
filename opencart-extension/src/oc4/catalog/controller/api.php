<?php
/**
 * ocafas for OpenCart 4.x: the read-only JSON endpoint, route extension/ocafas/api.
 *
 * Thin on purpose: the work is done by the shared core in system/library/ocafas/.
 */
namespace Opencart\Catalog\Controller\Extension\Ocafas;

class Api extends \Opencart\System\Engine\Controller {
	public function index(): void {
		// Nothing but the JSON body may reach the client: no notices, no warnings.
		ini_set('display_errors', '0');
		$this->config->set('config_error_display', 0);

		require_once DIR_EXTENSION . 'ocafas/system/library/ocafas/api.php';

		$log = $this->log;
		$api = new \Ocafas\Api(
			$this->db,
			DB_PREFIX,
			defined('VERSION') ? VERSION : '4',
			static function (array $extension, string $language): string {
				$folder = preg_replace('/[^a-zA-Z0-9_]/', '', (string)($extension['extension'] ?? ''));
				$code = preg_replace('/[^a-zA-Z0-9_]/', '', (string)$extension['code']);
				$base = DIR_EXTENSION . $folder . '/catalog/language/';
				$file = $base . $language . '/payment/' . $code . '.php';

				return is_file($file) ? $file : $base . 'en-gb/payment/' . $code . '.php';
			},
			static function (string $line) use ($log): void {
				$log?->write($line);
			}
		);

		[$status, $body] = $api->handle($_SERVER, (string)($_SERVER['QUERY_STRING'] ?? ''));

		http_response_code($status);
		$this->response->addHeader('Content-Type: application/json; charset=utf-8');
		$this->response->addHeader('Cache-Control: no-store');
		$this->response->addHeader('X-Content-Type-Options: nosniff');
		$this->response->setOutput($body);
	}
}
