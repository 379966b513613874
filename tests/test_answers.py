from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import html2plaintext

from ..models.res_company import PDF_HOSTS_PARAM
from .common import NUEVO, TusFacturasCommon

LOOKUP = "facturacion/consulta_avanzada"
NO_CAE = "AFIP No devolvio el CAE asociado. (Cod. Error #6661141.S1254)"
OBSERVED = (
    "AFIP genero el comprobante pero lo ha marcado como observado por los "
    "siguientes motivos: Observacion: Factura individual, DocTipo: 80, DocNro "
    "30714295698 no se encuentra inscripto en condicion ACTIVA en el impuesto "
    "(IVA). [ codigo: 10063 ]."
)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestAnswers(TusFacturasCommon):
    """What TusFacturas answers becomes the invoice's state, fields and chatter."""

    def _chatter(self, move):
        return "\n".join(html2plaintext(m.body or "") for m in move.message_ids)

    def _unknown_move(self):
        """Posted and numbered, outcome unknown, nothing issued at TusFacturas
        (and the grace for its processing there is over)."""
        self.sandbox.set_fault("drop_connection", endpoints=[NUEVO])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self._lost_answer_grace_over(move)
        return move

    # -- 1. observations -----------------------------------------------------

    def test_observations_are_stored_and_announced(self):
        self.sandbox.set_fault("afip_observation", endpoints=[NUEVO], message=OBSERVED)
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(move.l10n_ar_tusfacturas_observations, OBSERVED)
        self.assertIn("with observations", self._chatter(move))
        self.assertIn("codigo: 10063", self._chatter(move))
        plain = self._invoice(self.res_partner_adhoc)
        plain.action_post()
        self.assertFalse(plain.l10n_ar_tusfacturas_observations)
        self.assertNotIn("observations", self._chatter(plain))

    # -- 2. an ARCA failure is not a rejection -------------------------------

    def test_arca_failure_keeps_the_invoice_posted_then_verify_resolves(self):
        self.sandbox.set_fault("afip_reject", endpoints=[NUEVO], message=NO_CAE)
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        name = move.name
        self.assertIn("ARCA failed", move.l10n_ar_tusfacturas_message)
        self.assertIn(NO_CAE, move.l10n_ar_tusfacturas_message)
        self.assertIn("What to do:", move.l10n_ar_tusfacturas_message)
        with self.assertRaises(UserError):
            move.button_draft()
        lookups = len(self.sandbox.requests_to(LOOKUP))
        self._lost_answer_grace_over(move)
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(len(self.sandbox.requests_to(LOOKUP)), lookups + 1)
        self.assertAuthorized(move)
        self.assertEqual(move.name, name, "sent again with the same number")
        self.assertEqual(len(self._sent()), 2)

    def test_arca_generic_failure_cod_0_is_unknown(self):
        self.sandbox.set_fault("afip_reject", endpoints=[NUEVO])  # "... Cod: 0"
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertEqual(move.state, "posted")

    def test_validation_error_goes_back_to_draft_with_a_hint(self):
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        first = self._invoice(self.res_partner_adhoc)
        first.action_post()
        # Another system issued the next number of this point of sale meanwhile.
        payload = first._l10n_ar_tusfacturas_prepare_payload()
        payload["comprobante"].update(numero=2, external_reference="elsewhere")
        client.issue(payload)
        move = self._invoice(self.res_partner_adhoc)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        text = str(caught.exception)
        self.assertIn("rejected", text)
        self.assertIn("What to do: Numbering differs", text)
        self.assertIn("open Next numbers", text)
        self.assertEqual(move.state, "draft")

    def test_requiere_fec_refusal_says_to_issue_an_fce(self):
        """The docs: when ARCA wants an FCE instead, the answer carries
        requiere_fec "SI"; the user is told what to do."""
        move = self._invoice(self.partner_mipyme, [(self.product_iva_21, 4e6, 1)])
        with self.assertRaises(UserError) as caught:
            move.action_post()
        message = str(caught.exception)
        self.assertIn("obligado a recibir", message)
        self.assertIn(
            "What to do: ARCA requires a MiPyME credit invoice (FCE)", message
        )
        self.assertEqual(move.state, "draft")

    def test_resend_refused_by_arca_is_error_with_hint(self):
        move = self._unknown_move()
        self.sandbox.set_fault(
            "afip_reject",
            endpoints=[NUEVO],
            message="Campo CbteFch debe estar comprendido en el rango N-10 y N+10",
        )
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "error")
        self.assertIn("change the date", move.l10n_ar_tusfacturas_message)
        self.assertIn("CbteFch", self._chatter(move))

    def test_numbering_refusal_after_unknown_warns_arca_may_hold_it(self):
        move = self._unknown_move()
        payload = move._l10n_ar_tusfacturas_prepare_payload()
        payload["comprobante"]["external_reference"] = "elsewhere"
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        client.issue(payload)  # the number is taken, not under this reference
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "error")
        self.assertIn("open Next numbers", move.l10n_ar_tusfacturas_message)
        self.assertIn("ARCA may hold this number", move.l10n_ar_tusfacturas_message)

    # -- 3. adopting what TusFacturas has ------------------------------------

    def test_found_comprobante_that_differs_is_not_adopted(self):
        move = self._unknown_move()
        payload = move._l10n_ar_tusfacturas_prepare_payload()
        payload["comprobante"]["detalle"][0]["producto"]["precio_unitario_sin_iva"] = (
            "200.00"
        )
        payload["comprobante"]["total"] = "242.00"
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        client.issue(payload)  # same external reference, another total
        sent = len(self._sent())
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertFalse(move.l10n_ar_tusfacturas_cae)
        message = move.l10n_ar_tusfacturas_message
        self.assertIn("differs", message)
        self.assertIn("total: 242.00 in TusFacturas, 121.00 in Odoo", message)
        self.assertIn("a person must", message)
        self.assertEqual(len(self._sent()), sent, "nothing sent")

    def test_queued_or_failed_comprobante_is_not_authorized(self):
        move = self._unknown_move()
        payload = move._l10n_ar_tusfacturas_prepare_payload()
        payload["comprobante"]["numero"] = 0
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        client.enqueue(payload)
        sent = len(self._sent())
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertIn("queue", move.l10n_ar_tusfacturas_message)
        self.assertFalse(move.l10n_ar_tusfacturas_cae)
        self.env["account.move"]._cron_l10n_ar_tusfacturas_verify()
        self.assertEqual(
            self._chatter(move).count("waits in TusFacturas' queue"),
            1,
            "the cron does not repeat an unchanged message",
        )
        self.sandbox.set_fault("afip_reject")
        self.sandbox.process_queue()
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertIn("failed to issue", move.l10n_ar_tusfacturas_message)
        self.assertEqual(len(self._sent()), sent, "nothing sent")

    # -- 4. the official PDF from another host -------------------------------

    def test_pdf_from_another_host_only_when_allowed(self):
        self.env["ir.config_parameter"].sudo().set_param(PDF_HOSTS_PARAM, "")
        move = self._invoice(self.res_partner_adhoc)
        with self.assertLogs("odoo.addons.l10n_ar_tusfacturas.tusfacturas.client"):
            move.action_post()
        self.assertAuthorized(move)
        self.assertFalse(move.l10n_ar_tusfacturas_pdf_id)
        self.assertIn("Refused to download the PDF", self._chatter(move))
        self.assertEqual(self.sandbox.requests_to("comprobantes/pdf"), [])
        self.env["ir.config_parameter"].sudo().set_param(
            PDF_HOSTS_PARAM, self.sandbox.pdf_origin
        )
        move.action_l10n_ar_tusfacturas_download_pdf()
        self.assertTrue(move.l10n_ar_tusfacturas_pdf_id.raw.startswith(b"%PDF"))

    # -- 5. what went out and what came back ---------------------------------

    def test_last_exchange_is_kept_for_administrators_only(self):
        user = self.env["res.users"].create(
            {
                "name": "Invoicing clerk",
                "login": "tusfacturas_clerk",
                "email": "clerk@example.com",
                "company_id": self.company_ri.id,
                "company_ids": [Command.set(self.company_ri.ids)],
                "groups_id": [
                    Command.set([self.env.ref("account.group_account_invoice").id])
                ],
            }
        )
        move = self._invoice(self.res_partner_adhoc)
        move.with_user(user).action_post()
        self.assertAuthorized(move)
        request = move.l10n_ar_tusfacturas_request
        self.assertNotIn(f"POST {LOOKUP}", request, "a first attempt asks nothing")
        self.assertIn(f"POST {NUEVO}", request)
        self.assertIn(move.l10n_ar_tusfacturas_external_reference, request)
        for secret in ("sandbox-apitoken", "sandbox-usertoken", '"apikey"'):
            self.assertNotIn(secret, request)
            self.assertNotIn(secret, move.l10n_ar_tusfacturas_response)
        self.assertIn(f"{NUEVO} -> HTTP 200", move.l10n_ar_tusfacturas_response)
        self.assertIn(move.l10n_ar_tusfacturas_cae, move.l10n_ar_tusfacturas_response)
        with self.assertRaises(AccessError):
            move.with_user(user).read(["l10n_ar_tusfacturas_request"])
        arch = move.with_user(user).get_views([(False, "form")])["views"]["form"]
        self.assertNotIn("l10n_ar_tusfacturas_response", arch["arch"])
        self.assertIn("l10n_ar_tusfacturas_response", move.get_views([(False, "form")])[
            "views"
        ]["form"]["arch"])  # fmt: skip

    def test_lookup_failure_says_not_sent(self):
        move = self._invoice(self.res_partner_adhoc)
        # A first attempt reached TusFacturas: the next one looks it up first.
        self.sandbox.set_fault("maintenance", endpoints=[NUEVO])
        with self.assertRaises(UserError):
            move.action_post()
        self.sandbox.set_fault("http_500", endpoints=[LOOKUP], times=None)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("was not sent to TusFacturas", str(caught.exception))
        self.assertNotIn("stays posted", str(caught.exception))
        self.assertEqual(move.state, "draft")
        self.assertEqual(len(self._sent()), 1, "only the first attempt")

    def test_unknown_outcome_keeps_the_failed_exchange(self):
        move = self._unknown_move()
        self.assertIn(f"POST {NUEVO}", move.l10n_ar_tusfacturas_request)
        self.assertIn(f"{NUEVO} -> HTTP -", move.l10n_ar_tusfacturas_response)
        self.assertIn("connection", move.l10n_ar_tusfacturas_response)
