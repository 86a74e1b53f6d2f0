"""DDL of the OpenCart tables the ocafas extension reads, in a 3.0.x and a 4.x flavour.

Written from the column facts of OpenCart's install SQL (3.0.x) and db_schema (4.x): same
names and types, only the tables and columns the extension touches plus the ones an order row
always has. Where the lines differ: 3.0.x (and 4.0.0-4.0.1) keep payment_method/shipping_method
as names beside payment_code/shipping_code; 4.0.2+ keep JSON in payment_method/shipping_method
and have no *_code columns; 4.x's extension table has an `extension` column (the folder).
"""

from __future__ import annotations

VARIANTS = ("oc3", "oc4")

_ORDER_COMMON_HEAD = """
  `order_id` int(11) NOT NULL AUTO_INCREMENT,
  `invoice_no` int(11) NOT NULL DEFAULT '0',
  `invoice_prefix` varchar(26) NOT NULL,
  `store_id` int(11) NOT NULL DEFAULT '0',
  `store_name` varchar(64) NOT NULL,
  `store_url` varchar(255) NOT NULL,
  `customer_id` int(11) NOT NULL DEFAULT '0',
  `customer_group_id` int(11) NOT NULL DEFAULT '0',
  `firstname` varchar(32) NOT NULL,
  `lastname` varchar(32) NOT NULL,
  `email` varchar(96) NOT NULL,
  `telephone` varchar(32) NOT NULL,
  `custom_field` text NOT NULL,
  `payment_firstname` varchar(32) NOT NULL,
  `payment_lastname` varchar(32) NOT NULL,
  `payment_company` varchar(60) NOT NULL,
  `payment_address_1` varchar(128) NOT NULL,
  `payment_address_2` varchar(128) NOT NULL,
  `payment_city` varchar(128) NOT NULL,
  `payment_postcode` varchar(10) NOT NULL,
  `payment_country` varchar(128) NOT NULL,
  `payment_country_id` int(11) NOT NULL,
  `payment_zone` varchar(128) NOT NULL,
  `payment_zone_id` int(11) NOT NULL,
  `payment_address_format` text NOT NULL,
  `payment_custom_field` text NOT NULL,"""

_ORDER_SHIPPING = """
  `shipping_firstname` varchar(32) NOT NULL,
  `shipping_lastname` varchar(32) NOT NULL,
  `shipping_company` varchar(60) NOT NULL,
  `shipping_address_1` varchar(128) NOT NULL,
  `shipping_address_2` varchar(128) NOT NULL,
  `shipping_city` varchar(128) NOT NULL,
  `shipping_postcode` varchar(10) NOT NULL,
  `shipping_country` varchar(128) NOT NULL,
  `shipping_country_id` int(11) NOT NULL,
  `shipping_zone` varchar(128) NOT NULL,
  `shipping_zone_id` int(11) NOT NULL,
  `shipping_address_format` text NOT NULL,
  `shipping_custom_field` text NOT NULL,"""

_ORDER_TAIL = """
  `comment` text NOT NULL,
  `total` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `order_status_id` int(11) NOT NULL DEFAULT '0',
  `affiliate_id` int(11) NOT NULL DEFAULT '0',
  `commission` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `marketing_id` int(11) NOT NULL DEFAULT '0',
  `tracking` varchar(64) NOT NULL DEFAULT '',
  `language_id` int(11) NOT NULL DEFAULT '1',
  `currency_id` int(11) NOT NULL DEFAULT '1',
  `currency_code` varchar(3) NOT NULL,
  `currency_value` decimal(15,8) NOT NULL DEFAULT '1.00000000',
  `ip` varchar(40) NOT NULL DEFAULT '',
  `forwarded_ip` varchar(40) NOT NULL DEFAULT '',
  `user_agent` varchar(255) NOT NULL DEFAULT '',
  `accept_language` varchar(255) NOT NULL DEFAULT '',
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`order_id`)"""


def _order_table(variant: str) -> str:
    if variant == "oc3":
        payment = """
  `payment_method` varchar(128) NOT NULL,
  `payment_code` varchar(128) NOT NULL,"""
        shipping = """
  `shipping_method` varchar(128) NOT NULL,
  `shipping_code` varchar(128) NOT NULL,"""
        extra = ""
    else:
        payment = """
  `payment_method` text NOT NULL,"""
        shipping = """
  `shipping_method` text NOT NULL,"""
        extra = """
  `subscription_id` int(11) NOT NULL DEFAULT '0',
  `transaction_id` varchar(100) NOT NULL DEFAULT '',
  `payment_address_id` int(11) NOT NULL DEFAULT '0',
  `shipping_address_id` int(11) NOT NULL DEFAULT '0',
  `language_code` varchar(5) NOT NULL DEFAULT 'en-gb',"""
    return (
        "CREATE TABLE `{p}order` ("
        + _ORDER_COMMON_HEAD
        + payment
        + _ORDER_SHIPPING
        + shipping
        + extra
        + _ORDER_TAIL
        + "\n)"
    )


_TABLES = [
    """CREATE TABLE `{p}order_product` (
  `order_product_id` int(11) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) NOT NULL,
  `product_id` int(11) NOT NULL,
  `name` varchar(255) NOT NULL,
  `model` varchar(64) NOT NULL,
  `quantity` int(4) NOT NULL,
  `price` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `total` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `tax` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `reward` int(8) NOT NULL DEFAULT '0',
  PRIMARY KEY (`order_product_id`),
  KEY `order_id` (`order_id`)
)""",
    """CREATE TABLE `{p}order_option` (
  `order_option_id` int(11) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) NOT NULL,
  `order_product_id` int(11) NOT NULL,
  `product_option_id` int(11) NOT NULL DEFAULT '0',
  `product_option_value_id` int(11) NOT NULL DEFAULT '0',
  `name` varchar(255) NOT NULL,
  `value` text NOT NULL,
  `type` varchar(32) NOT NULL DEFAULT 'select',
  PRIMARY KEY (`order_option_id`)
)""",
    """CREATE TABLE `{p}order_total` (
  `order_total_id` int(10) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) NOT NULL,
  `code` varchar(32) NOT NULL,
  `title` varchar(255) NOT NULL,
  `value` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `sort_order` int(3) NOT NULL,
  PRIMARY KEY (`order_total_id`),
  KEY `order_id` (`order_id`)
)""",
    """CREATE TABLE `{p}order_voucher` (
  `order_voucher_id` int(11) NOT NULL AUTO_INCREMENT,
  `order_id` int(11) NOT NULL,
  `voucher_id` int(11) NOT NULL DEFAULT '0',
  `description` varchar(255) NOT NULL,
  `code` varchar(10) NOT NULL DEFAULT '',
  `from_name` varchar(64) NOT NULL DEFAULT '',
  `from_email` varchar(96) NOT NULL DEFAULT '',
  `to_name` varchar(64) NOT NULL DEFAULT '',
  `to_email` varchar(96) NOT NULL DEFAULT '',
  `voucher_theme_id` int(11) NOT NULL DEFAULT '0',
  `message` text NOT NULL,
  `amount` decimal(15,4) NOT NULL,
  PRIMARY KEY (`order_voucher_id`)
)""",
    """CREATE TABLE `{p}order_status` (
  `order_status_id` int(11) NOT NULL AUTO_INCREMENT,
  `language_id` int(11) NOT NULL,
  `name` varchar(32) NOT NULL,
  PRIMARY KEY (`order_status_id`,`language_id`)
)""",
    """CREATE TABLE `{p}product` (
  `product_id` int(11) NOT NULL AUTO_INCREMENT,
  `model` varchar(64) NOT NULL,
  `quantity` int(4) NOT NULL DEFAULT '0',
  `price` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `tax_class_id` int(11) NOT NULL,
  `status` tinyint(1) NOT NULL DEFAULT '0',
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`product_id`)
)""",
    """CREATE TABLE `{p}tax_rate` (
  `tax_rate_id` int(11) NOT NULL AUTO_INCREMENT,
  `geo_zone_id` int(11) NOT NULL DEFAULT '0',
  `name` varchar(32) NOT NULL,
  `rate` decimal(15,4) NOT NULL DEFAULT '0.0000',
  `type` char(1) NOT NULL,
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`tax_rate_id`)
)""",
    """CREATE TABLE `{p}geo_zone` (
  `geo_zone_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(32) NOT NULL,
  `description` varchar(255) NOT NULL,
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`geo_zone_id`)
)""",
    """CREATE TABLE `{p}zone_to_geo_zone` (
  `zone_to_geo_zone_id` int(11) NOT NULL AUTO_INCREMENT,
  `country_id` int(11) NOT NULL,
  `zone_id` int(11) NOT NULL DEFAULT '0',
  `geo_zone_id` int(11) NOT NULL,
  `date_added` datetime NOT NULL,
  `date_modified` datetime NOT NULL,
  PRIMARY KEY (`zone_to_geo_zone_id`)
)""",
    """CREATE TABLE `{p}country` (
  `country_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(128) NOT NULL,
  `iso_code_2` varchar(2) NOT NULL,
  `iso_code_3` varchar(3) NOT NULL,
  `address_format` text NOT NULL,
  `postcode_required` tinyint(1) NOT NULL,
  `status` tinyint(1) NOT NULL DEFAULT '1',
  PRIMARY KEY (`country_id`)
)""",
    """CREATE TABLE `{p}custom_field` (
  `custom_field_id` int(11) NOT NULL AUTO_INCREMENT,
  `type` varchar(32) NOT NULL,
  `value` text NOT NULL,
  `validation` varchar(255) NOT NULL,
  `location` varchar(10) NOT NULL,
  `status` tinyint(1) NOT NULL,
  `sort_order` int(3) NOT NULL,
  PRIMARY KEY (`custom_field_id`)
)""",
    """CREATE TABLE `{p}custom_field_description` (
  `custom_field_id` int(11) NOT NULL,
  `language_id` int(11) NOT NULL,
  `name` varchar(128) NOT NULL,
  PRIMARY KEY (`custom_field_id`,`language_id`)
)""",
    """CREATE TABLE `{p}setting` (
  `setting_id` int(11) NOT NULL AUTO_INCREMENT,
  `store_id` int(11) NOT NULL DEFAULT '0',
  `code` varchar(128) NOT NULL,
  `key` varchar(128) NOT NULL,
  `value` text NOT NULL,
  `serialized` tinyint(1) NOT NULL,
  PRIMARY KEY (`setting_id`)
)""",
    """CREATE TABLE `{p}language` (
  `language_id` int(11) NOT NULL AUTO_INCREMENT,
  `name` varchar(32) NOT NULL,
  `code` varchar(5) NOT NULL,
  `locale` varchar(255) NOT NULL,
  `sort_order` int(3) NOT NULL DEFAULT '0',
  `status` tinyint(1) NOT NULL,
  PRIMARY KEY (`language_id`)
)""",
]


def _extension_table(variant: str) -> str:
    folder = "  `extension` varchar(255) NOT NULL,\n" if variant == "oc4" else ""
    return (
        "CREATE TABLE `{p}extension` (\n  `extension_id` int(11) NOT NULL AUTO_INCREMENT,\n"
        + folder
        + "  `type` varchar(32) NOT NULL,\n  `code` varchar(128) NOT NULL,\n"
        "  PRIMARY KEY (`extension_id`)\n)"
    )


def schema_sql(variant: str, prefix: str) -> str:
    """CREATE TABLE statements for one OpenCart line, with the table prefix filled in."""
    if variant not in VARIANTS:
        raise ValueError(variant)
    tables = [_order_table(variant), *_TABLES, _extension_table(variant)]
    tail = " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_general_ci;\n"
    return "".join(t.replace("{p}", prefix) + tail for t in tables)
