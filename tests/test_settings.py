from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestSettings(TusFacturasCommon):
    def _test_connection(self):
        settings = (
            self.env["res.config.settings"].with_company(self.company_ri).create({})
        )
        return settings.action_l10n_ar_tusfacturas_test_connection()["params"]

    def test_connection_ok_reports_service_and_news(self):
        params = self._test_connection()
        self.assertEqual(params["type"], "success")
        self.assertIn("Credentials accepted", params["message"])
        self.assertIn("Sandbox", params["message"])

    def test_connection_with_wrong_token_is_refused(self):
        self.company_ri.l10n_ar_tusfacturas_usertoken = "not-a-token"
        params = self._test_connection()
        self.assertEqual(params["type"], "danger")
        self.assertIn("refused the credentials", params["message"])

    def test_connection_during_maintenance_is_explained(self):
        self.sandbox.set_fault("maintenance", endpoints=["estado_servicios/alertas"])
        params = self._test_connection()
        self.assertEqual(params["type"], "warning")
        self.assertIn("under maintenance until", params["message"])

    def test_connection_reports_an_afip_incident(self):
        self.sandbox.set_afip_status("WSFE con demoras")
        params = self._test_connection()
        self.assertEqual(params["type"], "warning")
        self.assertIn("AFIP invoicing service: WSFE con demoras", params["message"])

    def test_connection_to_nowhere_is_explained(self):
        self.company_ri.l10n_ar_tusfacturas_api_url = "http://127.0.0.1:9/app/api/v2"
        params = self._test_connection()
        self.assertEqual(params["type"], "danger")
        self.assertIn("could not be reached", params["message"])
