from odoo import models

from ..tusfacturas import afip_tables as tables


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_l10n_ar_tusfacturas_padron(self):
        """Compare these partners with the AFIP padrón (through TusFacturas)."""
        return self.env["l10n_ar.tusfacturas.padron"]._open_for_partners(self)

    def action_l10n_ar_tusfacturas_customer_account(self):
        """TusFacturas' cuenta corriente and the ARBA rates of this customer."""
        self.ensure_one()
        wizard = self.env["l10n_ar.tusfacturas.customer.account"]
        return wizard._open_for_partner(self)

    def _l10n_ar_tusfacturas_get_document(self, iva):
        """TusFacturas' (documento_tipo, documento_nro) of this customer."""
        partner = self.commercial_partner_id
        if iva == "CDEX":
            return "OTRO", partner.vat or "0"
        id_code = partner.l10n_latam_identification_type_id.l10n_ar_afip_code
        doc_type = tables.DOCUMENT_TYPES[id_code]
        if doc_type == "OTRO":
            return doc_type, "0"
        return doc_type, str(partner._get_id_number_sanitize())
