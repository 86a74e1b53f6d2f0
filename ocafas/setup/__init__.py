"""Setting up: the logic of `connect` and `configure-vat`, without Click (see commands/)."""
