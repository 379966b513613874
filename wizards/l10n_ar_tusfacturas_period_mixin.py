from odoo import api, fields, models


class TusFacturasPeriodMixin(models.AbstractModel):
    """The associated period a note wizard passes on to the notes it creates,
    for origins that were not issued through TusFacturas."""

    _name = "l10n_ar.tusfacturas.period.mixin"
    _description = "TusFacturas associated period of a credit or debit note"

    l10n_ar_tusfacturas_period_from = fields.Date(
        string="Associated period from",
        help="Only for a note whose origin was not issued through TusFacturas: "
        "the period it adjusts.",
    )
    l10n_ar_tusfacturas_period_to = fields.Date(string="Associated period to")
    l10n_ar_tusfacturas_needs_period = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_needs_period"
    )

    @api.depends("move_ids")
    def _compute_l10n_ar_tusfacturas_needs_period(self):
        """Only Argentine origins without a CAE are adjusted by period."""
        for wizard in self:
            wizard.l10n_ar_tusfacturas_needs_period = any(
                move.company_id.account_fiscal_country_id.code == "AR"
                and not move.l10n_ar_tusfacturas_cae
                for move in wizard.move_ids
            )

    def _l10n_ar_tusfacturas_period_values(self):
        return {
            "l10n_ar_tusfacturas_period_from": self.l10n_ar_tusfacturas_period_from,
            "l10n_ar_tusfacturas_period_to": self.l10n_ar_tusfacturas_period_to,
        }
