<?php
// Test shop language file (ocafas harness)
$_['text_title'] = 'Cash On Delivery';
