<?php
/**
 * ocafas for OpenCart 3.0.x: the settings page (Extensions > Extensions > Modules > ocafas).
 *
 * PHP 7.4 compatible.
 */
class ControllerExtensionModuleOcafas extends Controller {
	private $error = array();

	public function index() {
		require_once DIR_SYSTEM . 'library/ocafas/api.php';

		$this->load->language('extension/module/ocafas');
		$this->document->setTitle($this->language->get('heading_title'));
		$this->load->model('setting/setting');

		$choices = \Ocafas\Settings::vatFieldChoices($this->db, DB_PREFIX, (int)$this->config->get('config_language_id'));

		if (($this->request->server['REQUEST_METHOD'] == 'POST') && $this->validate($choices)) {
			$this->model_setting_setting->editSetting('module_ocafas', $this->posted());
			$this->session->data['success'] = $this->language->get('text_success');

			$this->response->redirect($this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module', true));
		}

		$data['error_warning'] = isset($this->error['warning']) ? $this->error['warning'] : '';
		$data['error_key'] = isset($this->error['key']) ? $this->error['key'] : '';
		$data['error_vat_field'] = isset($this->error['vat_field']) ? $this->error['vat_field'] : '';

		$data['breadcrumbs'] = array();
		$data['breadcrumbs'][] = array(
			'text' => $this->language->get('text_home'),
			'href' => $this->url->link('common/dashboard', 'user_token=' . $this->session->data['user_token'], true)
		);
		$data['breadcrumbs'][] = array(
			'text' => $this->language->get('text_extension'),
			'href' => $this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module', true)
		);
		$data['breadcrumbs'][] = array(
			'text' => $this->language->get('heading_title'),
			'href' => $this->url->link('extension/module/ocafas', 'user_token=' . $this->session->data['user_token'], true)
		);

		$data['action'] = $this->url->link('extension/module/ocafas', 'user_token=' . $this->session->data['user_token'], true);
		$data['cancel'] = $this->url->link('marketplace/extension', 'user_token=' . $this->session->data['user_token'] . '&type=module', true);

		$source = ($this->request->server['REQUEST_METHOD'] == 'POST') ? $this->posted() : array(
			'module_ocafas_status'     => $this->config->get('module_ocafas_status'),
			'module_ocafas_key'        => $this->config->get('module_ocafas_key'),
			'module_ocafas_vat_field'  => $this->config->get('module_ocafas_vat_field'),
			'module_ocafas_allow_http' => $this->config->get('module_ocafas_allow_http')
		);

		foreach ($source as $key => $value) {
			$data[$key] = (string)$value;
		}

		$data['vat_fields'] = $choices;
		$data['endpoint'] = (defined('HTTPS_CATALOG') && HTTPS_CATALOG ? HTTPS_CATALOG : HTTP_CATALOG) . 'index.php?route=extension/ocafas/api';
		$data['generated_key'] = \Ocafas\ApiKey::generate();

		$data['header'] = $this->load->controller('common/header');
		$data['column_left'] = $this->load->controller('common/column_left');
		$data['footer'] = $this->load->controller('common/footer');

		$this->response->setOutput($this->load->view('extension/module/ocafas', $data));
	}

	/** Only the extension's own four settings, whatever else was posted. */
	private function posted() {
		$post = $this->request->post;

		return array(
			'module_ocafas_status'     => !empty($post['module_ocafas_status']) ? '1' : '0',
			'module_ocafas_key'        => isset($post['module_ocafas_key']) ? trim((string)$post['module_ocafas_key']) : '',
			'module_ocafas_vat_field'  => isset($post['module_ocafas_vat_field']) ? (string)$post['module_ocafas_vat_field'] : '',
			'module_ocafas_allow_http' => !empty($post['module_ocafas_allow_http']) ? '1' : '0'
		);
	}

	protected function validate($choices) {
		if (!$this->user->hasPermission('modify', 'extension/module/ocafas')) {
			$this->error['warning'] = $this->language->get('error_permission');
		}

		$posted = $this->posted();
		$problem = \Ocafas\ApiKey::problem($posted['module_ocafas_key']);

		// A disabled extension may keep an empty key; an enabled one needs a strong key.
		if ($problem !== '' && ($posted['module_ocafas_key'] !== '' || $posted['module_ocafas_status'] === '1')) {
			$this->error['key'] = $this->language->get('error_key_' . $problem);
		}

		if ($posted['module_ocafas_vat_field'] !== '') {
			$known = false;

			foreach ($choices as $choice) {
				if ($choice['value'] === $posted['module_ocafas_vat_field']) {
					$known = true;
				}
			}

			if (!$known) {
				$this->error['vat_field'] = $this->language->get('error_vat_field');
			}
		}

		if ($this->error && !isset($this->error['warning'])) {
			$this->error['warning'] = $this->language->get('error_form');
		}

		return !$this->error;
	}
}
