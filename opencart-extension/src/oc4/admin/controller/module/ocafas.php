<?php
/**
 * ocafas for OpenCart 4.x: the settings page (Extensions > Extensions > Modules > ocafas).
 */
namespace Opencart\Admin\Controller\Extension\Ocafas\Module;

class Ocafas extends \Opencart\System\Engine\Controller {
	private const ROUTE = 'extension/ocafas/module/ocafas';

	public function index(): void {
		require_once DIR_EXTENSION . 'ocafas/system/library/ocafas/api.php';

		$this->load->language(self::ROUTE);
		$this->document->setTitle($this->language->get('heading_title'));

		$token = 'user_token=' . $this->session->data['user_token'];

		$data['breadcrumbs'] = [
			['text' => $this->language->get('text_home'), 'href' => $this->url->link('common/dashboard', $token)],
			['text' => $this->language->get('text_extension'), 'href' => $this->url->link('marketplace/extension', $token . '&type=module')],
			['text' => $this->language->get('heading_title'), 'href' => $this->url->link(self::ROUTE, $token)],
		];

		$data['save'] = $this->url->link(self::ROUTE . self::separator() . 'save', $token);
		$data['back'] = $this->url->link('marketplace/extension', $token . '&type=module');

		foreach (['module_ocafas_status', 'module_ocafas_key', 'module_ocafas_vat_field', 'module_ocafas_allow_http'] as $key) {
			$data[$key] = (string)$this->config->get($key);
		}

		$data['vat_fields'] = \Ocafas\Settings::vatFieldChoices($this->db, DB_PREFIX, (int)$this->config->get('config_language_id'));
		$data['endpoint'] = HTTP_CATALOG . 'index.php?route=extension/ocafas/api';
		$data['generated_key'] = \Ocafas\ApiKey::generate();

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		$this->response->setOutput($this->load->view(self::ROUTE, $data));
	}

	public function save(): void {
		require_once DIR_EXTENSION . 'ocafas/system/library/ocafas/api.php';

		$this->load->language(self::ROUTE);

		$json = [];
		$post = $this->request->post;
		$settings = [
			'module_ocafas_status'     => !empty($post['module_ocafas_status']) ? '1' : '0',
			'module_ocafas_key'        => trim((string)($post['module_ocafas_key'] ?? '')),
			'module_ocafas_vat_field'  => (string)($post['module_ocafas_vat_field'] ?? ''),
			'module_ocafas_allow_http' => !empty($post['module_ocafas_allow_http']) ? '1' : '0',
		];

		if (!$this->user->hasPermission('modify', self::ROUTE)) {
			$json['error']['warning'] = $this->language->get('error_permission');
		}

		$problem = \Ocafas\ApiKey::problem($settings['module_ocafas_key']);

		// A disabled extension may keep an empty key; an enabled one needs a strong key.
		if ($problem !== '' && ($settings['module_ocafas_key'] !== '' || $settings['module_ocafas_status'] === '1')) {
			$json['error']['key'] = $this->language->get('error_key_' . $problem);
		}

		if ($settings['module_ocafas_vat_field'] !== '') {
			$choices = \Ocafas\Settings::vatFieldChoices($this->db, DB_PREFIX, (int)$this->config->get('config_language_id'));

			if (!in_array($settings['module_ocafas_vat_field'], array_column($choices, 'value'), true)) {
				$json['error']['vat_field'] = $this->language->get('error_vat_field');
			}
		}

		if (isset($json['error']) && !isset($json['error']['warning'])) {
			$json['error']['warning'] = $this->language->get('error_form');
		}

		if (!$json) {
			$this->load->model('setting/setting');
			$this->model_setting_setting->editSetting('module_ocafas', $settings);

			$json['success'] = $this->language->get('text_success');
		}

		$this->response->addHeader('Content-Type: application/json');
		$this->response->setOutput(json_encode($json));
	}

	/** 4.0.0.x and 4.0.1.x call a controller method with '|', 4.0.2.0 and later with '.'. */
	private static function separator(): string {
		return version_compare(VERSION, '4.0.2.0', '>=') ? '.' : '|';
	}
}
