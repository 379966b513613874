from odoo import models


class AccountDebitNote(models.TransientModel):
    _name = "account.debit.note"
    _inherit = ["account.debit.note", "l10n_ar.tusfacturas.period.mixin"]

    def _prepare_default_values(self, move):
        values = super()._prepare_default_values(move)
        values.update(self._l10n_ar_tusfacturas_period_values())
        return values

    def create_debit(self):
        """A debit note of an FCE invoice is the FCE debit note of its letter."""
        action = super().create_debit()
        debit = self.env["account.move"].browse(action.get("res_id"))
        fce_type = debit.debit_origin_id._l10n_ar_tusfacturas_fce_note_type(
            "debit_note"
        )
        if debit and fce_type:
            debit.l10n_latam_document_type_id = fce_type
        return action
