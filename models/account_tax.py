from odoo import fields, models


class AccountTax(models.Model):
    _inherit = "account.tax"

    l10n_ar_tusfacturas_regime = fields.Integer(
        string="TusFacturas perception regime",
        help="Code of the perception regime TusFacturas expects in the "
        "'tributos' block (its reference table 'Régimen de percepción'). "
        "Required for perception taxes on comprobantes issued through TusFacturas.",
    )
