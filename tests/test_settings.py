from lxml import etree
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon

TEST_CONNECTION = "action_l10n_ar_tusfacturas_test_connection"


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
        self.assertTrue(params["sticky"], "the answer must stay until it is read")

    def test_connection_with_wrong_token_is_refused(self):
        self.company_ri.l10n_ar_tusfacturas_usertoken = "not-a-token"
        params = self._test_connection()
        self.assertEqual(params["type"], "danger")
        self.assertIn("refused the credentials", params["message"])
        self.assertTrue(params["sticky"])

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

    def test_connection_without_credentials_names_the_real_menu(self):
        """Community calls the app Invoicing: the message gives that path."""
        self.company_ri.l10n_ar_tusfacturas_apikey = False
        with self.assertRaises(UserError) as caught:
            self._test_connection()
        self.assertIn("Settings > Invoicing > TusFacturas.app", str(caught.exception))
        self.assertEqual(self.sandbox.requests_to("estado_servicios/alertas"), [])

    def test_connection_to_nowhere_is_explained(self):
        self.company_ri.l10n_ar_tusfacturas_api_url = "http://127.0.0.1:9/app/api/v2"
        params = self._test_connection()
        self.assertEqual(params["type"], "danger")
        self.assertIn("could not be reached", params["message"])


@tagged("post_install_l10n", "post_install", "-at_install")
class TestSettingsView(TusFacturasCommon):
    def test_block_is_rendered_in_the_invoicing_app(self):
        """The block sits in the Invoicing app, under no always-hidden parent
        (l10n_ar wraps its own block in an invisible div)."""
        arch = self.env["res.config.settings"].get_views([(False, "form")])
        root = etree.fromstring(arch["views"]["form"]["arch"])
        [block] = root.xpath("//block[@id='l10n_ar_tusfacturas']")
        self.assertEqual(block.get("invisible"), "country_code != 'AR'")
        apps = [node for node in block.iterancestors() if node.tag == "app"]
        self.assertEqual([app.get("name") for app in apps], ["account"])
        hidden = [
            node.tag
            for node in block.iterancestors()
            if node.get("invisible") in ("1", "True", "true")
        ]
        self.assertEqual(hidden, [])
        button = block.xpath(f".//button[@name='{TEST_CONNECTION}']")
        self.assertEqual(len(button), 1)
        # Every company option of the addon can be set from the block.
        shown = set(block.xpath(".//field/@name"))
        for name in (
            "l10n_ar_tusfacturas_spacing",
            "l10n_ar_tusfacturas_reclama_deuda",
            "l10n_ar_tusfacturas_check_service",
            "l10n_ar_tusfacturas_auto_rate",
        ):
            self.assertIn(name, shown)
