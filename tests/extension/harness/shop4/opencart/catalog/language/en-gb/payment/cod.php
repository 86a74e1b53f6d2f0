<?php
// Test shop language file (ocafas harness)
$_['heading_title'] = 'Cash On Delivery';
