<?php
/**
 * Test harness: what OpenCart 3.0 and 4.x both give a catalog controller, reduced to the parts
 * the ocafas controllers touch. The database class behaves like OpenCart's DB\MySQLi: query()
 * returns an object with num_rows, row and rows (values as strings), or true; errors throw.
 *
 * Written for the ocafas tests; no OpenCart code is copied here.
 */

function harness_env(string $name): string {
	$value = getenv($name);

	if ($value === false || $value === '') {
		http_response_code(500);
		echo 'harness: missing environment variable ' . $name;
		exit;
	}

	return $value;
}

final class HarnessDb {
	private $connection;

	public function __construct(string $socket, string $database) {
		mysqli_report(MYSQLI_REPORT_OFF);
		$this->connection = new mysqli('localhost', 'root', '', $database, 0, $socket);

		if ($this->connection->connect_errno) {
			throw new \Exception('harness: cannot connect to MariaDB: ' . $this->connection->connect_error);
		}

		$this->connection->set_charset('utf8mb4');
		$this->connection->query("SET SESSION sql_mode = 'NO_ZERO_IN_DATE,NO_ENGINE_SUBSTITUTION'");
	}

	public function query($sql) {
		// The endpoint must be read-only: the harness refuses anything else, so a test fails.
		if (!preg_match('/^\s*(SELECT|SET\s+time_zone)\b/i', $sql)) {
			throw new \Exception('harness: the ocafas endpoint sent a statement that is not a SELECT');
		}

		$query = $this->connection->query($sql);

		if ($this->connection->errno) {
			throw new \Exception('Error: ' . $this->connection->error . '<br />Error No: ' . $this->connection->errno . '<br />' . $sql);
		}

		if ($query instanceof \mysqli_result) {
			$rows = array();

			while ($row = $query->fetch_assoc()) {
				$rows[] = $row;
			}

			$result = new \stdClass();
			$result->num_rows = count($rows);
			$result->row = isset($rows[0]) ? $rows[0] : array();
			$result->rows = $rows;
			$query->close();

			return $result;
		}

		return true;
	}

	public function escape($value) {
		return $this->connection->real_escape_string((string)$value);
	}

	public function countAffected() {
		return $this->connection->affected_rows;
	}

	public function getLastId() {
		return $this->connection->insert_id;
	}
}

final class HarnessLog {
	private $file;

	public function __construct(string $file) {
		$this->file = $file;
	}

	public function write($message) {
		file_put_contents($this->file, date('Y-m-d H:i:s') . ' - ' . print_r($message, true) . "\n", FILE_APPEND);
	}
}

/** A key-value store with get/set/has: OpenCart's Config, and 3.0's Registry (oc3.php). */
abstract class HarnessStore {
	private $data = array();

	public function get($key) {
		return isset($this->data[$key]) ? $this->data[$key] : null;
	}

	public function set($key, $value) {
		$this->data[$key] = $value;
	}

	public function has($key) {
		return isset($this->data[$key]);
	}
}

final class HarnessConfig extends HarnessStore {
}

final class HarnessResponse {
	private $headers = array();
	private $output = '';

	public function addHeader($header) {
		$this->headers[] = $header;
	}

	public function setOutput($output) {
		$this->output = $output;
	}

	public function getOutput() {
		return $this->output;
	}

	public function output() {
		if ($this->output) {
			foreach ($this->headers as $header) {
				header($header, true);
			}

			echo $this->output;
		}
	}
}

final class HarnessRequest {
	public $get = array();
	public $post = array();
	public $server = array();

	public function __construct() {
		$this->get = $this->clean($_GET);
		$this->post = $this->clean($_POST);
		$this->server = $this->clean($_SERVER);
	}

	public function clean($data) {
		if (is_array($data)) {
			$clean = array();

			foreach ($data as $key => $value) {
				$clean[$this->clean($key)] = $this->clean($value);
			}

			return $clean;
		}

		return htmlspecialchars((string)$data, ENT_COMPAT, 'UTF-8');
	}
}

/**
 * What OpenCart's startup does before a catalog controller runs: load store 0's settings into
 * the config, take the shop's time zone and sync MySQL's time_zone with it, mark HTTPS.
 */
function harness_startup(HarnessDb $db, HarnessConfig $config, string $prefix): void {
	$query = $db->query("SELECT * FROM `" . $prefix . "setting` WHERE store_id = '0'");

	foreach ($query->rows as $row) {
		$config->set($row['key'], $row['serialized'] ? json_decode($row['value'], true) : $row['value']);
	}

	if ($config->get('config_timezone')) {
		date_default_timezone_set($config->get('config_timezone'));
		$db->query("SET time_zone = '" . $db->escape(date('P')) . "'");
	}

	if ((isset($_SERVER['HTTPS']) && ($_SERVER['HTTPS'] == 'on' || $_SERVER['HTTPS'] == '1')) || (!empty($_SERVER['HTTP_X_FORWARDED_PROTO']) && $_SERVER['HTTP_X_FORWARDED_PROTO'] == 'https')) {
		$_SERVER['HTTPS'] = true;
	} else {
		$_SERVER['HTTPS'] = false;
	}
}
