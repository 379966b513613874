"""Issue 18: an unrecognised ARCA failure is not a rejection, and lote items
carry the credentials that are never stored."""

from odoo.tests import tagged

from ..tusfacturas_sandbox import SANDBOX_CREDENTIALS
from .common import NUEVO, TusFacturasCommon
from .test_async import LOTES_ENCOLA, AsyncCommon

LOOKUP = "facturacion/consulta_avanzada"
# Failures no row of tusfacturas/errors.py knows, without a TFC code nor a
# specific AFIP code: the docs' warning (nuevo and lotes pages) says such an
# error may hide an authorization.
TIMEOUT = "Timeout al conectar con el WS de AFIP"
NO_ANSWER = "No se pudo obtener respuesta de AFIP"


@tagged("post_install_l10n", "post_install", "-at_install")
class TestUnrecognisedArcaFailure(TusFacturasCommon):
    """The invoice stays posted with its number in Outcome unknown; Verify
    adopts what TusFacturas has, or sends it again with the same number."""

    def _post_into_unknown(self, fault, text):
        self.sandbox.set_fault(fault, endpoints=[NUEVO], message=text)
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.state, "posted", "not rolled back")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertNotEqual(move.name, "/", "it keeps its number")
        self.assertIn(text, move.l10n_ar_tusfacturas_message)
        self.assertNotIn("rejected", move.l10n_ar_tusfacturas_message)
        self._lost_answer_grace_over(move)
        return move

    def _issued_references(self):
        return [r.external_reference for r in self.sandbox.state.records]

    def test_error_that_hid_a_cae_is_adopted_by_verify(self):
        move = self._post_into_unknown("afip_error_after_issue", TIMEOUT)
        name = move.name
        reference = move.l10n_ar_tusfacturas_external_reference
        self.assertEqual(self._issued_references(), [reference], "ARCA issued it")
        lookups = len(self.sandbox.requests_to(LOOKUP))
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(len(self.sandbox.requests_to(LOOKUP)), lookups + 1)
        self.assertAuthorized(move)
        self.assertEqual(move.name, name)
        self.assertEqual(len(self._sent()), 1, "adopted, not sent again")
        self.assertEqual(self._issued_references(), [reference], "no duplicate")
        following = self._invoice(self.res_partner_adhoc)
        following.action_post()
        self.assertAuthorized(following)
        self.assertEqual(
            following.l10n_ar_tusfacturas_number,
            move.l10n_ar_tusfacturas_number + 1,
            "the next invoice does not reuse the number",
        )

    def test_error_that_issued_nothing_is_sent_again_with_its_number(self):
        move = self._post_into_unknown("afip_reject", NO_ANSWER)
        name = move.name
        self.assertEqual(self._issued_references(), [])
        move.action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(move)
        self.assertEqual(move.name, name, "sent again with the same number")
        self.assertEqual(len(self._sent()), 2, "looked up, then sent once more")
        self.assertEqual(
            self._issued_references(), [move.l10n_ar_tusfacturas_external_reference]
        )


@tagged("post_install_l10n", "post_install", "-at_install")
class TestLoteCredentials(AsyncCommon):
    def test_stored_lote_request_has_no_credentials(self):
        """lotes_encola items carry the credentials (the sandbox queues none
        without them); the request kept on the invoice has none of them."""
        moves = self._invoices(2)
        moves.action_post()
        self._queued_in_sandbox(moves)
        (body,) = self.sandbox.requests_to(LOTES_ENCOLA)
        self.assertEqual(len(body["requests"]), 2)
        stored = "\n".join(
            text
            for move in moves
            for text in (
                move.l10n_ar_tusfacturas_request,
                move.l10n_ar_tusfacturas_response,
            )
            if text
        )
        self.assertIn(f"POST {LOTES_ENCOLA}", stored)
        for move in moves:
            reference = move._l10n_ar_tusfacturas_get_external_reference()
            self.assertIn(reference, stored)
        for key in SANDBOX_CREDENTIALS:
            self.assertNotIn(f'"{key}"', stored)
        for key in ("apitoken", "usertoken"):
            self.assertNotIn(SANDBOX_CREDENTIALS[key], stored)
