"""The accounts `configure-vat` asks for, with their options: light, so `ocafas --help` is fast.

name -> (command-line option, what it is, the config key under ``vat`` when it has its own).
"""

from __future__ import annotations

ACCOUNTS: dict[str, tuple[str, str, str | None]] = {
    "high": ("--high-account", "revenue account for high-rated sales", None),
    "low": ("--low-account", "revenue account for low-rated sales", None),
    "zero": ("--zero-account", "revenue account for 0 % sales", None),
    "icp": ("--icp-account", "revenue account for ICP sales", "icp"),
    "international": ("--international-account", "revenue account outside the EU", None),
    "shipping": ("--shipping-account", "account for shipping", "shipping_account"),
    "fees": ("--fees-account", "account for fees", "fees_account"),
    "vouchers_sold": ("--vouchers-sold-account", "account for vouchers sold", None),
    "vouchers_redeemed": ("--vouchers-redeemed-account", "account for vouchers redeemed", None),
}
