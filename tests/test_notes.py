from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestNotes(TusFacturasCommon):
    def _posted_invoice(self):
        invoice = self._invoice(
            self.res_partner_adhoc, [(self.product_iva_21, 100.0, 3)]
        )
        invoice.action_post()
        return invoice

    def _reverse(self, invoice, **values):
        """A credit note made through the reversal wizard, as a user does."""
        wizard = (
            self.env["account.move.reversal"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create({"reason": "Ajuste", "journal_id": self.journal.id, **values})
        )
        return self.env["account.move"].browse(wizard.refund_moves()["res_id"])

    def test_credit_note_with_origin(self):
        invoice = self._posted_invoice()
        refund = self._reverse(invoice)
        refund.action_post()
        self.assertAuthorized(refund)
        self.assertEqual(refund.l10n_ar_tusfacturas_type, "NOTA DE CREDITO A")
        body = self._sent()[-1]
        (assoc,) = body["comprobante"]["comprobantes_asociados"]
        self.assertEqual(assoc["tipo_comprobante"], "FACTURA A")
        self.assertEqual(assoc["punto_venta"], 3)
        self.assertEqual(assoc["numero"], invoice.l10n_ar_tusfacturas_number)
        self.assertEqual(assoc["cuit"], 30111111118)

    def test_no_note_before_its_origin_has_its_cae(self):
        """ARCA refuses a note whose origin it does not have (10041): a note of
        a queued invoice is refused before sending, then goes once the
        invoice is authorized."""
        invoices = self._invoice(self.res_partner_adhoc) + self._invoice(
            self.res_partner_adhoc
        )
        invoices.action_post()  # together: queued
        self.assertEqual(invoices[0].l10n_ar_tusfacturas_state, "queued")
        refund = self._reverse(invoices[0])
        with self.assertRaisesRegex(UserError, "has no CAE yet.*Queued"):
            refund.action_post()
        self.assertEqual(self.sandbox.requests_to("facturacion/nuevo"), [])
        self._run_queue()
        self.assertAuthorized(invoices[0])
        refund.action_post()
        self.assertAuthorized(refund)

    def test_a_queued_invoice_cannot_be_cancelled(self):
        """Reset to draft from the queue, it keeps its number: cancelling it
        would leave TusFacturas waiting for that number."""
        moves = self._invoice(self.res_partner_adhoc) + self._invoice(
            self.res_partner_adhoc
        )
        moves.action_post()
        queued = moves[0]
        self.assertEqual(queued.l10n_ar_tusfacturas_state, "queued")
        queued.button_draft()
        with self.assertRaisesRegex(UserError, "expects its number"):
            queued.button_cancel()
        self.assertEqual(queued.state, "draft")
        queued.action_post()
        self._run_queue()
        self.assertAuthorized(queued)

    def test_debit_note_with_origin(self):
        invoice = self._posted_invoice()
        wizard = (
            self.env["account.debit.note"]
            .with_context(active_model="account.move", active_ids=invoice.ids)
            .create(
                {
                    "reason": "Intereses",
                    "journal_id": self.journal.id,
                    "copy_lines": True,
                }
            )
        )
        debit = self.env["account.move"].browse(wizard.create_debit()["res_id"])
        debit.action_post()
        self.assertAuthorized(debit)
        self.assertEqual(debit.l10n_ar_tusfacturas_type, "NOTA DE DEBITO A")
        (assoc,) = self._sent()[-1]["comprobante"]["comprobantes_asociados"]
        self.assertEqual(assoc["numero"], invoice.l10n_ar_tusfacturas_number)

    def test_credit_note_for_non_tusfacturas_origin_associated_from_odoo(self):
        """An origin issued before the addon (or elsewhere) is associated from
        Odoo's own document type, point of sale, number, date and CUIT."""
        self.journal.l10n_ar_tusfacturas_enabled = False
        legacy = self._posted_invoice()
        self.journal.l10n_ar_tusfacturas_enabled = True
        self.assertFalse(legacy.l10n_ar_tusfacturas_state)
        self._at_arca_outside_tusfacturas(legacy)
        refund = self._reverse(legacy)
        refund.action_post()
        self.assertAuthorized(refund)
        comprobante = self._sent()[-1]["comprobante"]
        self.assertNotIn("comprobantes_asociados_periodo", comprobante)
        (assoc,) = comprobante["comprobantes_asociados"]
        self.assertEqual(
            assoc,
            {
                "tipo_comprobante": "FACTURA A",
                "punto_venta": 3,
                "numero": 1,
                "comprobante_fecha": legacy.invoice_date.strftime("%d/%m/%Y"),
                "cuit": 30111111118,
            },
        )

    def test_credit_note_without_origin_needs_period(self):
        refund = self._invoice(self.res_partner_adhoc, move_type="out_refund")
        with self.assertRaises(UserError) as caught:
            refund.action_post()
        self.assertIn("associated period", str(caught.exception))
        self.assertEqual(self._sent(), [])
        today = fields.Date.today()
        refund.write(
            {
                "l10n_ar_tusfacturas_period_from": today.replace(day=1),
                "l10n_ar_tusfacturas_period_to": today,
            }
        )
        refund.action_post()
        self.assertAuthorized(refund)
