from odoo import models


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
