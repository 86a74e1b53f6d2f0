<?php
/**
 * ocafas: an error the API answers with a JSON error body and an HTTP status.
 *
 * Shared by the OpenCart 3.0.x and 4.x variants: keep this file PHP 7.4 compatible.
 */
namespace Ocafas;

class HttpError extends \Exception {
	/** @var int */
	private $status;

	/** @var string */
	private $errorCode;

	public function __construct(int $status, string $errorCode, string $message) {
		parent::__construct($message);
		$this->status = $status;
		$this->errorCode = $errorCode;
	}

	public function getStatus(): int {
		return $this->status;
	}

	public function getErrorCode(): string {
		return $this->errorCode;
	}
}
