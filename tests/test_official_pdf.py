from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestOfficialPdf(TusFacturasCommon):
    """TusFacturas' PDF is the invoice's PDF wherever Odoo delivers one."""

    def _issued(self):
        self.res_partner_adhoc.email = "cliente@example.com"
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        served = move._l10n_ar_tusfacturas_client().download_pdf(
            move.l10n_ar_tusfacturas_pdf_url
        )
        self.assertTrue(served.startswith(b"%PDF"))
        return move, served

    def test_legal_documents_are_the_official_pdf(self):
        move, served = self._issued()
        self.assertEqual(move.invoice_pdf_report_id, move.l10n_ar_tusfacturas_pdf_id)
        # The download button and the portal ask these.
        self.assertEqual(move._get_invoice_legal_documents("pdf")["content"], served)
        documents = move._get_invoice_legal_documents_all(allow_fallback=True)
        self.assertEqual([d["content"] for d in documents], [served])

    def test_print_and_send_emails_the_official_pdf(self):
        move, served = self._issued()
        self.env["account.move.send"]._generate_and_send_invoices(
            move, sending_methods={"email"}
        )
        mail = move.message_ids.filtered(lambda m: m.message_type == "comment")[:1]
        self.assertEqual(mail.attachment_ids.mapped("raw"), [served])
        pdfs = self.env["ir.attachment"].search(
            [
                ("res_model", "=", "account.move"),
                ("res_id", "=", move.id),
                ("res_field", "=", "invoice_pdf_report_file"),
            ]
        )
        self.assertEqual(pdfs, move.l10n_ar_tusfacturas_pdf_id)  # none rendered

    def test_downloading_again_replaces_the_pdf(self):
        move, _served = self._issued()
        pdf = move.l10n_ar_tusfacturas_pdf_id
        move.action_l10n_ar_tusfacturas_download_pdf()
        self.assertEqual(move.l10n_ar_tusfacturas_pdf_id, pdf)
        self.assertEqual(move.invoice_pdf_report_id, pdf)

    def test_odoo_report_still_prints_cae_and_qr(self):
        move, _served = self._issued()
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("account.account_invoices", move.ids)[0]
            .decode()
        )
        self.assertIn(move.l10n_ar_tusfacturas_cae, html)
        self.assertIn("data:image/png;base64,", html)
