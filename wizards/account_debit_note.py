from odoo import models


class AccountDebitNote(models.TransientModel):
    _name = "account.debit.note"
    _inherit = ["account.debit.note", "l10n_ar.tusfacturas.period.mixin"]

    def _prepare_default_values(self, move):
        values = super()._prepare_default_values(move)
        values.update(self._l10n_ar_tusfacturas_period_values())
        return values
