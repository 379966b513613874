from odoo import api, models


class AccountMoveReversal(models.TransientModel):
    _name = "account.move.reversal"
    _inherit = ["account.move.reversal", "l10n_ar.tusfacturas.period.mixin"]

    @api.depends("l10n_latam_available_document_type_ids")
    def _compute_document_type(self):
        """A credit note of an FCE invoice is the FCE credit note of its letter."""
        result = super()._compute_document_type()
        for wizard in self:
            fce_type = wizard.move_ids._origin._l10n_ar_tusfacturas_fce_note_type(
                "credit_note"
            )
            if fce_type:
                wizard.l10n_latam_document_type_id = fce_type
        return result

    def _prepare_default_reversal(self, move):
        values = super()._prepare_default_reversal(move)
        values.update(self._l10n_ar_tusfacturas_period_values())
        journal = self.journal_id or move.journal_id
        if journal.l10n_ar_tusfacturas_enabled and not values.get(
            "l10n_latam_document_number"
        ):
            # An empty number would blank the note's name, and l10n_ar then asks
            # the first note of a type for a manual number. TusFacturas numbers
            # follow the journal's sequence (Next numbers aligns them when
            # comprobantes were issued elsewhere): let Odoo number it.
            values.pop("l10n_latam_document_number", None)
        return values
