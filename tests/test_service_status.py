from freezegun import freeze_time
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon

STATUS = "estado_servicios/alertas"


@tagged("post_install_l10n", "post_install", "-at_install")
class TestServiceStatus(TusFacturasCommon):
    """An AFIP incident or a maintenance window is said plainly, nothing is sent."""

    def test_status_is_asked_once_before_sending(self):
        moves = self._invoice(self.res_partner_adhoc) | self._invoice(
            self.res_partner_adhoc
        )
        moves.action_post()
        self._run_queue()  # several at once are queued, then sent in one lote
        for move in moves:
            self.assertAuthorized(move)
        self.assertEqual(len(self.sandbox.requests_to(STATUS)), 1)

    def test_a_working_service_is_not_asked_again_for_minutes(self):
        with freeze_time("2026-03-02 10:00:00"):
            self._invoice(self.res_partner_adhoc).action_post()
        with freeze_time("2026-03-02 10:04:00"):
            self._invoice(self.res_partner_adhoc).action_post()
        self.assertEqual(len(self.sandbox.requests_to(STATUS)), 1)
        with freeze_time("2026-03-02 10:06:00"):
            move = self._invoice(self.res_partner_adhoc)
            move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(len(self.sandbox.requests_to(STATUS)), 2)

    def test_an_incident_is_not_remembered_as_working(self):
        self.sandbox.set_afip_status("WSFE de AFIP no responde")
        with self.assertRaises(UserError):
            self._invoice(self.res_partner_adhoc).action_post()
        self.assertFalse(self.company_ri.l10n_ar_tusfacturas_service_ok_at)
        self.sandbox.set_afip_status("OK")
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(len(self.sandbox.requests_to(STATUS)), 2)
        self.assertTrue(self.company_ri.l10n_ar_tusfacturas_service_ok_at)

    def test_afip_incident_stops_before_numbering(self):
        self.sandbox.set_afip_status("WSFE de AFIP no responde")
        move = self._invoice(self.res_partner_adhoc)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        message = str(caught.exception)
        self.assertIn("reports an incident", message)
        self.assertIn("WSFE de AFIP no responde", message)
        self.assertEqual(move.state, "draft")
        self.assertEqual(self._sent(), [])

    def test_maintenance_window_gives_its_end(self):
        self.sandbox.set_fault("maintenance", endpoints=[STATUS])
        move = self._invoice(self.res_partner_adhoc)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("under maintenance until", str(caught.exception))
        self.assertIn("Nothing was sent", str(caught.exception))
        self.assertEqual(move.state, "draft")
        self.assertEqual(self._sent(), [])

    def test_check_can_be_switched_off(self):
        self.company_ri.l10n_ar_tusfacturas_check_service = False
        self.sandbox.set_afip_status("Demoras")
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(self.sandbox.requests_to(STATUS), [])

    def test_invalid_data_is_refused_before_asking(self):
        move = self._invoice(self.res_partner_adhoc)
        self.res_partner_adhoc.l10n_ar_afip_responsibility_type_id = False
        with self.assertRaises(UserError):
            move.action_post()
        self.assertEqual(self.sandbox.requests_to(STATUS), [])
