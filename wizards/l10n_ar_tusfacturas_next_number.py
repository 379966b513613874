from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tusfacturas import TusFacturasError, TusFacturasTransportError
from ..tusfacturas import afip_tables as tables


class L10nArTusfacturasNextNumber(models.TransientModel):
    """Next number of each document type of a point of sale, in Odoo and in
    TusFacturas, side by side (facturacion/numeracion, one call per type)."""

    _name = "l10n_ar.tusfacturas.next.number"
    _description = "TusFacturas next numbers of a point of sale"

    journal_id = fields.Many2one(
        "account.journal",
        string="Point of sale",
        required=True,
        readonly=True,
        ondelete="cascade",
    )
    move_id = fields.Many2one(
        "account.move",
        string="Invoice",
        readonly=True,
        ondelete="cascade",
        help="The invoice this tool was opened from: its document type is shown "
        "in bold, and when it is a draft it is the one Align renumbers.",
    )
    pos_number = fields.Integer(
        related="journal_id.l10n_ar_afip_pos_number", string="AFIP POS number"
    )
    line_ids = fields.One2many(
        "l10n_ar.tusfacturas.next.number.line",
        "wizard_id",
        string="Document types",
        readonly=True,
    )

    # ------------------------------------------------------------------
    # Opening (from the server actions of the journal and the invoice)
    # ------------------------------------------------------------------

    @api.model
    def _open_for_journal(self, journal):
        journal.ensure_one()
        return self._open(journal)

    @api.model
    def _open_for_move(self, move):
        move.ensure_one()
        if not move.is_sale_document() or not move.l10n_latam_use_documents:
            raise UserError(
                self.env._(
                    "Next numbers: %(move)s is not a customer invoice, credit or "
                    "debit note of an AFIP point of sale.",
                    move=move.display_name,
                )
            )
        return self._open(move.journal_id, move)

    @api.model
    def _open(self, journal, move=None):
        if not journal.l10n_ar_tusfacturas_enabled:
            raise UserError(
                self.env._(
                    "Next numbers: journal %(journal)s does not issue through "
                    "TusFacturas (field Issue through TusFacturas).",
                    journal=journal.display_name,
                )
            )
        wizard = self.create(
            {"journal_id": journal.id, "move_id": move.id if move else False}
        )
        wizard._fill_lines()
        return wizard._action_reopen()

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_refresh(self):
        """Ask TusFacturas again and recompute Odoo's numbers."""
        self.ensure_one()
        self._fill_lines()
        return self._action_reopen()

    def _action_reopen(self):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Next numbers"),
            "res_model": self._name,
            "res_id": self.id,
            "view_mode": "form",
            "target": "new",
            # Six columns of numbers and explanations: the default dialog
            # truncates them.
            "context": {"dialog_size": "extra-large"},
        }

    # ------------------------------------------------------------------
    # Business
    # ------------------------------------------------------------------

    def _fill_lines(self):
        doc_types = self._get_document_types()
        odoo_numbers = self._get_odoo_next_numbers(doc_types)
        answers = self._ask_tusfacturas(doc_types)
        current = self.move_id.l10n_latam_document_type_id
        commands = [Command.clear()]
        for doc_type in doc_types:
            tusfacturas_next, error = answers[doc_type]
            commands.append(
                Command.create(
                    {
                        "document_type_id": doc_type.id,
                        "tusfacturas_type": tables.COMPROBANTE_TYPES[doc_type.code],
                        "odoo_next": odoo_numbers[doc_type],
                        "tusfacturas_next": tusfacturas_next,
                        "error_message": error,
                        "is_current": doc_type == current,
                    }
                )
            )
        self.line_ids = commands

    def _get_document_types(self):
        """The document types l10n_ar allows on this point of sale (letters of
        the company's AFIP responsibility, codes of its AFIP POS system) that
        TusFacturas can issue; plus the invoice's own type."""
        journal = self.journal_id
        doc_types = self.env["l10n_latam.document.type"].search(
            [
                *journal._get_journal_codes_domain(),
                ("country_id.code", "=", "AR"),
                ("code", "in", list(tables.COMPROBANTE_TYPES)),
                ("l10n_ar_letter", "in", journal._get_journal_letter()),
            ]
        )
        current = self.move_id.l10n_latam_document_type_id
        if current.code in tables.COMPROBANTE_TYPES:
            doc_types |= current
        return doc_types.sorted(lambda t: (t.sequence, t.id))

    def _get_odoo_next_numbers(self, doc_types):
        """{document type: the number of the next document Odoo will send}:
        what posting gives (account.move._l10n_ar_tusfacturas_next_number:
        after the documents numbered for good, or a later number a draft was
        given by hand or aligned). From an invoice that already carries a
        number, that number.
        """
        moves = self.env["account.move"]
        numbers = {
            doc_type: moves._l10n_ar_tusfacturas_next_number(
                self.journal_id, doc_type, self.move_id
            )[0]
            for doc_type in doc_types
        }
        own = self._get_move_own_number()
        if own:
            numbers[self.move_id.l10n_latam_document_type_id] = own
        return numbers

    def _get_move_own_number(self):
        """The number a draft that never was posted already carries, or 0."""
        move = self.move_id
        if move.state != "draft" or move.posted_before or move.name in (False, "/"):
            return 0
        return move.sequence_number

    def _ask_tusfacturas(self, doc_types):
        """{document type: (next number or 0, error message or False)}.

        One facturacion/numeracion call per type; a refused type does not
        hide the others. When TusFacturas cannot be reached at all, the
        remaining types are not asked (each attempt would wait for the
        timeout again).
        """
        company = self.journal_id.company_id
        client = company._l10n_ar_tusfacturas_get_client(self.journal_id)
        pos = self.journal_id.l10n_ar_afip_pos_number
        answers, unreachable = {}, False
        for doc_type in doc_types:
            if unreachable:
                answers[doc_type] = (0, unreachable)
                continue
            try:
                number = client.next_number(
                    tables.COMPROBANTE_TYPES[doc_type.code], pos
                )
                answers[doc_type] = (number, False)
            except TusFacturasError as error:
                message = company._l10n_ar_tusfacturas_error_message(error)
                answers[doc_type] = (0, message)
                if isinstance(error, TusFacturasTransportError):
                    unreachable = self.env._(
                        "Not asked: TusFacturas could not be reached for a previous "
                        "document type (%(error)s).",
                        error=message,
                    )
        return answers

    def _ask_one(self, doc_type):
        """TusFacturas' next number of one type; a failure is a UserError."""
        pos = self.journal_id.l10n_ar_afip_pos_number
        tipo = tables.COMPROBANTE_TYPES[doc_type.code]
        return self.journal_id.company_id._l10n_ar_tusfacturas_call(
            lambda client: client.next_number(tipo, pos), journal=self.journal_id
        )
