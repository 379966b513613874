from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

MANAGER_GROUP = "l10n_ar_tusfacturas.group_tusfacturas_manager"


class L10nArTusfacturasNextNumberLine(models.TransientModel):
    """One document type of the Next numbers tool."""

    _name = "l10n_ar.tusfacturas.next.number.line"
    _description = "TusFacturas next number of one document type"
    _order = "id"

    wizard_id = fields.Many2one(
        "l10n_ar.tusfacturas.next.number", required=True, ondelete="cascade"
    )
    document_type_id = fields.Many2one(
        "l10n_latam.document.type", string="Document type", readonly=True
    )
    tusfacturas_type = fields.Char(string="TusFacturas type", readonly=True)
    odoo_next = fields.Integer(
        string="Next in Odoo",
        readonly=True,
        help="The number of the next document of this type Odoo sends from this "
        "point of sale: the highest number posted, plus one, or a later number "
        "a draft was given (typed as the first number, or aligned).",
    )
    tusfacturas_next = fields.Integer(
        string="Next in TusFacturas",
        readonly=True,
        help="The number TusFacturas (AFIP) expects next for this type and point "
        "of sale (facturacion/numeracion).",
    )
    error_message = fields.Text(string="Error", readonly=True)
    is_current = fields.Boolean(
        string="Invoice's type",
        readonly=True,
        help="The document type of the invoice this tool was opened from.",
    )
    status = fields.Selection(
        [
            ("match", "Match"),
            ("tusfacturas_ahead", "TusFacturas ahead"),
            ("odoo_ahead", "Odoo ahead"),
            ("error", "Could not ask"),
        ],
        compute="_compute_status",
    )
    can_align = fields.Boolean(compute="_compute_can_align")
    explanation = fields.Text(compute="_compute_explanation")

    @api.depends("odoo_next", "tusfacturas_next", "error_message")
    def _compute_status(self):
        for line in self:
            if line.error_message:
                line.status = "error"
            elif line.tusfacturas_next == line.odoo_next:
                line.status = "match"
            elif line.tusfacturas_next > line.odoo_next:
                line.status = "tusfacturas_ahead"
            else:
                line.status = "odoo_ahead"

    @api.depends(
        "is_current",
        "status",
        "wizard_id.move_id.state",
        "wizard_id.move_id.posted_before",
    )
    def _compute_can_align(self):
        for line in self:
            move = line.wizard_id.move_id
            line.can_align = (
                line.is_current
                and line.status == "tusfacturas_ahead"
                and move.state == "draft"
                and not move.posted_before
            )

    @api.depends(
        "status",
        "can_align",
        "odoo_next",
        "tusfacturas_next",
        "error_message",
        "document_type_id",
    )
    def _compute_explanation(self):
        for line in self:
            method = getattr(line, f"_get_{line.status}_explanation")
            line.explanation = method()

    # ------------------------------------------------------------------
    # Explanations, in plain words
    # ------------------------------------------------------------------

    def _format_number(self, number):
        return f"{self.wizard_id.pos_number:05d}-{number:08d}"

    def _format_range(self, first, last):
        if first == last:
            return self._format_number(first)
        return self.env._(
            "%(first)s to %(last)s",
            first=self._format_number(first),
            last=self._format_number(last),
        )

    def _get_match_explanation(self):
        return self.env._(
            "Odoo and TusFacturas agree: the next %(type)s will be %(number)s.",
            type=self.document_type_id.name,
            number=self._format_number(self.odoo_next),
        )

    def _get_error_explanation(self):
        return self.env._(
            "%(error)s — press Ask again to retry.", error=self.error_message
        )

    def _get_tusfacturas_ahead_explanation(self):
        text = self.env._(
            "TusFacturas is ahead: it already has %(numbers)s, issued outside Odoo "
            "(on TusFacturas' website or from another system). Posting a %(type)s "
            "now would be rejected for a wrong number. Check those comprobantes in "
            "TusFacturas (record them in Odoo if they belong to its books), then "
            "align.",
            numbers=self._format_range(self.odoo_next, self.tusfacturas_next - 1),
            type=self.document_type_id.name,
        )
        if self.can_align:
            how = self.env._(
                "Align gives this draft number %(number)s; Odoo's numbering of this "
                "type continues from it.",
                number=self._format_number(self.tusfacturas_next),
            )
        else:
            how = self.env._(
                "Odoo numbers from the documents already posted, so aligning needs "
                "a draft: open the next draft of this type, then Action > Next "
                "numbers (TusFacturas), and press Align there (TusFacturas managers "
                "only). A draft already aligned keeps its number: post it."
            )
        return f"{text} {how}"

    def _get_odoo_ahead_explanation(self):
        text = self.env._(
            "Odoo is ahead: it used %(numbers)s, which AFIP never authorized on this "
            "point of sale (for example invoices posted before TusFacturas was "
            "enabled, or on a wrong or testing point of sale). Posting a %(type)s "
            "now would be rejected for a wrong number. Never align backwards: "
            "investigate those invoices first.",
            numbers=self._format_range(self.tusfacturas_next, self.odoo_next - 1),
            type=self.document_type_id.name,
        )
        return text + self._get_numbered_drafts_note()

    def _get_numbered_drafts_note(self):
        """Drafts already numbered (e.g. aligned) also put Odoo ahead."""
        drafts = self.env["account.move"].search(
            [
                ("journal_id", "=", self.wizard_id.journal_id.id),
                ("l10n_latam_document_type_id", "=", self.document_type_id.id),
                ("state", "=", "draft"),
                ("name", "not in", ("/", False)),
                ("id", "!=", self.wizard_id.move_id.id),
            ]
        )
        if not drafts:
            return ""
        return " " + self.env._(
            "Drafts already numbered count too (post them first): %(drafts)s.",
            drafts=", ".join(drafts.mapped("name")),
        )

    # ------------------------------------------------------------------
    # Align
    # ------------------------------------------------------------------

    def action_align(self):
        """Give the draft TusFacturas' next number: Odoo continues from it."""
        self.ensure_one()
        self._check_align_access()
        wizard = self.wizard_id
        move = wizard.move_id
        self._check_draft(move)
        doc_type = self.document_type_id
        tusfacturas_next = wizard._ask_one(doc_type)
        odoo_next = wizard._get_odoo_next_numbers(doc_type)[doc_type]
        if tusfacturas_next <= odoo_next:
            raise UserError(
                self.env._(
                    "Nothing was aligned: for %(type)s TusFacturas now expects "
                    "%(tusfacturas)s and Odoo would use %(odoo)s. Only a "
                    "TusFacturas ahead of Odoo can be aligned; press Ask again.",
                    type=doc_type.name,
                    tusfacturas=self._format_number(tusfacturas_next),
                    odoo=self._format_number(odoo_next),
                )
            )
        old_name = move._get_formatted_sequence(odoo_next)
        new_name = move._get_formatted_sequence(tusfacturas_next)
        self._check_name_free(move, new_name)
        move.name = new_name
        self._post_aligned_message(move, old_name)
        return wizard.action_refresh()

    def _check_align_access(self):
        if not self.env.user.has_group(MANAGER_GROUP):
            raise AccessError(
                self.env._(
                    "Only a TusFacturas manager can align numbering; user %(user)s "
                    "is not one (Settings > Users, TusFacturas: Manager).",
                    user=self.env.user.name,
                )
            )

    def _check_draft(self, move):
        if (
            not move
            or move.state != "draft"
            or move.posted_before
            or move.journal_id != self.wizard_id.journal_id
            or move.l10n_latam_document_type_id != self.document_type_id
        ):
            raise UserError(
                self.env._(
                    "Nothing was aligned: aligning renumbers a draft %(type)s of "
                    "%(journal)s that was never posted, and %(move)s is not one. "
                    "Open Next numbers from such a draft.",
                    type=self.document_type_id.name,
                    journal=self.wizard_id.journal_id.display_name,
                    move=move.display_name or "-",
                )
            )

    def _check_name_free(self, move, name):
        """Odoo's unique constraint would only fail at posting; say it now."""
        other = (
            self.env["account.move"]
            .sudo()
            .search(
                [
                    ("journal_id", "=", move.journal_id.id),
                    ("name", "=", name),
                    ("id", "!=", move.id),
                ],
                limit=1,
            )
        )
        if other:
            raise UserError(
                self.env._(
                    "Nothing was aligned: %(name)s is already the number of "
                    "%(other)s. Post or delete that document first.",
                    name=name,
                    other=other.display_name,
                )
            )

    def _post_aligned_message(self, move, old_name):
        body = self.env._(
            "Numbering aligned with TusFacturas by %(user)s: %(type)s on point of "
            "sale %(pos)s goes from %(old)s (Odoo) to %(new)s (TusFacturas' next "
            "number), given to %(move)s.",
            user=self.env.user.name,
            type=self.document_type_id.name,
            pos=self.wizard_id.pos_number,
            old=old_name,
            new=move.name,
            move=move.display_name,
        )
        move.message_post(body=body)
        move.journal_id.message_post(body=body)
