from odoo import api, fields, models
from odoo.exceptions import ValidationError


class AccountJournal(models.Model):
    _inherit = "account.journal"

    l10n_ar_tusfacturas_enabled = fields.Boolean(
        string="Issue through TusFacturas",
        help="Validating a customer invoice, credit or debit note on this point "
        "of sale transmits it to AFIP through TusFacturas.app.",
    )
    l10n_ar_tusfacturas_usertoken = fields.Char(
        string="TusFacturas user token (this point of sale)",
        groups="base.group_system",
        copy=False,
        help="Only when this point of sale uses a different TusFacturas CUIT token "
        "from the company's.",
    )

    l10n_ar_tusfacturas_send_mode = fields.Selection(
        [
            ("instant", "One by one when possible"),
            ("queue", "Always queued, sent in lotes"),
        ],
        string="TusFacturas sending",
        default="instant",
        required=True,
        help="One by one: confirming a single invoice sends it at once when the "
        "CUIT may send; otherwise (several invoices, or the CUIT must wait) they "
        "are queued. Always queued: confirming numbers the invoices and the "
        "queue sends them in lotes of up to 20, one lote per spacing interval.",
    )

    @api.constrains("l10n_ar_tusfacturas_enabled", "type", "l10n_ar_is_pos")
    def _check_l10n_ar_tusfacturas_enabled(self):
        for journal in self.filtered("l10n_ar_tusfacturas_enabled"):
            if journal.type != "sale" or not journal.l10n_ar_is_pos:
                raise ValidationError(
                    self.env._(
                        "Journal %(journal)s: only a sales journal that is an AFIP "
                        "point of sale can issue through TusFacturas.",
                        journal=journal.display_name,
                    )
                )
