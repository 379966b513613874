from odoo import fields, models


class AccountMoveReversal(models.TransientModel):
    _inherit = "account.move.reversal"

    l10n_ar_tusfacturas_period_from = fields.Date(
        string="Associated period from",
        help="Only for a credit note without origin invoice issued through "
        "TusFacturas: the period it adjusts.",
    )
    l10n_ar_tusfacturas_period_to = fields.Date(string="Associated period to")

    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        values.update(self._l10n_ar_tusfacturas_period_values())
        return values

    def _l10n_ar_tusfacturas_period_values(self):
        return {
            "l10n_ar_tusfacturas_period_from": self.l10n_ar_tusfacturas_period_from,
            "l10n_ar_tusfacturas_period_to": self.l10n_ar_tusfacturas_period_to,
        }
