"""Setting up: `connect` and `configure-vat` logic, without Click (the commands live in commands/)."""
