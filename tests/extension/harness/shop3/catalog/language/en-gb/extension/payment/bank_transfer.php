<?php
// Test shop language file (ocafas harness)
$_['text_title'] = 'Bank Transfer';
$_['text_instruction'] = 'Bank Transfer Instructions';
