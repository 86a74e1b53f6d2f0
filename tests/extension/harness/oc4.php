<?php
/** Test harness: OpenCart 4.x's namespaced Registry and Controller, and its extension autoloading. */

namespace Opencart\System\Engine;

final class Registry {
	private $data = [];

	public function get(string $key): ?object {
		return $this->data[$key] ?? null;
	}

	public function set(string $key, object $value): void {
		$this->data[$key] = $value;
	}

	public function has(string $key): bool {
		return isset($this->data[$key]);
	}
}

class Controller {
	protected Registry $registry;

	public function __construct(Registry $registry) {
		$this->registry = $registry;
	}

	public function __get(string $key): object {
		if ($this->registry->has($key)) {
			return $this->registry->get($key);
		}

		throw new \Exception('Error: Could not call registry key ' . $key . '!');
	}

	public function __set(string $key, object $value): void {
		$this->registry->set($key, $value);
	}
}

/** Runs route extension/ocafas/api the way 4.x's Action does: class from the route, autoloaded. */
function harness_run_oc4(string $extension_dir, Registry $registry): void {
	define('DIR_EXTENSION', rtrim($extension_dir, '/') . '/');

	// 4.x registers Opencart\Catalog\Controller\Extension\<Code> for each installed extension.
	spl_autoload_register(function (string $class): void {
		$prefix = 'Opencart\\Catalog\\Controller\\Extension\\Ocafas\\';

		if (strncmp($class, $prefix, strlen($prefix)) === 0) {
			$file = DIR_EXTENSION . 'ocafas/catalog/controller/' . strtolower(str_replace('\\', '/', substr($class, strlen($prefix)))) . '.php';

			if (is_file($file)) {
				require_once $file;
			}
		}
	});

	$route = 'extension/ocafas/api';
	$class = 'Opencart\\Catalog\\Controller\\' . str_replace(['_', '/'], ['', '\\'], ucwords($route, '_/'));
	$controller = new $class($registry);
	$controller->index();
}
