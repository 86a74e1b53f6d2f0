<?php
// Test shop language file (ocafas harness)
$_['heading_title'] = 'Bank Transfer';
$_['text_title'] = '<b>Bank</b> Transfer &amp; iDEAL';
