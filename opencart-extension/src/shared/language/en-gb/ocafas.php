<?php
// Heading
$_['heading_title']        = 'ocafas (AFAS SB bookkeeping)';

// Text
$_['text_extension']       = 'Extensions';
$_['text_success']         = 'Success: you have saved the ocafas settings.';
$_['text_edit']            = 'Edit ocafas settings';
$_['text_none']            = '--- no VAT number field ---';
$_['text_account']         = 'Account';
$_['text_address']         = 'Address';
$_['text_endpoint_help']   = 'Paste this URL and the API key into the ocafas configuration (opencart.url and opencart.api_key).';

// Entry
$_['entry_status']         = 'Status';
$_['entry_key']            = 'API key';
$_['entry_vat_field']      = 'VAT number field';
$_['entry_allow_http']     = 'Allow plain HTTP';
$_['entry_endpoint']       = 'Endpoint URL';

// Help
$_['help_key']             = '15 to 64 characters: letters, digits and !*@#()=, with at least one lower case letter, one upper case letter and one digit. ocafas sends it in the X-Ocafas-Key header.';
$_['help_vat_field']       = 'The customer custom field (account) or address custom field that holds the VAT number.';
$_['help_allow_http']      = 'For testing only: the key travels unencrypted over plain HTTP.';

// Button
$_['button_generate']      = 'Generate key';

// Error
$_['error_permission']     = 'Warning: you do not have permission to modify the ocafas module!';
$_['error_form']           = 'Warning: please check the form carefully for errors!';
$_['error_key_length']     = 'The API key must be 15 to 64 characters long.';
$_['error_key_characters'] = 'The API key may contain only letters, digits and !*@#()=.';
$_['error_key_classes']    = 'The API key needs at least one lower case letter, one upper case letter and one digit.';
$_['error_vat_field']      = 'Choose one of the shop\'s custom fields.';
