<?php
/** Test harness: OpenCart 3.0's global Registry and Controller, as the 3.0 controller expects. */

final class Registry extends HarnessStore {
}

abstract class Controller {
	protected $registry;

	public function __construct($registry) {
		$this->registry = $registry;
	}

	public function __get($key) {
		return $this->registry->get($key);
	}

	public function __set($key, $value) {
		$this->registry->set($key, $value);
	}
}

/** Runs route extension/ocafas/api the way 3.0's Action does: file by route, class by name. */
function harness_run_oc3(string $root, Registry $registry): void {
	define('DIR_APPLICATION', $root . '/upload/catalog/');
	define('DIR_SYSTEM', $root . '/upload/system/');
	define('DIR_LANGUAGE', harness_env('OCAFAS_HARNESS_SHOP') . '/catalog/language/');

	$route = 'extension/ocafas/api';
	require_once DIR_APPLICATION . 'controller/' . $route . '.php';
	$class = 'Controller' . preg_replace('/[^a-zA-Z0-9]/', '', $route);
	$controller = new $class($registry);
	$controller->index();
}
