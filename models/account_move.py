import base64
import json
import logging
import re
from datetime import timedelta
from decimal import Decimal

from dateutil.relativedelta import relativedelta
from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools import email_split, html2plaintext
from odoo.tools import format_date as format_user_date

from ..tusfacturas import (
    Comprobante,
    TusFacturasAfipError,
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
    TusFacturasSeveralUnderReference,
    amounts,
    encode_text,
    format_amount,
    format_date,
    qr_png,
)
from ..tusfacturas import afip_tables as tables
from ..tusfacturas.validation import is_valid_cuit

_logger = logging.getLogger(__name__)


class InternalFlag:
    """A context value no RPC call can forge (JSON has no such object): the
    addon's internal context flags are set only by its own code."""

    __slots__ = ()


INTERNAL = InternalFlag()
# Context key: this addon writing the fields it alone manages.
INTERNAL_WRITE_CONTEXT = "l10n_ar_tusfacturas_internal_write"
# Stored fields only the integration writes (what TusFacturas and ARCA said,
# the sending state): never by a user, a form or an RPC call.
MANAGED_FIELDS = frozenset(
    {
        "l10n_ar_tusfacturas_state",
        "l10n_ar_tusfacturas_message",
        "l10n_ar_tusfacturas_observations",
        "l10n_ar_tusfacturas_request",
        "l10n_ar_tusfacturas_response",
        "l10n_ar_tusfacturas_cae",
        "l10n_ar_tusfacturas_cae_due_date",
        "l10n_ar_tusfacturas_pos_number",
        "l10n_ar_tusfacturas_number",
        "l10n_ar_tusfacturas_letter",
        "l10n_ar_tusfacturas_type",
        "l10n_ar_tusfacturas_external_reference",
        "l10n_ar_tusfacturas_qr_payload",
        "l10n_ar_tusfacturas_pdf_url",
        "l10n_ar_tusfacturas_pdf_id",
        "l10n_ar_tusfacturas_qr_id",
        "l10n_ar_tusfacturas_queued_at",
        "l10n_ar_tusfacturas_send_after",
        "l10n_ar_tusfacturas_blocked_by_id",
        "l10n_ar_tusfacturas_async_checked_at",
        "l10n_ar_tusfacturas_webhook_note",
    }
)


POSTING_CONTEXT = "l10n_ar_tusfacturas_posting"
# What a comprobante sent to TusFacturas is made of: it cannot change while
# it waits at TusFacturas' queue, nor on a draft TusFacturas may have issued
# (see _l10n_ar_tusfacturas_check_not_issued_meanwhile).
SENT_FIELDS = frozenset(
    {
        "partner_id",
        "invoice_line_ids",
        "line_ids",
        "invoice_date",
        "invoice_date_due",
        "invoice_payment_term_id",
        "currency_id",
        "journal_id",
        "company_id",
        "move_type",
        "l10n_latam_document_type_id",
        "narration",
        "l10n_ar_afip_service_start",
        "l10n_ar_afip_service_end",
        "l10n_ar_afip_concept",
        "invoice_currency_rate",
        "partner_bank_id",
        "invoice_incoterm_id",
        "reversed_entry_id",
        "debit_origin_id",
        "l10n_ar_tusfacturas_pays_same_currency",
        "l10n_ar_tusfacturas_period_from",
        "l10n_ar_tusfacturas_period_to",
        "l10n_ar_tusfacturas_fce_transmission",
        "l10n_ar_tusfacturas_fce_cancellation",
        "l10n_ar_tusfacturas_permit_ids",
    }
)


def is_internal(env, key):
    return env.context.get(key) is INTERNAL


MAX_LINES = 130
# Export (E) lines: exempt or 0 % only (see _l10n_ar_tusfacturas_get_vat_errors).
EXPORT_VAT_RATES = ("-1", "0")
# Moves whose comprobante may exist at TusFacturas: never back to draft.
LOCKED_STATES = ("authorized", "unknown", "sending")
# States whose comprobante still has to be sent or confirmed, in number order.
PENDING_STATES = ("queued", "sending", "unknown", "error")
# A request whose answer is lost may still be processed by TusFacturas (the
# lotes pages: after a 524 the comprobantes "seguirán siendo procesados en
# background"): a comprobante it does not have yet is sent again only this
# long after the request left.
LOST_ANSWER_GRACE = timedelta(minutes=10)
# Crons woken for the end of a grace run a little after it (clocks differ).
GRACE_WAKE_MARGIN = timedelta(seconds=2)
FCE_REGIME = "Factura de Crédito Electrónica MiPyMEs (FCE)"
EXPORT_TYPES_BY_CONCEPT = {"1": "1", "2": "2", "3": "2", "4": "4"}
CBU_RE = re.compile(r"^\d{22}$")
CBU_ALIAS_RE = re.compile(r"^[A-Za-z0-9.-]{6,20}$")


def plain_text(text):
    """A text field without documented escapes: one line, spaces collapsed."""
    return " ".join((text or "").split())


def encode_fit(text, limit):
    """``text`` escaped (``#&#``, ``#@#``) and cut before escaping, so that the
    result fits ``limit`` characters and no escape is ever cut in half."""
    result = ""
    for char in (text or "").replace("\r\n", "\n"):
        encoded = encode_text(char) if char in "%\r\n" else char
        if len(result) + len(encoded) > limit:
            break
        result += encoded
    return result


ADMIN = "base.group_system"


def _json_text(value):
    return json.dumps(value, indent=2, ensure_ascii=False, sort_keys=True, default=str)


def _answer_text(exchange):
    """One answer of the exchange log, as support reads it."""
    head = f"{exchange['endpoint']} -> HTTP {exchange.get('status', '-')}"
    if "response" in exchange:
        return f"{head}\n{_json_text(exchange['response'])}"
    if "response_text" in exchange:
        return f"{head}\n{exchange['response_text']}"
    return f"{head}\n{exchange.get('error', '')}"


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_ar_tusfacturas_state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sending", "Being sent"),
            ("authorized", "Authorized"),
            ("testing", "Testing (not valid)"),
            ("unknown", "Outcome unknown"),
            ("error", "Error"),
        ],
        string="TusFacturas status",
        copy=False,
        readonly=True,
        tracking=True,
        help="Authorized: AFIP granted a CAE. Testing: issued by TusFacturas in "
        "testing mode, without CAE. Outcome unknown: TusFacturas did not answer; "
        "press Verify before anything else. Error: rejected, see the message.",
    )
    l10n_ar_tusfacturas_message = fields.Text(
        string="TusFacturas message", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_observations = fields.Text(
        string="AFIP observations",
        copy=False,
        readonly=True,
        help="Approved but observed: what AFIP/ARCA noted on this comprobante. "
        "TusFacturas advises reviewing it (AFIP may write about it later).",
    )
    l10n_ar_tusfacturas_request = fields.Text(
        string="Last request to TusFacturas",
        copy=False,
        readonly=True,
        groups=ADMIN,
        help="What the last attempt sent (credentials removed), for support.",
    )
    l10n_ar_tusfacturas_response = fields.Text(
        string="Last answer from TusFacturas",
        copy=False,
        readonly=True,
        groups=ADMIN,
        help="What the last attempt received, as TusFacturas answered it.",
    )
    l10n_ar_tusfacturas_cae = fields.Char(string="CAE", copy=False, readonly=True)
    l10n_ar_tusfacturas_cae_due_date = fields.Date(
        string="CAE due date", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_pos_number = fields.Integer(
        string="TusFacturas point of sale", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_number = fields.Integer(
        string="TusFacturas number", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_letter = fields.Char(
        string="TusFacturas letter", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_type = fields.Char(
        string="TusFacturas comprobante type", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_external_reference = fields.Char(
        string="TusFacturas external reference", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_qr_payload = fields.Char(
        string="AFIP QR", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_pdf_url = fields.Char(
        string="TusFacturas PDF URL", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_pdf_id = fields.Many2one(
        "ir.attachment", string="Official PDF", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_qr_id = fields.Many2one(
        "ir.attachment", string="AFIP QR image", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_is_enabled = fields.Boolean(
        related="journal_id.l10n_ar_tusfacturas_enabled"
    )
    l10n_ar_tusfacturas_period_from = fields.Date(
        string="Associated period from",
        copy=False,
        help="For a credit or debit note without an origin invoice: the period "
        "of the comprobantes it adjusts.",
    )
    l10n_ar_tusfacturas_period_to = fields.Date(
        string="Associated period to", copy=False
    )
    l10n_ar_tusfacturas_fce_transmission = fields.Selection(
        [
            ("SCA", "SCA - Open circulation system"),
            ("ADC", "ADC - Collective deposit agent"),
        ],
        string="FCE transmission",
        default="SCA",
        help="MiPyME credit invoice: how it is transmitted (RG 4919).",
    )
    l10n_ar_tusfacturas_doc_letter = fields.Selection(
        related="l10n_latam_document_type_id.l10n_ar_letter"
    )
    l10n_ar_tusfacturas_permit_ids = fields.One2many(
        "l10n_ar.tusfacturas.export.permit",
        "move_id",
        string="Export permits",
        copy=False,
        help="Export of goods (E): the customs permits (permisos de embarque) sent "
        "to AFIP. Without any, the invoice says it has none.",
    )
    l10n_ar_tusfacturas_fce_cancellation = fields.Boolean(
        string="FCE cancellation",
        copy=False,
        help="MiPyME credit or debit note that cancels the origin comprobante "
        "(rejected by the buyer).",
    )

    l10n_ar_tusfacturas_pays_same_currency = fields.Boolean(
        string="Paid in its currency",
        compute="_compute_l10n_ar_tusfacturas_pays_same_currency",
        store=True,
        readonly=False,
        help="RG 5616 (paga_misma_moneda): a foreign-currency invoice paid in "
        "that currency. Sent to ARCA only when the currency is not the peso; "
        "validating then takes AFIP's official exchange rate of its date.",
    )

    @api.depends("company_id")
    def _compute_l10n_ar_tusfacturas_pays_same_currency(self):
        for move in self:
            move.l10n_ar_tusfacturas_pays_same_currency = (
                move.company_id.l10n_ar_tusfacturas_pays_same_currency
            )

    @api.depends("l10n_ar_tusfacturas_state")
    def _compute_show_reset_to_draft_button(self):
        res = super()._compute_show_reset_to_draft_button()
        for move in self:
            if move.l10n_ar_tusfacturas_state in LOCKED_STATES:
                move.show_reset_to_draft_button = False
        return res

    # ------------------------------------------------------------------
    # CRUD and standard actions
    # ------------------------------------------------------------------

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._l10n_ar_tusfacturas_check_managed(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._l10n_ar_tusfacturas_check_managed(vals)
        if SENT_FIELDS.intersection(vals) and not is_internal(
            self.env, POSTING_CONTEXT
        ):
            self._l10n_ar_tusfacturas_check_not_issued_meanwhile()
        return super().write(vals)

    def _l10n_ar_tusfacturas_check_managed(self, vals):
        """What TusFacturas and ARCA said is written by the integration only
        (``_l10n_ar_tusfacturas_write``): ``readonly`` is a view hint, and an
        RPC call could otherwise clear the state of an authorized invoice (to
        reset it to draft with its CAE) or forge an authorization."""
        managed = MANAGED_FIELDS.intersection(vals)
        if managed and not (
            self.env.su or is_internal(self.env, INTERNAL_WRITE_CONTEXT)
        ):
            raise AccessError(
                self.env._(
                    "%(fields)s are written by the TusFacturas integration only.",
                    fields=", ".join(sorted(managed)),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_l10n_ar_tusfacturas_issued(self):
        if self.filtered(lambda m: m.l10n_ar_tusfacturas_state in LOCKED_STATES):
            raise UserError(
                self.env._(
                    "A comprobante issued through TusFacturas cannot be deleted."
                )
            )

    def unlink(self):
        # Before account.move's unlink deletes the lines.
        self._l10n_ar_tusfacturas_check_not_issued_meanwhile()
        return super().unlink()

    def _l10n_ar_tusfacturas_check_not_issued_meanwhile(self):
        """A draft whose sending was attempted (an attempt marker) and then
        rolled back or killed may exist at TusFacturas: it is neither deleted
        nor changed until a lookup (free) proves TusFacturas does not have
        it; then its marker goes, and it is an ordinary draft again."""
        drafts = self.filtered(
            lambda m: (
                m.state == "draft"
                and not m.l10n_ar_tusfacturas_state
                and m._l10n_ar_tusfacturas_needs_sending()
            )
        )
        markers = self.env["l10n_ar.tusfacturas.attempt"].sudo()
        for move in drafts.browse(sorted(markers._marked_ids(drafts.ids))):
            if move._l10n_ar_tusfacturas_found_at_tusfacturas():
                raise UserError(
                    self.env._(
                        "TusFacturas has issued %(move)s (an earlier confirmation "
                        "reached it, then was undone in Odoo): confirm it again, "
                        "unchanged, to record its CAE. It cannot be changed or "
                        "deleted.",
                        move=move.display_name,
                    )
                )
            markers._forget(move.id)

    def _l10n_ar_tusfacturas_found_at_tusfacturas(self):
        """Whether TusFacturas has this move's comprobante; a failed lookup
        proves nothing, so it refuses the change."""
        client = self._l10n_ar_tusfacturas_client()
        with client:
            try:
                return bool(
                    client.find_by_external_reference(
                        self._l10n_ar_tusfacturas_get_external_reference()
                    )
                )
            except TusFacturasError as error:
                raise UserError(
                    self.env._(
                        "%(move)s was sent to TusFacturas once, and TusFacturas "
                        "cannot say now whether it has it (%(error)s): it cannot be "
                        "changed or deleted before it does. Try again later.",
                        move=self.display_name,
                        error=error,
                    )
                ) from error

    def button_draft(self):
        locked = self.filtered(lambda m: m.l10n_ar_tusfacturas_state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "These comprobantes were sent to AFIP through TusFacturas and "
                    "cannot be reset to draft: %(moves)s. Cancel them with a credit "
                    "note instead (or press Verify when their outcome is unknown).",
                    moves=", ".join(locked.mapped("display_name")),
                )
            )
        return super().button_draft()

    def button_cancel(self):
        """A number given to TusFacturas' sequence and not authorized yet
        (queued, being sent, unknown, refused, even reset to draft) cannot be
        cancelled: TusFacturas would wait for it forever and refuse every
        later number. Confirm it again (fixed), or delete the draft when it
        is the last of its sequence."""
        pending = self.filtered(lambda m: m.l10n_ar_tusfacturas_state in PENDING_STATES)
        if pending:
            raise UserError(
                self.env._(
                    "%(moves)s cannot be cancelled: TusFacturas expects its number "
                    "next, and would refuse every later invoice of its point of "
                    "sale. Fix it and confirm it again, or delete it if it is the "
                    "last draft of its sequence.",
                    moves=", ".join(pending.mapped("display_name")),
                )
            )
        return super().button_cancel()

    def _post(self, soft=True):
        # Posting a draft that may have been issued is how it is adopted: the
        # writes of the posting itself (AFIP's rate, Odoo's own) are not
        # changes to its content.
        moves = self.with_context(**{POSTING_CONTEXT: INTERNAL})
        to_send = moves.filtered(lambda m: m._l10n_ar_tusfacturas_needs_sending())
        to_send._l10n_ar_tusfacturas_raise_if_invalid()
        to_send._l10n_ar_tusfacturas_prepare_sending()
        to_send._l10n_ar_tusfacturas_free_held_numbers()
        to_send._l10n_ar_tusfacturas_store_external_reference()
        posted = super(AccountMove, moves)._post(soft=soft)
        (posted & to_send)._l10n_ar_tusfacturas_dispatch()
        return posted

    def _l10n_ar_tusfacturas_free_held_numbers(self):
        """No draft holds a number TusFacturas expects next. Odoo proposes the
        first number of a journal and document type to its first draft; left
        aside (refused before sending, say), that draft would make every later
        invoice skip its number, which TusFacturas refuses ("no es el
        proximo"). Drafts never posted give their numbers back; the invoice
        sent takes the one _l10n_ar_tusfacturas_next_number says (a starting
        number the user typed, or an aligned one, is kept that way)."""
        groups = self.grouped(lambda m: (m.journal_id, m.l10n_latam_document_type_id))
        for (journal, doc_type), moves in groups.items():
            domain = self._l10n_ar_tusfacturas_sequence_domain(journal, doc_type, self)
            held = self.sudo().search(
                [*domain, ("state", "=", "draft"), ("posted_before", "=", False)]
            )
            if not held:
                continue
            holder = self._l10n_ar_tusfacturas_next_number(journal, doc_type, self)[1]
            number = holder.name
            held.name = "/"
            unnamed = moves.filtered(lambda m: m.name in ("/", False))
            if holder and unnamed:
                unnamed[0].name = number

    @api.model
    def _l10n_ar_tusfacturas_sequence_domain(self, journal, doc_type, exclude):
        return [
            ("journal_id", "=", journal.id),
            ("l10n_latam_document_type_id", "=", doc_type.id),
            ("name", "not in", ("/", False)),
            ("id", "not in", exclude.ids),
        ]

    @api.model
    def _l10n_ar_tusfacturas_next_number(self, journal, doc_type, exclude):
        """``(number, holder)``: the number the next invoice of this journal
        and document type (other than ``exclude``) is sent with, and the draft
        never posted that holds it (empty when the sequence gives it).
        Numbers follow the documents numbered for good (posted, cancelled,
        or posted before); a draft holds a later one only when it was typed
        as the starting number or aligned with TusFacturas."""
        moves = self.sudo()
        domain = self._l10n_ar_tusfacturas_sequence_domain(journal, doc_type, exclude)
        numbered = moves.search(
            [*domain, "|", ("state", "!=", "draft"), ("posted_before", "=", True)],
            order="sequence_number desc",
            limit=1,
        )
        following = numbered.sequence_number + 1
        holder = moves.search(
            [
                *domain,
                ("state", "=", "draft"),
                ("posted_before", "=", False),
                ("sequence_number", ">=", following),
            ],
            order="sequence_number",
            limit=1,
        )
        return holder.sequence_number or following, holder

    def action_l10n_ar_tusfacturas_verify(self):
        """Resolve an unknown outcome: adopt the comprobante TusFacturas has,
        or send again with the same number when it has none (queued when the
        CUIT's spacing does not allow it yet)."""
        moves = self._l10n_ar_tusfacturas_with_action("verify")
        failures = moves._l10n_ar_tusfacturas_verify_unknown()
        if not failures:
            return True
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "type": "warning",
                "sticky": True,
                "title": self.env._("Some invoices could not be checked"),
                "message": "\n".join(failures),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_l10n_ar_tusfacturas_download_pdf(self):
        """Fetch the official PDF again; its link only lasts the day it was
        issued, so a fresh one is asked first."""
        for move in self._l10n_ar_tusfacturas_with_action("download_pdf"):
            client = move._l10n_ar_tusfacturas_client()
            try:
                move._l10n_ar_tusfacturas_refresh_pdf_url(client)
                move._l10n_ar_tusfacturas_store_pdf(client)
            except TusFacturasError as error:
                raise UserError(move._l10n_ar_tusfacturas_pdf_failure(error)) from error
            move._l10n_ar_tusfacturas_post_attachments(
                self.env._("The official PDF is attached."),
                move.l10n_ar_tusfacturas_pdf_id,
            )
        return True

    def action_l10n_ar_tusfacturas_update_rate(self):
        """Use AFIP's exchange rate of the invoice date (from TusFacturas)."""
        self.check_access("write")  # before TusFacturas is asked anything
        for move in self:
            if move.state != "draft" or not move._l10n_ar_tusfacturas_needs_sending():
                raise UserError(
                    self.env._(
                        "%(move)s: AFIP's exchange rate is only taken by a draft "
                        "customer invoice or note issued through TusFacturas.",
                        move=move._l10n_ar_tusfacturas_label(),
                    )
                )
        self._l10n_ar_tusfacturas_update_rate()
        return True

    @api.model
    def _cron_l10n_ar_tusfacturas_verify(self):
        """Unknown outcomes are resolved by the queue, before anything is sent."""
        self._cron_l10n_ar_tusfacturas_send_queue()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_prepare_sending(self, check_service=True):
        """Before anything is numbered: AFIP must be working (``check_service``)
        and, when the company asks for it, foreign-currency invoices take
        AFIP's rate of their date."""
        for company, moves in self.grouped("company_id").items():
            if check_service and company.l10n_ar_tusfacturas_check_service:
                company._l10n_ar_tusfacturas_check_service(moves.journal_id[:1])
        # "paga_misma_moneda" S needs "la cotizacion oficial provista por AFIP".
        self.filtered(
            lambda m: (
                m.company_id.l10n_ar_tusfacturas_auto_rate
                or m.l10n_ar_tusfacturas_pays_same_currency
            )
        )._l10n_ar_tusfacturas_update_rate()

    def _l10n_ar_tusfacturas_update_rate(self):
        """One AFIP rate per company, currency and day, saved and applied."""
        foreign = self.filtered(lambda m: m.currency_id != m.company_id.currency_id)
        for move in foreign.filtered(lambda m: not m.currency_id.l10n_ar_afip_code):
            raise UserError(
                self.env._(
                    "%(move)s: currency %(currency)s has no AFIP code, so AFIP's "
                    "exchange rate cannot be asked.",
                    move=move._l10n_ar_tusfacturas_label(),
                    currency=move.currency_id.name,
                )
            )
        for move in foreign.filtered(
            lambda m: m.currency_id.l10n_ar_afip_code not in tables.CURRENCIES
        ):
            raise UserError(
                self.env._(
                    "%(move)s: TusFacturas does not accept currency %(currency)s "
                    "(not in its currency table), so it cannot be invoiced through "
                    "TusFacturas and AFIP's exchange rate was not asked.",
                    move=move.display_name,
                    currency=move.currency_id.name,
                )
            )
        groups = foreign.grouped(
            lambda m: (
                m.company_id,
                m.currency_id,
                m.invoice_date or fields.Date.context_today(m),
            )
        )
        for (company, currency, day), moves in groups.items():
            moves._l10n_ar_tusfacturas_check_rate_day(day)
            rate = company._l10n_ar_tusfacturas_call(
                lambda client, c=currency, d=day: client.exchange_rate(
                    c.l10n_ar_afip_code, fecha=d
                ),
                moves.journal_id[:1],
            )
            company._l10n_ar_tusfacturas_save_rate(currency, day, rate)
            moves._compute_invoice_currency_rate()
            for move in moves:
                move.message_post(
                    body=self.env._(
                        "AFIP exchange rate of %(currency)s on %(day)s: %(rate)s "
                        "(from TusFacturas).",
                        currency=currency.name,
                        day=format_user_date(self.env, day),
                        rate=rate,
                    )
                )

    def _l10n_ar_tusfacturas_check_rate_day(self, day):
        # The cotizacion page: "no podrás consultar mas de 2 meses atras".
        oldest = fields.Date.context_today(self) - relativedelta(months=2)
        if day >= oldest:
            return
        raise UserError(
            self.env._(
                "%(move)s: AFIP's exchange rate of its date %(day)s cannot be "
                "asked (TusFacturas gives rates of the last 2 months only). "
                "Enter that day's rate in the currency yourself and, for "
                "'Paid in its currency', untick it.",
                move=self[:1]._l10n_ar_tusfacturas_label(),
                day=format_user_date(self.env, day),
            )
        )

    def _l10n_ar_tusfacturas_label(self):
        """How messages name the move: a draft has no number yet, so it is told
        by its type, customer and amount."""
        self.ensure_one()
        if self.name and self.name != "/":
            return self.display_name
        return self.env._(
            "Draft %(type)s for %(partner)s (%(amount)s)",
            type=self.type_name,
            partner=self.partner_id.display_name or "-",
            amount=self.currency_id.format(self.amount_total),
        )

    def _l10n_ar_tusfacturas_state_label(self):
        """The TusFacturas status as the user reads it (translated), or ""."""
        self.ensure_one()
        field = self._fields["l10n_ar_tusfacturas_state"]
        labels = dict(field._description_selection(self.env))
        return labels.get(self.l10n_ar_tusfacturas_state, "")

    def _l10n_ar_tusfacturas_needs_sending(self):
        self.ensure_one()
        return (
            self.is_sale_document()
            and self.journal_id.l10n_ar_tusfacturas_enabled
            and self.l10n_latam_use_documents
            and self.l10n_ar_tusfacturas_state not in ("authorized", "testing")
        )

    def _l10n_ar_tusfacturas_client(self):
        return self.company_id._l10n_ar_tusfacturas_get_client(self.journal_id)

    def _l10n_ar_tusfacturas_get_external_reference(self):
        """The reference stored on the move once it is sent (a restored copy
        of the database, whose uuid differs, still finds its comprobantes);
        before that, one derived from committed data, stable across attempts
        and rollbacks."""
        self.ensure_one()
        if self.l10n_ar_tusfacturas_external_reference:
            return self.l10n_ar_tusfacturas_external_reference
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"odoo-{dbuuid[:8]}-{self.id}"

    def _l10n_ar_tusfacturas_store_external_reference(self):
        """Stored before the first request (read from the move from then on)."""
        for move in self.filtered(
            lambda m: not m.l10n_ar_tusfacturas_external_reference
        ):
            move._l10n_ar_tusfacturas_write(
                {
                    "l10n_ar_tusfacturas_external_reference": (
                        move._l10n_ar_tusfacturas_get_external_reference()
                    )
                }
            )

    def _l10n_ar_tusfacturas_transmit(self):
        """Send one posted move, or adopt the comprobante TusFacturas already has.

        Every attempt is idempotent: when an earlier one may have reached
        TusFacturas (its answer or its database transaction lost), the move is
        first looked up by external reference and what is found is adopted,
        never issued twice. What this attempt sent and received is kept for
        support.
        """
        self.ensure_one()
        client = self._l10n_ar_tusfacturas_client()
        try:
            self._l10n_ar_tusfacturas_transmit_with(client)
        finally:
            self._l10n_ar_tusfacturas_store_exchanges(client.take_exchanges())
            client.close()

    def _l10n_ar_tusfacturas_transmit_with(self, client):
        payload = self._l10n_ar_tusfacturas_prepare_payload()
        if self._l10n_ar_tusfacturas_may_be_issued():
            reference = payload["comprobante"]["external_reference"]
            try:
                found = client.find_by_external_reference(reference)
            except TusFacturasError as error:
                # Nothing was issued by this attempt: the state stays as it was.
                self._l10n_ar_tusfacturas_raise_not_sent(error)
            if found:
                self._l10n_ar_tusfacturas_adopt(client, found, payload)
                return
        self._l10n_ar_tusfacturas_stamp_slot()
        try:
            comprobante = client.issue(payload)
        except TusFacturasOutcomeUnknown as error:
            # Also ARCA's own failures (TusFacturasAfipError): a CAE may exist.
            self._l10n_ar_tusfacturas_set_unknown(error)
            return
        except TusFacturasError as error:
            self._l10n_ar_tusfacturas_handle_refusal(error)
            return
        self._l10n_ar_tusfacturas_apply(client, comprobante)

    def _l10n_ar_tusfacturas_may_be_issued(self):
        """Whether an earlier attempt may have reached TusFacturas, known
        without a request: any TusFacturas state (this path meets one only
        after an attempt) or an attempt marker. This attempt is marked before
        it is made, in a transaction of its own (``l10n_ar.tusfacturas.attempt``).
        """
        self.ensure_one()
        earlier = self.env["l10n_ar.tusfacturas.attempt"].sudo()._mark(self)
        return earlier or bool(self.l10n_ar_tusfacturas_state)

    def _l10n_ar_tusfacturas_adopt(self, client, found, payload):
        """Adopt what TusFacturas has under this invoice's external reference:
        only an issued comprobante, and only when it is this invoice (type,
        point of sale, total, customer). Otherwise a person decides: the
        invoice stays in Outcome unknown and nothing is sent."""
        if not found.is_issued:
            self._l10n_ar_tusfacturas_hold(
                self._l10n_ar_tusfacturas_not_issued_message(found)
            )
            return
        mismatches = found.mismatches(payload)
        if mismatches:
            self._l10n_ar_tusfacturas_hold(
                self._l10n_ar_tusfacturas_mismatch_message(found, mismatches)
            )
            return
        self._l10n_ar_tusfacturas_apply(client, found)

    def _l10n_ar_tusfacturas_not_issued_message(self, found):
        if found.is_failed:
            # No f-string inside _(): Babel's extractor gives up on the file.
            errors = ": " + found.observations if found.observations else ""
            return self.env._(
                "TusFacturas' queue failed to issue %(move)s (%(status)s%(errors)s). "
                "Nothing was sent again: fix it in TusFacturas (re-process or delete "
                "the queued comprobante), then press Verify.",
                move=self.display_name,
                status=found.status,
                errors=errors,
            )
        return self.env._(
            "%(move)s waits in TusFacturas' queue (%(status)s); it is not authorized "
            "yet and was not sent again. Press Verify once TusFacturas has issued it.",
            move=self.display_name,
            status=found.status or "-",
        )

    def _l10n_ar_tusfacturas_mismatch_message(self, found, mismatches):
        labels = {
            "tipo": self.env._("type"),
            "punto_venta": self.env._("point of sale"),
            "total": self.env._("total"),
            "documento_nro": self.env._("customer document"),
        }
        differences = "; ".join(
            self.env._(
                "%(field)s: %(found)s in TusFacturas, %(expected)s in Odoo",
                field=labels.get(name, name),
                found=got,
                expected=want,
            )
            for name, got, want in mismatches
        )
        number = " ".join([found.tipo, found.document_number])
        return self.env._(
            "TusFacturas already has comprobante %(number)s with the external "
            "reference of %(move)s, but it differs (%(differences)s). It was not "
            "adopted and nothing was sent: a person must compare both and decide "
            "(ask TusFacturas support if needed).",
            number=number,
            move=self.display_name,
            differences=differences,
        )

    def _l10n_ar_tusfacturas_handle_refusal(self, error):
        """``issue`` was refused, so no comprobante exists for this attempt."""
        is_rejection = isinstance(error, TusFacturasRejected) and not isinstance(
            error, TusFacturasMaintenance
        )
        if is_rejection and self.l10n_ar_tusfacturas_state == "unknown":
            if self._l10n_ar_tusfacturas_adopt_after_refusal(error, True):
                return
            # Already posted with its number: keep it, show why it failed.
            message = self._l10n_ar_tusfacturas_refusal_message(error, True)
            self._l10n_ar_tusfacturas_write(
                {
                    "l10n_ar_tusfacturas_state": "error",
                    "l10n_ar_tusfacturas_message": message,
                }
            )
            self.message_post(body=message)
            return
        self._l10n_ar_tusfacturas_raise_not_sent(error)

    def _l10n_ar_tusfacturas_adopt_after_refusal(self, error, was_unknown):
        """After a lost answer, a resend refused for its number: the first
        attempt may have been issued since it was looked up (TusFacturas goes
        on in background). Looked up again; True when it was adopted."""
        if not (was_unknown and "numbering" in error.keys):
            return False
        client = self._l10n_ar_tusfacturas_client()
        with client:
            try:
                found = client.find_by_external_reference(
                    self._l10n_ar_tusfacturas_get_external_reference()
                )
                if found:
                    payload = self._l10n_ar_tusfacturas_prepare_payload()
                    self._l10n_ar_tusfacturas_adopt(client, found, payload)
            except TusFacturasError:
                found = None
            finally:
                self._l10n_ar_tusfacturas_store_exchanges(client.take_exchanges())
        return bool(found) and self.l10n_ar_tusfacturas_state != "unknown"

    def _l10n_ar_tusfacturas_refusal_message(self, error, was_unknown=False):
        """A refusal's text; after an unknown outcome, a numbering refusal
        warns that ARCA may hold the number for the lost attempt."""
        message = self._l10n_ar_tusfacturas_format(error)
        if was_unknown and "numbering" in error.keys:
            message += "\n" + self._l10n_ar_tusfacturas_arca_may_hold_warning()
        return message

    def _l10n_ar_tusfacturas_arca_may_hold_warning(self):
        # The docs' "El comprobante existe en ARCA pero no en TusFacturasAPP":
        # the lost attempt may hold this number.
        return self.env._(
            "Careful: an earlier attempt of this invoice failed without "
            "an answer, so ARCA may hold this number for it although "
            "TusFacturas does not: ask TusFacturas support before "
            "aligning the number."
        )

    def _l10n_ar_tusfacturas_raise_not_sent(self, error):
        text = self._l10n_ar_tusfacturas_format(error, not_sent=True)
        raise UserError(text) from error

    def _l10n_ar_tusfacturas_format(self, error, not_sent=False):
        """The one place a TusFacturas error becomes the user's text: what
        happened, TusFacturas' own messages and codes, and what to do.

        ``not_sent``: nothing was issued (a lookup failed), whatever the error.
        """
        if isinstance(error, TusFacturasSeveralUnderReference):
            return self._l10n_ar_tusfacturas_several_message(error)
        lines = [self._l10n_ar_tusfacturas_error_header(error, not_sent)]
        if isinstance(error, TusFacturasRejected | TusFacturasAfipError):
            lines += [f"- {message}" for message in error.messages]
            if error.error_codes:
                codes = ", ".join(error.error_codes)
                lines.append(self.env._("Codes: %(codes)s", codes=codes))
        lines += self._l10n_ar_tusfacturas_hint_lines(error.hints)
        return "\n".join(lines)

    def _l10n_ar_tusfacturas_hint_lines(self, hints):
        return [
            self.env._("What to do: %(hint)s", hint=self.env._(hint)) for hint in hints
        ]

    def _l10n_ar_tusfacturas_several_message(self, error):
        return self.env._(
            "TusFacturas holds %(count)s issued comprobantes under the external "
            "reference of %(move)s (%(numbers)s): a person must decide which "
            "one is this invoice (TusFacturas support can cancel the other "
            "with a credit note). Nothing was adopted nor sent.",
            count=len(error.numbers),
            move=self.display_name,
            numbers=", ".join(error.numbers),
        )

    def _l10n_ar_tusfacturas_error_header(self, error, not_sent=False):
        if isinstance(error, TusFacturasMaintenance):
            return self.env._(
                "TusFacturas is under maintenance until %(until)s; %(move)s was not "
                "sent. Try again later.",
                until=self.company_id._l10n_ar_tusfacturas_format_until(error),
                move=self.display_name,
            )
        if isinstance(error, TusFacturasRejected):
            return self.env._(
                "TusFacturas rejected %(move)s; it was not issued:",
                move=self.display_name,
            )
        if not_sent:
            return self.env._(
                "%(move)s was not sent to TusFacturas: %(error)s",
                move=self.display_name,
                error=error,
            )
        if isinstance(error, TusFacturasAfipError):
            return self.env._(
                "ARCA failed while processing %(move)s and may have authorized it. "
                "It stays posted with its number until its outcome is known: press "
                "Verify (it runs automatically too). It will not be issued twice.",
                move=self.display_name,
            )
        if isinstance(error, TusFacturasOutcomeUnknown):
            return self.env._(
                "TusFacturas did not answer (%(reason)s). %(move)s stays posted with "
                "its number until its outcome is known: press Verify (it runs "
                "automatically too). It will not be issued twice.",
                reason=error,
                move=self.display_name,
            )
        return self.env._(
            "%(move)s was not sent to TusFacturas: %(error)s",
            move=self.display_name,
            error=error,
        )

    def _l10n_ar_tusfacturas_in_grace(self):
        """TusFacturas may still be processing this move's request whose
        answer was lost (an unknown or being-sent move): not looked up by the
        crons, not sent again, until its grace is over."""
        self.ensure_one()
        resend_from = self.l10n_ar_tusfacturas_send_after
        return bool(resend_from) and fields.Datetime.now() < resend_from

    def _l10n_ar_tusfacturas_grace_end(self):
        """When the crons look at ``self`` (moves in grace) again."""
        return min(self.mapped("l10n_ar_tusfacturas_send_after")) + GRACE_WAKE_MARGIN

    def _l10n_ar_tusfacturas_set_unknown(self, error):
        """A lost answer to a request carrying its number: no grace (unlike
        TusFacturas' queue, where numero is 0), since a resend cannot make a
        second comprobante (TusFacturas refuses a used number, and a lookup
        then adopts the first): the queue looks it up and resends at once,
        at the CUIT's pace, and the invoices after it follow."""
        self._l10n_ar_tusfacturas_hold(self._l10n_ar_tusfacturas_format(error))
        self._l10n_ar_tusfacturas_write({"l10n_ar_tusfacturas_send_after": False})
        self._l10n_ar_tusfacturas_trigger_queue()

    def _l10n_ar_tusfacturas_hold(self, message):
        """Posted with its number, locked, until its outcome is known.

        The chatter hears it once: the cron verifying again every 15 minutes
        does not repeat an unchanged message.
        """
        repeated = (
            self.l10n_ar_tusfacturas_state == "unknown"
            and self.l10n_ar_tusfacturas_message == message
        )
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "unknown",
                "l10n_ar_tusfacturas_message": message,
                "l10n_ar_tusfacturas_external_reference": (
                    self._l10n_ar_tusfacturas_get_external_reference()
                ),
            }
        )
        if not repeated:
            self.message_post(body=message)

    def _l10n_ar_tusfacturas_store_exchanges(self, exchanges):
        """Keep what the last attempt sent and received (administrators only)."""
        if not exchanges:
            return
        requests_text = "\n\n".join(
            f"POST {item['endpoint']}\n{_json_text(item['request'])}"
            for item in exchanges
        )
        answers_text = "\n\n".join(_answer_text(item) for item in exchanges)
        self.sudo()._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_request": requests_text,
                "l10n_ar_tusfacturas_response": answers_text,
            }
        )

    def _l10n_ar_tusfacturas_write(self, values):
        """Write this addon's own fields (and links to its documents). They
        are no accounting data: the move's line synchronisation and balance
        check, a query each, are skipped, and the move is not marked as
        manually modified."""
        return self.with_context(
            skip_invoice_sync=True,
            check_move_validity=False,
            skip_is_manually_modified=True,
            **{INTERNAL_WRITE_CONTEXT: INTERNAL},
        ).write(values)

    def _l10n_ar_tusfacturas_apply(self, client, comprobante: Comprobante):
        """Store an issued comprobante in one write: its data, the AFIP QR
        image and the official PDF, announced by one chatter note carrying
        both documents."""
        journal = self.journal_id
        if comprobante.is_testing and not journal._l10n_ar_tusfacturas_is_testing():
            # "error" N without a CAE on a real point of sale: an answer read
            # wrong or incomplete, not testing mode. Verified, never final.
            self._l10n_ar_tusfacturas_hold(
                self._l10n_ar_tusfacturas_no_cae_message(comprobante)
            )
            return
        self._l10n_ar_tusfacturas_adopt_number(comprobante)
        values = self._l10n_ar_tusfacturas_get_result_values(comprobante)
        try:
            pdf = client.download_pdf(comprobante.pdf_url)
            pdf_note = self.env._("The official PDF is attached.")
        except TusFacturasError as error:
            # The CAE is what matters; the PDF can be fetched again today.
            pdf, pdf_note = None, self._l10n_ar_tusfacturas_pdf_failure(error)
        values.update(self._l10n_ar_tusfacturas_store_documents(comprobante, pdf))
        self._l10n_ar_tusfacturas_write(values)
        self._l10n_ar_tusfacturas_post_attachments(
            self._l10n_ar_tusfacturas_success_message(comprobante, pdf_note),
            self.l10n_ar_tusfacturas_pdf_id | self.l10n_ar_tusfacturas_qr_id,
        )

    def _l10n_ar_tusfacturas_no_cae_message(self, comprobante):
        return self.env._(
            "TusFacturas answered %(move)s without a CAE, but point of sale "
            "%(pos)s is not a testing one. It stays posted with its number, "
            "outcome unknown: Verify looks it up in TusFacturas (it runs "
            "automatically too) and it will not be issued twice. If this point "
            "of sale is a testing one, tick 'Testing point of sale' on its "
            "journal.",
            move=self.display_name,
            pos=comprobante.punto_venta or self.journal_id.l10n_ar_afip_pos_number,
        )

    def _l10n_ar_tusfacturas_post_attachments(self, body, attachments):
        """One note carrying our own documents. Logged, not posted: a note
        notifies nobody, and account's posting hook would read the PDF as an
        invoice to import (and complain that the move is posted)."""
        self._message_log(body=body, attachment_ids=attachments.ids)

    def _l10n_ar_tusfacturas_get_result_values(self, comprobante):
        testing = comprobante.is_testing
        message = (
            self.env._(
                "Issued in TusFacturas' testing mode: this comprobante has no CAE."
            )
            if testing
            else False
        )
        return {
            "l10n_ar_tusfacturas_state": "testing" if testing else "authorized",
            "l10n_ar_tusfacturas_send_after": False,
            "l10n_ar_tusfacturas_message": message,
            "l10n_ar_tusfacturas_observations": comprobante.observations or False,
            "l10n_ar_tusfacturas_cae": comprobante.cae or False,
            "l10n_ar_tusfacturas_cae_due_date": comprobante.cae_due_date,
            "l10n_ar_tusfacturas_pos_number": comprobante.punto_venta,
            "l10n_ar_tusfacturas_number": comprobante.numero,
            "l10n_ar_tusfacturas_letter": (
                self.l10n_latam_document_type_id.l10n_ar_letter
            ),
            "l10n_ar_tusfacturas_type": comprobante.tipo,
            "l10n_ar_tusfacturas_qr_payload": comprobante.afip_qr or False,
            "l10n_ar_tusfacturas_pdf_url": comprobante.pdf_url or False,
            "l10n_ar_tusfacturas_external_reference": (
                comprobante.external_reference
                or self._l10n_ar_tusfacturas_get_external_reference()
            ),
        }

    def _l10n_ar_tusfacturas_adopt_number(self, comprobante):
        """The Odoo number always equals TusFacturas' number."""
        parts = self._l10n_ar_tusfacturas_get_number_parts()
        if (parts["point_of_sale"], parts["invoice_number"]) == (
            comprobante.punto_venta,
            comprobante.numero,
        ):
            return
        self.name = self._get_formatted_sequence(comprobante.numero)
        self.message_post(
            body=self.env._(
                "Number aligned with the comprobante TusFacturas already had: "
                "%(name)s.",
                name=self.name,
            )
        )

    def _l10n_ar_tusfacturas_success_message(self, comprobante, pdf_note):
        if comprobante.is_testing:
            head = self.env._("Issued in TusFacturas' testing mode (no CAE).")
        else:
            head = self.env._(
                "Authorized by AFIP through TusFacturas. CAE %(cae)s, due %(due)s.",
                cae=comprobante.cae,
                due=format_user_date(self.env, comprobante.cae_due_date),
            )
        if comprobante.observations:
            pdf_note += "\n" + self.env._(
                "AFIP approved it with observations, review them: %(observations)s",
                observations=comprobante.observations,
            )
        return f"{head} {pdf_note}"

    def _l10n_ar_tusfacturas_pdf_failure(self, error):
        return self.env._(
            "The official PDF could not be downloaded (%(error)s). Its link only "
            "lasts today: press Download official PDF.",
            error=error,
        )

    def _l10n_ar_tusfacturas_refresh_pdf_url(self, client):
        comprobante = client.get_comprobante(
            self.l10n_ar_tusfacturas_type,
            self.l10n_ar_tusfacturas_pos_number,
            self.l10n_ar_tusfacturas_number,
        )
        if comprobante and comprobante.pdf_url:
            self._l10n_ar_tusfacturas_write(
                {"l10n_ar_tusfacturas_pdf_url": comprobante.pdf_url}
            )

    def _l10n_ar_tusfacturas_store_pdf(self, client):
        content = client.download_pdf(self.l10n_ar_tusfacturas_pdf_url)
        self._l10n_ar_tusfacturas_write(
            self._l10n_ar_tusfacturas_store_documents(None, content)
        )

    def _l10n_ar_tusfacturas_store_documents(self, comprobante, pdf):
        """Attach the AFIP QR image of ``comprobante`` (if any) and the official
        ``pdf`` (if any) with one create; return the move's values linking them.

        The official PDF becomes the invoice's PDF (``invoice_pdf_report_id``):
        Print & Send, the email and the portal deliver it instead of rendering
        Odoo's report. A second download replaces the content in place.
        """
        new, values = {}, {}
        if comprobante and comprobante.afip_qr:
            new["l10n_ar_tusfacturas_qr_id"] = self._l10n_ar_tusfacturas_document(
                "_QR.png", qr_png(comprobante.afip_qr), "image/png"
            )
        if pdf is not None:
            document = self._l10n_ar_tusfacturas_document(
                ".pdf", pdf, "application/pdf"
            )
            existing = self.invoice_pdf_report_id
            if existing:
                existing.write(document)
                values["l10n_ar_tusfacturas_pdf_id"] = existing.id
            else:
                document["res_field"] = "invoice_pdf_report_file"
                new["l10n_ar_tusfacturas_pdf_id"] = document
        created = self.env["ir.attachment"].create(list(new.values()))
        values.update(zip(new, created.ids, strict=True))
        if pdf is not None:
            self.invalidate_recordset(
                ["invoice_pdf_report_id", "invoice_pdf_report_file"]
            )
            values["message_main_attachment_id"] = values["l10n_ar_tusfacturas_pdf_id"]
        return values

    def _l10n_ar_tusfacturas_document(self, suffix, content, mimetype):
        return {
            "name": self.name.replace(" ", "_") + suffix,
            "raw": content,
            "mimetype": mimetype,
            "res_model": self._name,
            "res_id": self.id,
        }

    def _l10n_ar_tusfacturas_qr_image_src(self):
        """Data URI of the stored QR for the printed invoice."""
        self.ensure_one()
        if not self.l10n_ar_tusfacturas_qr_id:
            return False
        data = base64.b64encode(self.l10n_ar_tusfacturas_qr_id.raw).decode()
        return f"data:image/png;base64,{data}"

    # ------------------------------------------------------------------
    # Checks made before anything is sent
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_raise_if_invalid(self):
        errors = []
        for move in self:
            errors += [
                self.env._(
                    "%(move)s: %(error)s",
                    move=move._l10n_ar_tusfacturas_label(),
                    error=error,
                )
                for error in move._l10n_ar_tusfacturas_get_errors()
            ]
        if errors:
            raise UserError(
                self.env._("Nothing was sent to TusFacturas. Please fix:")
                + "\n"
                + "\n".join(errors)
            )

    def _l10n_ar_tusfacturas_get_errors(self):
        self.ensure_one()
        return (
            self._l10n_ar_tusfacturas_get_document_errors()
            + self._l10n_ar_tusfacturas_get_letter_m_errors()
            + self._l10n_ar_tusfacturas_get_partner_errors()
            + self._l10n_ar_tusfacturas_get_line_errors()
            + self._l10n_ar_tusfacturas_get_tributo_errors()
            + self._l10n_ar_tusfacturas_get_origin_errors()
            + self._l10n_ar_tusfacturas_get_due_date_errors()
            + self._l10n_ar_tusfacturas_get_export_errors()
            + self._l10n_ar_tusfacturas_get_consumer_cap_errors()
        )

    def _l10n_ar_tusfacturas_get_consumer_cap_errors(self):
        """An unidentified consumidor final only up to AFIP's current cap (the
        cap included: the safer reading of "from that amount on")."""
        partner = self.commercial_partner_id
        id_code = partner.l10n_latam_identification_type_id.l10n_ar_afip_code
        if (
            partner.l10n_ar_afip_responsibility_type_id.code != "5"
            or tables.DOCUMENT_TYPES.get(id_code) != "OTRO"
        ):
            return []
        cap = self.company_id._l10n_ar_tusfacturas_cf_cap()
        amount = abs(self.amount_total_signed)
        if cap is None or amount < cap:
            return []
        return [
            self.env._(
                "customer %(partner)s: %(amount)s reaches AFIP's cap of %(cap)s for "
                "an unidentified consumidor final: give the customer's name, DNI or "
                "CUIT and address.",
                partner=partner.display_name,
                amount=format_amount(amount),
                cap=format_amount(cap),
            )
        ]

    def _l10n_ar_tusfacturas_get_document_errors(self):
        errors = []
        doc_type = self.l10n_latam_document_type_id
        if doc_type.code not in tables.COMPROBANTE_TYPES:
            errors.append(
                self.env._(
                    "document type %(type)s cannot be issued through TusFacturas.",
                    type=doc_type.display_name,
                )
            )
        errors += self._l10n_ar_tusfacturas_get_currency_errors()
        if not self.company_id.partner_id.vat or not is_valid_cuit(
            self.company_id.partner_id.vat
        ):
            errors.append(
                self.env._(
                    "company %(company)s has no valid CUIT.",
                    company=self.company_id.name,
                )
            )
        price_list = self._l10n_ar_tusfacturas_price_list()
        if not tables.MIN_PRICE_LIST <= len(price_list) <= tables.MAX_TEXT:
            errors.append(
                self.env._(
                    "the TusFacturas price list name '%(name)s' (Settings) must have "
                    "4 to 255 characters.",
                    name=price_list,
                )
            )
        errors += self._l10n_ar_tusfacturas_get_fce_errors()
        return errors

    def _l10n_ar_tusfacturas_get_currency_errors(self):
        code = self.currency_id.l10n_ar_afip_code
        if not code:
            return [
                self.env._(
                    "currency %(currency)s has no AFIP code.",
                    currency=self.currency_id.name,
                )
            ]
        if code not in tables.CURRENCIES:
            return [
                self.env._(
                    "currency %(currency)s (AFIP code %(code)s) is not in "
                    "TusFacturas' currency table: invoice it in a currency "
                    "TusFacturas accepts.",
                    currency=self.currency_id.name,
                    code=code,
                )
            ]
        return self._l10n_ar_tusfacturas_get_future_rate_errors()

    def _l10n_ar_tusfacturas_get_future_rate_errors(self):
        """RG 5616 "S" needs AFIP's official rate of the invoice date; TusFacturas'
        queue emits on that date with the rate sent now, and AFIP publishes no
        rate for a day to come: such an invoice is queued on its day."""
        future = self.invoice_date and self.invoice_date > fields.Date.context_today(
            self
        )
        if not (
            future
            and self.l10n_ar_tusfacturas_pays_same_currency
            and self.currency_id != self.company_id.currency_id
            and self.journal_id.l10n_ar_tusfacturas_send_mode == "async"
        ):
            return []
        return [
            self.env._(
                "paid in its currency (RG 5616) and dated %(date)s, after today: "
                "AFIP's official rate of that day is not known yet. Confirm it on "
                "that day, or date it today.",
                date=format_user_date(self.env, self.invoice_date),
            )
        ]

    def _l10n_ar_tusfacturas_get_fce_errors(self):
        """FCE invoices carry the issuer's CBU (22 digits, id 2101) or its alias
        (6-20 characters, id 2102); FCE notes do not (AFIP does not ask them)."""
        if self.l10n_latam_document_type_id.code not in tables.FCE_INVOICE_CODES:
            return []
        cbu = self._l10n_ar_tusfacturas_cbu()
        if not cbu:
            return [
                self.env._(
                    "a MiPyME credit invoice needs the company's CBU in the field "
                    "Recipient Bank."
                )
            ]
        if not (CBU_RE.match(cbu) or CBU_ALIAS_RE.match(cbu)):
            return [
                self.env._(
                    "Recipient Bank %(cbu)s is neither a CBU (22 digits) nor a CBU "
                    "alias (6 to 20 letters, digits, '.' or '-').",
                    cbu=cbu,
                )
            ]
        return []

    def _l10n_ar_tusfacturas_get_letter_m_errors(self):
        """RG 5762/2025: ARCA accepts no new Factura M from 1 December 2025 (its
        issuers use Factura A with a legend). An M note is still sent only to
        adjust an M invoice dated before then (see README)."""
        code = self.l10n_latam_document_type_id.code
        if code not in tables.M_INVOICE_CODES | tables.M_NOTE_CODES:
            return []
        last_day = fields.Date.to_date(tables.M_LAST_DAY)
        day = self.invoice_date or fields.Date.context_today(self)
        if code in tables.M_INVOICE_CODES:
            if day <= last_day:
                return []
            return [
                self.env._(
                    "ARCA accepts no new Factura M since 1 December 2025 (RG "
                    "5762/2025): issue a Factura A instead (with the legend the "
                    "resolution asks)."
                )
            ]
        origin = self._l10n_ar_tusfacturas_origin()
        if origin.l10n_latam_document_type_id.l10n_ar_letter == "M" and (
            origin.invoice_date and origin.invoice_date <= last_day
        ):
            return []
        return [
            self.env._(
                "an M credit or debit note can only adjust an M invoice issued "
                "before 1 December 2025 (RG 5762/2025): give that origin invoice, or "
                "issue an A note."
            )
        ]

    def _l10n_ar_tusfacturas_iva_condition(self):
        """TusFacturas' condición frente al IVA of the customer, or False."""
        code = self.commercial_partner_id.l10n_ar_afip_responsibility_type_id.code
        if self.l10n_latam_document_type_id.l10n_ar_letter == "E":
            return tables.EXPORT_ONLY_IVA_CONDITIONS.get(code) or (
                tables.IVA_CONDITIONS.get(code)
            )
        return tables.IVA_CONDITIONS.get(code, False)

    def _l10n_ar_tusfacturas_get_partner_errors(self):
        partner = self.commercial_partner_id
        errors = []
        iva = self._l10n_ar_tusfacturas_iva_condition()
        responsibility = partner.l10n_ar_afip_responsibility_type_id
        if not iva:
            errors.append(
                self.env._(
                    "customer %(partner)s: AFIP responsibility %(responsibility)s has "
                    "no counterpart in TusFacturas' IVA conditions (RG 5616/2024 "
                    "condition of the operation); it is not sent as another one.",
                    partner=partner.display_name,
                    responsibility=responsibility.name or "-",
                )
            )
        elif (
            self.l10n_latam_document_type_id.l10n_ar_letter
            not in (tables.LETTERS_BY_IVA_CONDITION[iva])
        ):
            errors.append(
                self.env._(
                    "letter %(letter)s cannot be issued to customer %(partner)s "
                    "(%(responsibility)s).",
                    letter=self.l10n_latam_document_type_id.l10n_ar_letter,
                    partner=partner.display_name,
                    responsibility=responsibility.name,
                )
            )
        return errors + [
            self.env._(
                "customer %(partner)s: %(error)s",
                partner=partner.display_name,
                error=error,
            )
            for error in self._l10n_ar_tusfacturas_get_identity_errors(partner)
            + self._l10n_ar_tusfacturas_get_contact_errors(partner)
        ]

    def _l10n_ar_tusfacturas_get_identity_errors(self, partner):
        """Document and province; a customer abroad is identified by the export
        block and has the foreign province."""
        if partner._l10n_ar_tusfacturas_is_abroad():
            return []
        errors = []
        document_error = partner._l10n_ar_tusfacturas_get_document_error()
        if document_error:
            errors.append(document_error)
        id_code = partner.l10n_latam_identification_type_id.l10n_ar_afip_code
        if tables.DOCUMENT_TYPES.get(id_code) != "OTRO" and (
            partner.state_id.code not in tables.PROVINCES
            or partner.country_id.code != "AR"
        ):
            errors.append(self.env._("set an Argentine province (state)."))
        return errors

    def _l10n_ar_tusfacturas_get_contact_errors(self, partner):
        """The address is required of every identified customer (abroad too);
        documented lengths: domicilio 255, email 15 addresses and 255 chars."""
        errors = []
        id_code = partner.l10n_latam_identification_type_id.l10n_ar_afip_code
        anonymous = not partner._l10n_ar_tusfacturas_is_abroad() and (
            tables.DOCUMENT_TYPES.get(id_code) == "OTRO"
        )
        if not anonymous and not partner.street:
            errors.append(self.env._("the address (street) is missing."))
        address = self._l10n_ar_tusfacturas_get_address(partner)
        if len(address) > tables.MAX_TEXT:
            errors.append(
                self.env._(
                    "the address has %(count)s characters; TusFacturas accepts at "
                    "most %(max)s.",
                    count=len(address),
                    max=tables.MAX_TEXT,
                )
            )
        emails = email_split(partner.email or "")
        email = ",".join(emails)
        if len(emails) > tables.MAX_EMAILS or len(email) > tables.MAX_TEXT:
            errors.append(
                self.env._(
                    "the email holds %(count)s addresses (%(length)s characters); "
                    "TusFacturas accepts at most %(max)s addresses in 255 "
                    "characters.",
                    count=len(emails),
                    length=len(email),
                    max=tables.MAX_EMAILS,
                )
            )
        return errors

    def _l10n_ar_tusfacturas_get_line_errors(self):
        lines = self._l10n_ar_tusfacturas_product_lines()
        errors = []
        if not lines:
            errors.append(self.env._("the invoice has no lines."))
        if len(lines) > MAX_LINES:
            errors.append(
                self.env._(
                    "%(count)s lines: TusFacturas accepts at most %(max)s.",
                    count=len(lines),
                    max=MAX_LINES,
                )
            )
        for line in lines:
            errors += [
                self.env._(
                    "line '%(line)s': %(error)s", line=line.name or "", error=error
                )
                for error in self._l10n_ar_tusfacturas_get_single_line_errors(line)
            ]
        unsupported = self.line_ids.tax_line_id.filtered(
            lambda t: (
                not t.tax_group_id.l10n_ar_vat_afip_code
                and not t.tax_group_id.l10n_ar_tribute_afip_code
            )
        )
        errors += [
            self.env._(
                "tax %(tax)s has no AFIP code: it cannot be reported.", tax=tax.name
            )
            for tax in unsupported
        ]
        return errors

    def _l10n_ar_tusfacturas_perception_taxes(self):
        return self.line_ids.tax_line_id.filtered(
            lambda t: (
                t.tax_group_id.l10n_ar_tribute_afip_code
                and t.tax_group_id.l10n_ar_tribute_afip_code != "04"
            )
        )

    def _l10n_ar_tusfacturas_rg5329_taxes(self):
        return self._l10n_ar_tusfacturas_perception_taxes().filtered(
            lambda t: t.l10n_ar_tusfacturas_regime == tables.RG5329_REGIME
        )

    def _l10n_ar_tusfacturas_get_rg5329_errors(self):
        # RG 5329 FAQ: "Emitis un comprobante de tipo 'A'" (FCE A included).
        taxes = self._l10n_ar_tusfacturas_rg5329_taxes()
        letter = self.l10n_latam_document_type_id.l10n_ar_letter
        if not taxes or letter == "A":
            return []
        return [
            self.env._(
                "tax %(tax)s is an IVA RG 5329 perception, which applies to letter "
                "A comprobantes only: remove it from this letter %(letter)s "
                "document.",
                tax=taxes[0].name,
                letter=letter or "-",
            )
        ]

    def _l10n_ar_tusfacturas_get_tributo_errors(self):
        """Each perception needs a regime of TusFacturas' table whose type fits
        the tax's AFIP tribute; at most 7 tributos (none on E, checked there)."""
        taxes = self._l10n_ar_tusfacturas_perception_taxes()
        errors = []
        if len(taxes) > tables.MAX_TRIBUTOS:
            errors.append(
                self.env._(
                    "%(count)s perceptions: TusFacturas accepts at most %(max)s "
                    "tributos per comprobante.",
                    count=len(taxes),
                    max=tables.MAX_TRIBUTOS,
                )
            )
        for tax in taxes:
            code = tax.tax_group_id.l10n_ar_tribute_afip_code
            types = tables.PERCEPTION_TYPES_BY_TRIBUTE.get(code)
            regime = tables.PERCEPTION_REGIMES.get(tax.l10n_ar_tusfacturas_regime)
            if not types:
                errors.append(
                    self.env._(
                        "tax %(tax)s: TusFacturas has no perception type for AFIP "
                        "tribute %(code)s (only IVA, IIBB and national perceptions).",
                        tax=tax.name,
                        code=code,
                    )
                )
            elif not regime:
                errors.append(
                    self.env._(
                        "tax %(tax)s: set its TusFacturas perception regime (tax "
                        "form).",
                        tax=tax.name,
                    )
                )
            elif regime[0] not in types:
                errors.append(
                    self.env._(
                        "tax %(tax)s: its TusFacturas perception regime %(regime)s "
                        "is not of the tax's kind (%(kind)s).",
                        tax=tax.name,
                        regime=regime[1],
                        kind=tax.tax_group_id.name,
                    )
                )
        return errors + self._l10n_ar_tusfacturas_get_rg5329_errors()

    def _l10n_ar_tusfacturas_get_single_line_errors(self, line):
        errors = []
        description = encode_text(line.name or "")
        if not 4 <= len(description) <= 255:
            errors.append(self.env._("the description must have 4 to 255 characters."))
        if len(line.product_id.default_code or "") > tables.MAX_PRODUCT_CODE:
            errors.append(
                self.env._(
                    "the product code %(code)s is longer than %(max)s characters.",
                    code=line.product_id.default_code,
                    max=tables.MAX_PRODUCT_CODE,
                )
            )
        if line.quantity <= 0 or line.price_unit < 0:
            errors.append(self.env._("quantity and price must be positive."))
        if line.product_uom_id and not line.product_uom_id.l10n_ar_afip_code:
            errors.append(
                self.env._(
                    "unit of measure %(uom)s has no AFIP code.",
                    uom=line.product_uom_id.name or "-",
                )
            )
        if self.l10n_latam_document_type_id.l10n_ar_letter != "C":
            errors += self._l10n_ar_tusfacturas_get_vat_errors(line)
        return errors

    def _l10n_ar_tusfacturas_get_vat_errors(self, line):
        vat_taxes = line.tax_ids.filtered("tax_group_id.l10n_ar_vat_afip_code")
        code = len(vat_taxes) == 1 and vat_taxes.tax_group_id.l10n_ar_vat_afip_code
        if code in tables.VAT_RATES_NOT_ACCEPTED:
            return [
                self.env._(
                    "VAT %(rate)s cannot be sent: TusFacturas only accepts the VAT "
                    "rates 27, 21, 10.5 and 0 %%, exempt and not taxed.",
                    rate=tables.VAT_RATES_NOT_ACCEPTED[code],
                )
            ]
        if code not in tables.VAT_RATES:
            return [self.env._("it needs exactly one supported VAT tax.")]
        letter = self.l10n_latam_document_type_id.l10n_ar_letter
        if letter == "E" and tables.VAT_RATES[code] not in EXPORT_VAT_RATES:
            # The export page: "no gravados" in zero. A positive rate is refused
            # too (our choice): ARCA's export comprobante carries no VAT, so the
            # total would hold VAT ARCA never sees (Odoo's fiscal position for
            # foreign customers maps every sale VAT to Exempt).
            return [
                self.env._(
                    "an export comprobante (E) takes only exempt or 0 %% VAT lines "
                    "(TusFacturas: no gravados in zero; exports carry no VAT), not "
                    "%(tax)s.",
                    tax=line.tax_ids.filtered(
                        "tax_group_id.l10n_ar_vat_afip_code"
                    ).name,
                )
            ]
        return []

    def _l10n_ar_tusfacturas_get_origin_errors(self):
        """A note is associated with its origin (issued through TusFacturas or
        not), or with a period where ARCA allows it (letters A, B, C, M)."""
        if not self._l10n_ar_tusfacturas_is_note():
            return []
        origin = self._l10n_ar_tusfacturas_origin()
        if origin:
            return self._l10n_ar_tusfacturas_get_origin_data_errors(origin)
        letter = self.l10n_latam_document_type_id.l10n_ar_letter
        if self._l10n_ar_tusfacturas_is_fce() or letter not in (
            tables.PERIOD_NOTE_LETTERS
        ):
            return [
                self.env._(
                    "an export (E) or MiPyME (FCE) credit or debit note needs its "
                    "origin comprobante: ARCA accepts no associated period for it."
                )
            ]
        if self._l10n_ar_tusfacturas_has_period():
            return []
        return [
            self.env._(
                "a credit or debit note needs its origin invoice or the "
                "associated period (from and to dates)."
            )
        ]

    def _l10n_ar_tusfacturas_get_origin_data_errors(self, origin):
        errors = []
        state = origin.l10n_ar_tusfacturas_state
        if state and state != "authorized":
            # ARCA refuses a note whose origin it does not have (10041): in
            # every mode, a queued, unknown or failed origin is resolved first.
            errors.append(
                self.env._(
                    "its origin %(origin)s has no CAE yet (TusFacturas status "
                    "%(state)s): wait for it or resolve it first.",
                    origin=origin.display_name,
                    state=origin._l10n_ar_tusfacturas_state_label(),
                )
            )
        elif origin.state != "posted" or not (
            origin.l10n_latam_document_type_id.code in tables.COMPROBANTE_TYPES
            and origin.l10n_latam_document_number
            and origin.invoice_date
        ):
            errors.append(
                self.env._(
                    "its origin %(origin)s has no AFIP document type, number and "
                    "date to associate.",
                    origin=origin.display_name,
                )
            )
        if origin.currency_id != self.currency_id:
            errors.append(
                self.env._(
                    "its origin %(origin)s is in another currency: ARCA requires "
                    "the note in the origin's currency.",
                    origin=origin.display_name,
                )
            )
        if origin._l10n_ar_tusfacturas_is_fce() and not (
            self._l10n_ar_tusfacturas_is_fce()
        ):
            errors.append(
                self.env._(
                    "its origin %(origin)s is a MiPyME credit invoice (FCE): the "
                    "note must be an FCE note (%(type)s).",
                    origin=origin.display_name,
                    type=origin._l10n_ar_tusfacturas_fce_note_type(
                        self.l10n_latam_document_type_id.internal_type
                    ).display_name,
                )
            )
        if self._l10n_ar_tusfacturas_is_fce() and not (
            origin._l10n_ar_tusfacturas_is_fce()
        ):
            # The common-errors page: "CbtesAsoc con tipo invalido (NC/ND MiPyME)".
            errors.append(
                self.env._(
                    "it is a MiPyME (FCE) note but its origin %(origin)s is not an "
                    "FCE invoice: use a plain credit or debit note.",
                    origin=origin.display_name,
                )
            )
        return errors + self._l10n_ar_tusfacturas_get_origin_date_errors(origin)

    def _l10n_ar_tusfacturas_get_origin_date_errors(self, origin):
        # Notes page: "La fecha del comprobante que asocies debe ser menor o
        # igual a la fecha del comprobante que estas queriendo emitir".
        if not (origin.invoice_date and self.invoice_date):
            return []
        if origin.invoice_date <= self.invoice_date:
            return []
        return [
            self.env._(
                "its origin %(origin)s is dated %(origin_date)s, after the note's "
                "date %(date)s: ARCA requires the associated comprobante dated on "
                "or before the note.",
                origin=origin.display_name,
                origin_date=format_user_date(self.env, origin.invoice_date),
                date=format_user_date(self.env, self.invoice_date),
            )
        ]

    def _l10n_ar_tusfacturas_get_due_date_errors(self):
        # ARCA 10036: "FchVtoPago no puede ser anterior a la fecha del comprobante".
        due, date = self.invoice_date_due, self.invoice_date
        if not (due and date) or due >= date:
            return []
        return [
            self.env._(
                "its due date %(due)s is before its date %(date)s: ARCA refuses a "
                "payment due date (FchVtoPago) earlier than the comprobante.",
                due=format_user_date(self.env, due),
                date=format_user_date(self.env, date),
            )
        ]

    def _l10n_ar_tusfacturas_has_period(self):
        return bool(
            self.l10n_ar_tusfacturas_period_from and self.l10n_ar_tusfacturas_period_to
        )

    def _l10n_ar_tusfacturas_get_export_errors(self):
        if self.l10n_latam_document_type_id.l10n_ar_letter != "E":
            return []
        partner = self.commercial_partner_id
        country = partner.country_id
        errors = []
        if not country.l10n_ar_afip_code:
            errors.append(
                self.env._(
                    "customer country %(country)s has no AFIP code.",
                    country=country.name or "-",
                )
            )
        if not self._l10n_ar_tusfacturas_country_cuit():
            errors.append(
                self.env._(
                    "customer country %(country)s has no AFIP CUIT (legal entity or "
                    "natural person).",
                    country=country.name or "-",
                )
            )
        goods = self._l10n_ar_tusfacturas_export_type() == "1"
        incoterm = self.invoice_incoterm_id
        if goods and not incoterm:
            errors.append(self.env._("an export of goods needs an incoterm."))
        elif goods and incoterm.code not in tables.INCOTERMS:
            errors.append(
                self.env._(
                    "incoterm %(code)s is not in AFIP's table (%(codes)s): choose "
                    "one of those.",
                    code=incoterm.code,
                    codes=", ".join(sorted(tables.INCOTERMS)),
                )
            )
        if not goods and self.l10n_ar_tusfacturas_permit_ids:
            errors.append(self.env._("export permits only apply to exports of goods."))
        if self._l10n_ar_tusfacturas_perception_taxes() or self.line_ids.filtered(
            lambda line: line.tax_line_id.tax_group_id.l10n_ar_tribute_afip_code == "04"
        ):
            errors.append(
                self.env._(
                    "an export comprobante carries no perceptions nor internal "
                    "taxes (TusFacturas: tributos empty, internal taxes zero): "
                    "remove those taxes."
                )
            )
        return errors

    # ------------------------------------------------------------------
    # Payload, built in small steps
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_prepare_payload(self):
        """The facturacion/nuevo body (without credentials)."""
        self.ensure_one()
        payload = {
            "cliente": self._l10n_ar_tusfacturas_get_cliente_values(),
            "comprobante": self._l10n_ar_tusfacturas_get_comprobante_values(),
        }
        self._l10n_ar_tusfacturas_fit_prices(payload["comprobante"])
        self._l10n_ar_tusfacturas_check_total(payload["comprobante"])
        return payload

    def _l10n_ar_tusfacturas_product_lines(self):
        return self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )

    def _l10n_ar_tusfacturas_is_note(self):
        return self.l10n_latam_document_type_id.internal_type in (
            "credit_note",
            "debit_note",
        )

    def _l10n_ar_tusfacturas_origin(self):
        """The origin comprobante a note adjusts, issued through TusFacturas or
        not (then it is associated from Odoo's own data)."""
        return self.reversed_entry_id or self.debit_origin_id

    def _l10n_ar_tusfacturas_is_fce(self):
        return self.l10n_latam_document_type_id.code in tables.FCE_CODES

    def _l10n_ar_tusfacturas_fce_note_type(self, internal_type):
        """The FCE note type (same letter) adjusting this FCE invoice, or none."""
        doc_type = self.l10n_latam_document_type_id
        if len(self) != 1 or doc_type.code not in tables.FCE_INVOICE_CODES:
            return self.env["l10n_latam.document.type"]
        code = tables.FCE_NOTE_BY_LETTER.get((doc_type.l10n_ar_letter, internal_type))
        return self.env["l10n_latam.document.type"].search(
            [("code", "=", code), ("country_id.code", "=", "AR")], limit=1
        )

    def _l10n_ar_tusfacturas_get_number_parts(self):
        return self._l10n_ar_get_document_number_parts(
            self.l10n_latam_document_number, self.l10n_latam_document_type_id.code
        )

    def _l10n_ar_tusfacturas_get_comprobante_values(self):
        company = self.company_id
        values = {
            "fecha": format_date(self.invoice_date),
            "tipo": tables.COMPROBANTE_TYPES[self.l10n_latam_document_type_id.code],
            "operacion": "V",
            "idioma": company.l10n_ar_tusfacturas_pdf_language or "1",
            "punto_venta": self.journal_id.l10n_ar_afip_pos_number,
            "numero": self._l10n_ar_tusfacturas_get_number_parts()["invoice_number"],
            "moneda": self.currency_id.l10n_ar_afip_code,
            "cotizacion": self._l10n_ar_tusfacturas_get_rate(),
            "vencimiento": format_date(self.invoice_date_due or self.invoice_date),
            "rubro": company.l10n_ar_tusfacturas_rubro or "Ventas",
            "rubro_grupo_contable": (
                company.l10n_ar_tusfacturas_rubro_grupo_contable or "Ventas"
            ),
            "external_reference": self._l10n_ar_tusfacturas_get_external_reference(),
            "detalle": [
                self._l10n_ar_tusfacturas_get_detalle_values(line)
                for line in self._l10n_ar_tusfacturas_product_lines()
            ],
            "total": format_amount(abs(self.amount_total)),
        }
        values.update(self._l10n_ar_tusfacturas_get_period_values())
        values.update(self._l10n_ar_tusfacturas_get_tax_values())
        values.update(self._l10n_ar_tusfacturas_get_associated_values())
        values.update(self._l10n_ar_tusfacturas_get_fex_values())
        values.update(self._l10n_ar_tusfacturas_get_rg_especiales_values())
        values.update(self._l10n_ar_tusfacturas_get_informative_values())
        legend = html2plaintext(self.narration or "").strip()
        if legend:
            values["leyenda_gral"] = encode_fit(legend, tables.MAX_LEGEND)
        return values

    def _l10n_ar_tusfacturas_get_informative_values(self):
        """RG 5616 (in force since 15/04/2025): "paga_misma_moneda", S only
        with a currency other than the peso and AFIP's official rate (taken
        when validating, see _l10n_ar_tusfacturas_prepare_sending)."""
        if self.currency_id == self.company_id.currency_id:
            return {}
        pays = "S" if self.l10n_ar_tusfacturas_pays_same_currency else "N"
        return {"datos_informativos": {"paga_misma_moneda": pays}}

    def _l10n_ar_tusfacturas_get_rate(self):
        if self.currency_id == self.company_id.currency_id:
            return "1"
        rate = Decimal(str(1 / self.invoice_currency_rate))
        return str(rate.quantize(Decimal("0.001")))

    def _l10n_ar_tusfacturas_get_period_values(self):
        """REQUERIDO in the newest field reference, optional only for a point of
        sale configured in TusFacturas as products only: the service dates when
        set, otherwise the invoice date for both."""
        start = self.l10n_ar_afip_service_start
        end = self.l10n_ar_afip_service_end
        if not (start and end):
            if self.journal_id.l10n_ar_tusfacturas_products_only:
                return {}
            start = end = self.invoice_date
        return {
            "periodo_facturado_desde": format_date(start),
            "periodo_facturado_hasta": format_date(end),
        }

    def _l10n_ar_tusfacturas_get_cliente_values(self):
        partner = self.commercial_partner_id
        iva = self._l10n_ar_tusfacturas_iva_condition()
        doc_type, doc_number = partner._l10n_ar_tusfacturas_get_document(iva)
        email = ",".join(email_split(partner.email or ""))
        values = {
            "documento_tipo": doc_type,
            "documento_nro": doc_number,
            # Escapes (#&#, #@#) are documented for descriptions and the general
            # legend only: other texts are sent plain, on one line.
            "razon_social": plain_text(partner.name)[: tables.MAX_TEXT],
            "email": email,
            "domicilio": self._l10n_ar_tusfacturas_get_address(partner),
            "provincia": self._l10n_ar_tusfacturas_get_province(partner, iva),
            "envia_por_mail": (
                "S" if self.company_id.l10n_ar_tusfacturas_send_email and email else "N"
            ),
            "condicion_iva": iva,
            # RG 5616/2024: the condition of this operation, sent explicitly.
            "condicion_iva_operacion": iva,
            "codigo": partner._l10n_ar_tusfacturas_get_code(doc_type, doc_number, iva),
            # RG 5329 FAQ: the customer "sujeto pasible" when it is perceived.
            "rg5329": "S" if self._l10n_ar_tusfacturas_rg5329_taxes() else "N",
        }
        values.update(self._l10n_ar_tusfacturas_get_reminder_values())
        values.update(self._l10n_ar_tusfacturas_get_payment_condition())
        return values

    def _l10n_ar_tusfacturas_get_reminder_values(self):
        """TusFacturas' payment reminder: "N", or "S" with when it starts and
        how often it repeats (the field reference: both "se debe indicar")."""
        company = self.company_id
        if not company.l10n_ar_tusfacturas_reclama_deuda:
            return {"reclama_deuda": "N"}
        return {
            "reclama_deuda": "S",
            "reclama_deuda_dias": max(
                company.l10n_ar_tusfacturas_reclama_deuda_dias, 1
            ),
            "reclama_deuda_repite_dias": max(
                company.l10n_ar_tusfacturas_reclama_deuda_repite_dias, 1
            ),
        }

    @api.model
    def _l10n_ar_tusfacturas_get_address(self, partner):
        parts = [partner.street, partner.street2, partner.city, partner.zip]
        if partner._l10n_ar_tusfacturas_is_abroad():
            parts.append(partner.country_id.name)
        return plain_text(", ".join(p for p in parts if p)) or "-"

    @api.model
    def _l10n_ar_tusfacturas_get_province(self, partner, iva):
        if partner._l10n_ar_tusfacturas_is_abroad():
            return tables.PROVINCE_FOREIGN
        return tables.PROVINCES.get(partner.state_id.code, "26")

    def _l10n_ar_tusfacturas_get_payment_condition(self):
        term = self.invoice_payment_term_id
        days = (
            max(term.line_ids.mapped("nb_days") or [0])
            if term
            else (self.invoice_date_due - self.invoice_date).days
            if self.invoice_date_due
            else 0
        )
        code = tables.PAYMENT_CONDITIONS_BY_DAYS.get(days)
        if code:
            return {"condicion_pago": code}
        label = term.name or self.env._("%(days)s days", days=days)
        return {
            "condicion_pago": tables.PAYMENT_CONDITION_OTHER,
            "condicion_pago_otra": plain_text(label)[:100],
        }

    def _l10n_ar_tusfacturas_get_detalle_values(self, line):
        letter = self.l10n_latam_document_type_id.l10n_ar_letter
        # RG 5329 FAQ: a perceived product goes with "rg5329" and
        # "actualiza_precio" S (the reference: S needs actualiza_precio S).
        rg5329 = "S" if line.tax_ids & self._l10n_ar_tusfacturas_rg5329_taxes() else "N"
        return {
            "cantidad": format_amount(line.quantity),
            "afecta_stock": "N",
            "bonificacion_porcentaje": format_amount(line.discount),
            "producto": {
                # Longer descriptions are refused before sending, never cut.
                "descripcion": encode_text(line.name),
                "unidad_bulto": "1",
                "lista_precios": self._l10n_ar_tusfacturas_price_list(),
                "codigo": self._l10n_ar_tusfacturas_get_product_code(line),
                # Up to 3 decimals (redondeos.md), fitted to Odoo's amounts by
                # _l10n_ar_tusfacturas_fit_prices.
                "precio_unitario_sin_iva": amounts.format_price(
                    self._l10n_ar_tusfacturas_get_unit_price(line, letter)
                ),
                "alicuota": self._l10n_ar_tusfacturas_alicuota(line),
                "unidad_medida": self._l10n_ar_tusfacturas_get_uom_code(line),
                "actualiza_precio": rg5329,
                "rg5329": rg5329,
            },
            "leyenda": "",
        }

    def _l10n_ar_tusfacturas_alicuota(self, line):
        """The line's VAT rate in TusFacturas' table; "0" on letter C (final
        prices, no VAT)."""
        if self.l10n_latam_document_type_id.l10n_ar_letter == "C":
            return "0"
        vat_tax = line.tax_ids.filtered("tax_group_id.l10n_ar_vat_afip_code")[:1]
        return tables.VAT_RATES.get(vat_tax.tax_group_id.l10n_ar_vat_afip_code, "0")

    def _l10n_ar_tusfacturas_price_list(self):
        return self.company_id.l10n_ar_tusfacturas_price_list or "Odoo"

    @api.model
    def _l10n_ar_tusfacturas_get_product_code(self, line):
        """TusFacturas "codigo" (REQUERIDO): the internal reference, else one from
        the product (stable, unique); lines without product share "ODOO"."""
        product = line.product_id
        if product.default_code:
            return product.default_code
        return f"ODOO-{product.id}" if product else "ODOO"

    @api.model
    def _l10n_ar_tusfacturas_get_uom_code(self, line):
        return tables.uom_code(line.product_uom_id.l10n_ar_afip_code)

    def _l10n_ar_tusfacturas_get_unit_price(self, line, letter):
        """Price without VAT for A/B/M/E; final price for C (no VAT shown),
        not rounded (the payload rounds it to 3 decimals).

        Odoo's tax engine on one unit, as ``compute_all`` does it, without
        the accounting data (accounts, tags) that it would load as well; not
        even that when the price is already without VAT.
        """
        taxes = line.tax_ids.filtered("tax_group_id.l10n_ar_vat_afip_code")
        flat = taxes.flatten_taxes_hierarchy()
        if not flat or (letter != "C" and not any(flat.mapped("price_include"))):
            # Nothing to take out of the price (or to add to it).
            return line.price_unit
        engine = self.env["account.tax"]
        base_line = engine._prepare_base_line_for_taxes_computation(
            None,
            partner_id=self.partner_id,
            currency_id=self.currency_id,
            product_id=line.product_id,
            tax_ids=taxes,
            price_unit=line.price_unit,
            quantity=1.0,
        )
        engine._add_tax_details_in_base_line(base_line, self.company_id)
        details = base_line["tax_details"]
        return details[
            "raw_total_included_currency"
            if letter == "C"
            else "raw_total_excluded_currency"
        ]

    def _l10n_ar_tusfacturas_get_tax_values(self):
        if self.l10n_latam_document_type_id.l10n_ar_letter == "E":
            # Export: "tributos" sent empty, internal taxes zero (the pre-send
            # check refuses an E comprobante carrying either).
            return {"tributos": [], "impuestos_internos": "0"}
        tributos, internal, internal_base = [], Decimal(0), Decimal(0)
        for tax_line in self.line_ids.filtered("tax_line_id"):
            tax = tax_line.tax_line_id
            code = tax.tax_group_id.l10n_ar_tribute_afip_code
            amount = Decimal(str(abs(tax_line.amount_currency)))
            if not code:
                continue
            if code == "04":
                internal += amount
                base = self._l10n_ar_tusfacturas_base(tax_line)
                internal_base += Decimal(str(base))
                continue
            regime = tax.l10n_ar_tusfacturas_regime
            base = Decimal(str(self._l10n_ar_tusfacturas_base(tax_line)))
            tributos.append(
                {
                    "tipo": int(tables.PERCEPTION_REGIMES[regime][0]),
                    "regimen": int(regime),
                    "base_imponible": format_amount(base),
                    "alicuota": format_amount(
                        self._l10n_ar_tusfacturas_tributo_rate(tax, amount, base)
                    ),
                    "total": format_amount(amount),
                }
            )
        values = {"tributos": tributos} if tributos else {}
        if internal:
            values["impuestos_internos"] = format_amount(internal)
            values["impuestos_internos_base"] = format_amount(internal_base)
        return values

    @api.model
    def _l10n_ar_tusfacturas_tributo_rate(self, tax, amount, base):
        """A tributo's "alicuota" is a rate (ref: "la alicuota de dicha
        percepcion"). l10n_ar ships perceptions as fixed-amount taxes, whose
        ``amount`` is money: their rate is the one the amounts give."""
        if tax.amount_type == "percent":
            return tax.amount
        return amount / base * 100 if base else Decimal(0)

    def _l10n_ar_tusfacturas_base(self, tax_line):
        """Tax base in the invoice's currency (tax_base_amount is in the company's)."""
        base = abs(tax_line.tax_base_amount)
        if self.currency_id != self.company_id.currency_id:
            base *= self.invoice_currency_rate
        return base

    def _l10n_ar_tusfacturas_get_associated_values(self):
        if not self._l10n_ar_tusfacturas_is_note():
            return {}
        origin = self._l10n_ar_tusfacturas_origin()
        if not origin:
            return {
                "comprobantes_asociados_periodo": {
                    "fecha_desde": format_date(self.l10n_ar_tusfacturas_period_from),
                    "fecha_hasta": format_date(self.l10n_ar_tusfacturas_period_to),
                }
            }
        if self.l10n_latam_document_type_id.l10n_ar_letter == "E":
            return {}  # inside "fex" (see _l10n_ar_tusfacturas_get_fex_values)
        return {
            "comprobantes_asociados": [
                self._l10n_ar_tusfacturas_get_associated_item(origin)
            ]
        }

    @api.model
    def _l10n_ar_tusfacturas_get_associated_item(self, origin):
        """The origin as TusFacturas issued it or, when it was issued before the
        addon or elsewhere, from Odoo's own document type, number and date."""
        if origin.l10n_ar_tusfacturas_state == "authorized":
            tipo = origin.l10n_ar_tusfacturas_type
            pos = origin.l10n_ar_tusfacturas_pos_number
            number = origin.l10n_ar_tusfacturas_number
        else:
            parts = origin._l10n_ar_tusfacturas_get_number_parts()
            tipo = tables.COMPROBANTE_TYPES[origin.l10n_latam_document_type_id.code]
            pos, number = parts["point_of_sale"], parts["invoice_number"]
        return {
            "tipo_comprobante": tipo,
            "punto_venta": pos,
            "numero": number,
            "comprobante_fecha": format_date(origin.invoice_date),
            "cuit": int(origin.company_id.partner_id.ensure_vat()),
        }

    def _l10n_ar_tusfacturas_country_cuit(self):
        partner = self.commercial_partner_id
        if not partner._l10n_ar_tusfacturas_is_abroad():
            # Zona Franca: an Argentine customer, identified by its own CUIT.
            return str(partner._get_id_number_sanitize() or "")
        country = partner.country_id
        return tables.country_cuit(
            country.l10n_ar_natural_vat,
            country.l10n_ar_legal_entity_vat,
            partner.is_company,
        )

    def _l10n_ar_tusfacturas_export_type(self):
        return EXPORT_TYPES_BY_CONCEPT.get(self.l10n_ar_afip_concept, "4")

    def _l10n_ar_tusfacturas_get_fex_values(self):
        if self.l10n_latam_document_type_id.l10n_ar_letter != "E":
            return {}
        export_type = self._l10n_ar_tusfacturas_export_type()
        fex = {
            "tipo_exportacion": export_type,
            "pais_comprobante_id": (
                self.commercial_partner_id.country_id.l10n_ar_afip_code
            ),
            "cliente_pais_cuit": self._l10n_ar_tusfacturas_country_cuit(),
            "incoterms_tipo_id": self.invoice_incoterm_id.code or "",
            "incoterms_nro": "",
        }
        fex.update(self._l10n_ar_tusfacturas_get_permit_values(export_type))
        if export_type in ("2", "4") and not self._l10n_ar_tusfacturas_is_note():
            # Required for Facturas E of services and others only.
            fex["fecha_pago"] = format_date(self.invoice_date_due or self.invoice_date)
        origin = self._l10n_ar_tusfacturas_origin()
        if self._l10n_ar_tusfacturas_is_note() and origin:
            # The docs also say "only for tipo_exportacion 1"; an E note has no
            # period alternative, so the origin is always associated (README).
            fex["comprobantes_asociados"] = [
                self._l10n_ar_tusfacturas_get_associated_item(origin)
            ]
        return {"fex": fex}

    def _l10n_ar_tusfacturas_get_permit_values(self, export_type):
        """Goods: "S" with the permits, or "N"; services: not specified."""
        if export_type != "1":
            return {"permisos_tiene": ""}
        permits = self.l10n_ar_tusfacturas_permit_ids
        if not permits:
            return {"permisos_tiene": "N"}
        return {
            "permisos_tiene": "S",
            "permisos": [
                {
                    "codigo_despacho": permit.name,
                    "pais_destino_id": permit.country_id.l10n_ar_afip_code or "",
                }
                for permit in permits
            ],
        }

    def _l10n_ar_tusfacturas_cbu(self):
        return (self.partner_bank_id.acc_number or "").replace(" ", "")

    def _l10n_ar_tusfacturas_get_rg_especiales_values(self):
        if self.l10n_latam_document_type_id.code not in tables.FCE_CODES:
            return {}
        if self._l10n_ar_tusfacturas_is_note():
            # Notes: only the cancellation flag (AFIP asks no CBU of them).
            datos = [
                {
                    "id": 22,
                    "valor": "S" if self.l10n_ar_tusfacturas_fce_cancellation else "N",
                }
            ]
        else:
            cbu = self._l10n_ar_tusfacturas_cbu()
            datos = [
                # 2101: a 22-digit CBU; 2102: a CBU alias (checked before).
                {"id": 2101 if CBU_RE.match(cbu) else 2102, "valor": cbu},
                {"id": 27, "valor": self.l10n_ar_tusfacturas_fce_transmission or "SCA"},
            ]
        return {"rg_especiales": {"regimen": FCE_REGIME, "datos": datos}}

    def _l10n_ar_tusfacturas_amount_lines(self, comprobante):
        return [
            amounts.Line(
                quantity=Decimal(item["cantidad"]),
                price=Decimal(item["producto"]["precio_unitario_sin_iva"]),
                discount=Decimal(item["bonificacion_porcentaje"]),
                group=item["producto"]["alicuota"],
            )
            for item in comprobante["detalle"]
        ]

    def _l10n_ar_tusfacturas_get_amount_targets(self):
        """Odoo's own base and VAT per alicuota sent, in the invoice's
        currency: what the comprobante must add up to (letter C: one group of
        final amounts)."""
        targets = {}

        def add(group, base=0.0, vat=0.0):
            amount = targets.setdefault(group, [Decimal(0), Decimal(0)])
            amount[0] += amounts.round_cents(Decimal(str(base)))
            amount[1] += amounts.round_cents(Decimal(str(vat)))

        sign = self.direction_sign
        for line in self._l10n_ar_tusfacturas_product_lines():
            add(
                self._l10n_ar_tusfacturas_alicuota(line),
                base=line.amount_currency * sign,
            )
        letter_c = self.l10n_latam_document_type_id.l10n_ar_letter == "C"
        for line in self.line_ids.filtered(
            "tax_line_id.tax_group_id.l10n_ar_vat_afip_code"
        ):
            code = line.tax_line_id.tax_group_id.l10n_ar_vat_afip_code
            group = "0" if letter_c else tables.VAT_RATES.get(code, "0")
            add(group, **{"base" if letter_c else "vat": line.amount_currency * sign})
        return {group: tuple(amount) for group, amount in targets.items()}

    def _l10n_ar_tusfacturas_fit_prices(self, comprobante):
        """Unit prices (3 decimals) with which TusFacturas' per-rate totals
        equal Odoo's (see tusfacturas/amounts.py); refused only where no
        price of one line can reach them."""
        targets = self._l10n_ar_tusfacturas_get_amount_targets()
        lines = self._l10n_ar_tusfacturas_amount_lines(comprobante)
        rows, misfits = amounts.fit_prices(lines, targets)
        if misfits:
            base, vat = targets[misfits[0]]
            raise UserError(
                self.env._(
                    "%(move)s was not sent: TusFacturas and ARCA add up VAT per "
                    "rate from unit prices of at most 3 decimals, and no such "
                    "prices give Odoo's amounts for the %(rate)s lines (taxable "
                    "base %(base)s, VAT %(vat)s).%(hint)s",
                    move=self.display_name,
                    rate=self._l10n_ar_tusfacturas_rate_label(misfits[0]),
                    base=base,
                    vat=vat,
                    hint=self._l10n_ar_tusfacturas_misfit_hint(),
                )
            )
        comprobante["detalle"] = [
            dict(
                item,
                cantidad=format_amount(quantity),
                producto=dict(
                    item["producto"],
                    precio_unitario_sin_iva=amounts.format_price(price),
                ),
            )
            for item, item_rows in zip(comprobante["detalle"], rows, strict=True)
            for quantity, price in item_rows
        ]

    def _l10n_ar_tusfacturas_misfit_hint(self):
        if self.company_id.tax_calculation_rounding_method == "round_per_line":
            return self.env._(
                " This company rounds VAT per line, ARCA per rate: set the "
                "rounding method back to Round Globally (l10n_ar's default, "
                "Invoicing settings) and reset the invoice to draft and confirm "
                "it again."
            )
        return self.env._(
            " Change the price or quantity of one of those lines by a cent and "
            "confirm again."
        )

    @api.model
    def _l10n_ar_tusfacturas_rate_label(self, group):
        labels = {"-1": self.env._("exempt"), "-2": self.env._("not taxed")}
        return labels.get(group) or f"{group} %"

    def _l10n_ar_tusfacturas_check_total(self, comprobante):
        """TusFacturas does not check sums: the addon does, before sending.

        Exactly: ARCA receives only totals and wants ImpTotal to be the sum of
        the parts, so even one cent off is refused there or authorizes a
        total that is not Odoo's (and the QR's)."""
        computed = self._l10n_ar_tusfacturas_compute_payload_total(comprobante)
        declared = Decimal(comprobante["total"])
        if computed != declared:
            raise UserError(
                self.env._(
                    "%(move)s was not sent: its lines and taxes add up to "
                    "%(computed)s for TusFacturas (VAT per rate, rounded half "
                    "even) but the invoice total is %(total)s. Check that every "
                    "tax of the invoice is a VAT, a perception or an internal "
                    "tax with its AFIP code.",
                    move=self.display_name,
                    computed=computed,
                    total=declared,
                )
            )

    def _l10n_ar_tusfacturas_compute_payload_total(self, comprobante):
        lines = self._l10n_ar_tusfacturas_amount_lines(comprobante)
        total = sum(
            (base + vat for base, vat in amounts.group_amounts(lines).values()),
            Decimal(0),
        )
        total += sum(
            (Decimal(t["total"]) for t in comprobante.get("tributos", [])), Decimal(0)
        )
        total += Decimal(comprobante.get("impuestos_internos", "0"))
        return total
