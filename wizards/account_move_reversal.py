from odoo import models


class AccountMoveReversal(models.TransientModel):
    _name = "account.move.reversal"
    _inherit = ["account.move.reversal", "l10n_ar.tusfacturas.period.mixin"]

    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        values.update(self._l10n_ar_tusfacturas_period_values())
        return values
