<?php
/**
 * Test harness router for `php -S`: serves index.php?route=extension/ocafas/api by running the
 * real packaged controller (3.0.x or 4.x, from OCAFAS_HARNESS_VARIANT) against MariaDB.
 */
require __DIR__ . '/common.php';

$variant = harness_env('OCAFAS_HARNESS_VARIANT');
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$route = isset($_GET['route']) ? (string)$_GET['route'] : '';

if ($path !== '/index.php' || $route !== 'extension/ocafas/api') {
	http_response_code(404);
	header('Content-Type: text/plain');
	echo 'harness: no such route';

	return true;
}

define('DB_PREFIX', harness_env('OCAFAS_DB_PREFIX'));
define('VERSION', harness_env('OCAFAS_OC_VERSION'));

$db = new HarnessDb(harness_env('OCAFAS_DB_SOCKET'), harness_env('OCAFAS_DB_NAME'));
$config = new HarnessConfig();
harness_startup($db, $config, DB_PREFIX);

if ($variant === 'oc3') {
	require __DIR__ . '/oc3.php';
	$registry = new Registry();
} else {
	require __DIR__ . '/oc4.php';
	$registry = new \Opencart\System\Engine\Registry();
}

$response = new HarnessResponse();
$registry->set('db', $db);
$registry->set('config', $config);
$registry->set('log', new HarnessLog(harness_env('OCAFAS_HARNESS_LOG')));
$registry->set('request', new HarnessRequest());
$registry->set('response', $response);

if ($variant === 'oc3') {
	harness_run_oc3(harness_env('OCAFAS_HARNESS_ROOT'), $registry);
} else {
	\Opencart\System\Engine\harness_run_oc4(harness_env('OCAFAS_HARNESS_ROOT'), $registry);
}

$response->output();

return true;
