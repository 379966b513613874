from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tusfacturas import TESTING_POINT_OF_SALE

# l10n_ar's AFIP POS system of pre-printed (non-electronic) invoices.
PRE_PRINTED = "II_IM"
# TusFacturas states of comprobantes that wait for nothing.
WAITING_EXCLUDED = ("authorized", "testing")


class AccountJournal(models.Model):
    _inherit = "account.journal"

    l10n_ar_tusfacturas_enabled = fields.Boolean(
        string="Issue through TusFacturas",
        help="Validating a customer invoice, credit or debit note on this point "
        "of sale transmits it to AFIP through TusFacturas.app.",
    )
    l10n_ar_tusfacturas_products_only = fields.Boolean(
        string="Products only (TusFacturas)",
        help="Tick only when this CUIT + point of sale is configured in TusFacturas "
        "as invoicing products only: the billed period is then not sent unless the "
        "invoice has service dates. Otherwise TusFacturas requires it.",
    )
    l10n_ar_tusfacturas_testing = fields.Boolean(
        string="Testing point of sale (TusFacturas)",
        help="Tick only for an unreal point of sale set up in TusFacturas for "
        "tests (their docs suggest 679): its comprobantes come back without a "
        "CAE. On any other point of sale an answer without a CAE is not taken "
        "as testing: the invoice is verified with TusFacturas instead.",
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
            ("async", "Asynchronous (TusFacturas' queue)"),
        ],
        string="TusFacturas sending",
        default="instant",
        required=True,
        help="One by one: confirming a single invoice sends it at once when the "
        "CUIT may send; otherwise (several invoices, or the CUIT must wait) they "
        "are queued. Always queued: confirming numbers the invoices and the "
        "queue sends them in lotes of up to 20, one lote per spacing interval. "
        "Asynchronous: confirmed invoices go to TusFacturas' own queue (up to 100 "
        "per request) and are numbered and posted when TusFacturas emits them; "
        "export (E) invoices are still sent at once. TusFacturas refuses instant "
        "requests on a point of sale with queued comprobantes, so a point of sale "
        "uses one mode only.",
    )

    @api.constrains(
        "l10n_ar_tusfacturas_enabled",
        "type",
        "l10n_ar_is_pos",
        "l10n_ar_afip_pos_system",
    )
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
            if journal.l10n_ar_afip_pos_system == PRE_PRINTED:
                raise ValidationError(
                    self.env._(
                        "Journal %(journal)s cannot issue through TusFacturas: its "
                        "AFIP POS system is %(system)s, which is not electronic. "
                        "Choose an electronic system (e.g. Online Invoice) or untick "
                        "Issue through TusFacturas.",
                        journal=journal.display_name,
                        system=journal._l10n_ar_tusfacturas_pos_system_label(),
                    )
                )

    def write(self, vals):
        if "l10n_ar_tusfacturas_send_mode" in vals:
            self.filtered(
                lambda j: (
                    j.l10n_ar_tusfacturas_send_mode
                    != vals["l10n_ar_tusfacturas_send_mode"]
                )
            )._l10n_ar_tusfacturas_check_nothing_waits()
        return super().write(vals)

    def _l10n_ar_tusfacturas_check_nothing_waits(self):
        """The mode is the point of sale's: it changes only when nothing of it
        waits in either queue (TusFacturas refuses instant requests while it
        holds queued comprobantes of the point of sale)."""
        for journal in self:
            waiting = self.env["account.move"].search_count(
                [
                    ("journal_id", "=", journal.id),
                    ("l10n_ar_tusfacturas_state", "not in", WAITING_EXCLUDED),
                    ("l10n_ar_tusfacturas_state", "!=", False),
                    ("state", "!=", "cancel"),
                ]
            )
            if waiting:
                raise UserError(
                    self.env._(
                        "The TusFacturas sending mode of %(journal)s cannot change "
                        "while %(count)s of its comprobantes wait to be sent or "
                        "emitted (TusFacturas queue view). Let them finish, or delete "
                        "them from TusFacturas' queue, then change the mode.",
                        journal=journal.display_name,
                        count=waiting,
                    )
                )

    def _l10n_ar_tusfacturas_pos_system_label(self):
        selection = self._fields["l10n_ar_afip_pos_system"]._description_selection(
            self.env
        )
        return dict(selection).get(self.l10n_ar_afip_pos_system)

    def _l10n_ar_tusfacturas_is_testing(self):
        """A point of sale known to be a testing one: flagged, or the docs'
        unreal point of sale."""
        self.ensure_one()
        return (
            self.l10n_ar_tusfacturas_testing
            or self.l10n_ar_afip_pos_number == TESTING_POINT_OF_SALE
        )
