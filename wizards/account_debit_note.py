from odoo import fields, models


class AccountDebitNote(models.TransientModel):
    _inherit = "account.debit.note"

    l10n_ar_tusfacturas_period_from = fields.Date(
        string="Associated period from",
        help="Only for a debit note without origin invoice issued through "
        "TusFacturas: the period it adjusts.",
    )
    l10n_ar_tusfacturas_period_to = fields.Date(string="Associated period to")

    def _prepare_default_values(self, move):
        values = super()._prepare_default_values(move)
        values.update(
            {
                "l10n_ar_tusfacturas_period_from": self.l10n_ar_tusfacturas_period_from,
                "l10n_ar_tusfacturas_period_to": self.l10n_ar_tusfacturas_period_to,
            }
        )
        return values
