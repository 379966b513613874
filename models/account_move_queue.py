"""Pace and order of the generation requests, and the send queue.

State machine of ``l10n_ar_tusfacturas_state`` (the one place it is written):

============  ==========================================  =====================
from          event                                       to
============  ==========================================  =====================
(none)        posted alone, slot free, sent: CAE          authorized / testing
(none)        posted alone, sent: refused                 (none), back to draft
(none)        sent, answered, then the posting            (none), marked: the next
              transaction rolled back                     attempt adopts it
(none)        posted with others, slot taken, an earlier  queued
              one of its sequence pending, queue journal
queued        the cron (or Send now) sends its lote       sending
sending       answer with a CAE                           authorized / testing
sending       refused                                     error
sending       an earlier one of the lote was refused      queued
sending       maintenance, nothing sent                   queued
sending       timeout, dropped, 5xx, HTML, bad JSON,      unknown
              an ARCA-side failure (no CAE, Cod: 0...)
sending       the worker died (nobody holds the lock)     read as unknown
unknown       Verify / cron: TusFacturas has it (exact    authorized / testing
              external reference, issued, equal fields)
unknown       Verify / cron: it has it queued, failed or  unknown (a person
              differing from the invoice; nothing sent    decides)
unknown       Verify / cron: several issued under its     unknown (a person
              reference                                   decides)
unknown       Verify / cron: TusFacturas does not have it queued (same number),
              (at once: the number travels with the       sent at the CUIT's
              request, a resend cannot issue twice)       pace
queued        resent after a lost answer, refused for     authorized (the first
              its number; looked up again: found          one adopted)
error         Retry (after fixing, or reset to draft and  queued
              confirm again)
============  ==========================================  =====================

Asynchronous points of sale (TusFacturas' queue, account_move_async.py): the
move stays a draft without number until TusFacturas emits it.

=============  =========================================  ====================
from           event                                      to
=============  =========================================  ====================
(none)         confirmed (not E: exports go instant)      async_waiting
async_waiting  the send cron claims the CUIT's slot:      async_sending
               nuevo_encola / lotes_encola (<= 100)
async_waiting  Delete (nothing was sent)                  (none), draft
async_sending  accepted                                   async_queued
async_sending  refused (nothing queued)                   (none), draft
async_sending  maintenance, not connected                 async_waiting
async_sending  timeout, dropped, 5xx, a crash             async_sending (read
                                                          before resending)
async_sending  read by reference: absent                  async_waiting
async_queued   read (poll cron, webhook hint, Verify):    authorized / testing
               emitted, equal to the invoice              (posted, its number)
async_queued   read: failed in the queue                  async_error
async_queued   read: absent (deleted at TusFacturas)      (none), draft
async_queued   read: another date (cambio_fecha)          async_queued, the
                                                          invoice date follows
async_queued   Delete (eliminar_encolado)                 (none), draft
async_error    Re-send (reenviar_encolado), Change date   async_queued
async_error    Delete; read: emitted / absent             as from async_queued
=============  =========================================  ====================

Rules: generation requests of one CUIT are spaced by the company's minimum
(``l10n_ar.tusfacturas.send.slot``); one sender per CUIT at a time (a
session advisory lock); a comprobante is never sent while an earlier one of
its point of sale and document type is queued, being sent, unknown or failed.

Whether TusFacturas may already have a move's comprobante is known without a
request, and asked (``consulta_avanzada``, free of quota) only then. The queue
commits "sending" before its request, so the state tells. A move posted alone
is sent from inside the posting transaction, whose rollback would erase any
state: before its first ``facturacion/nuevo`` an attempt marker is committed
on a connection of its own (``l10n_ar.tusfacturas.attempt``, one row per move,
unique, so workers see each other's at once). A move without a state and
without a marker was never sent: it is sent without asking first. Any other
is looked up by external reference and what is found is adopted.
"""

import logging
import re
from datetime import timedelta
from itertools import zip_longest

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.misc import format_datetime

from ..tusfacturas import (
    BATCH_LIMIT,
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasNotSent,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
)
from ..tusfacturas import afip_tables as tables
from ..tusfacturas.errors import ERROR_TABLE
from .account_move import PENDING_STATES

_logger = logging.getLogger(__name__)

# At most 20 comprobantes per facturacion/lotes (the provider's current page).
LOTE_SIZE = BATCH_LIMIT
# Actions valid in each state (buttons are shown from this table).
VALID_ACTIONS = {
    False: (),
    "queued": ("send_now",),
    "sending": (),
    "unknown": ("verify",),
    "error": ("retry",),
    "authorized": ("download_pdf",),
    "testing": ("download_pdf",),
    # Asynchronous mode: drafts while at TusFacturas' queue.
    "async_waiting": ("async_delete",),
    "async_sending": (),
    "async_queued": ("async_verify", "async_delete", "async_change_date"),
    "async_error": (
        "async_resend",
        "async_change_date",
        "async_delete",
        "async_verify",
    ),
}
ASYNC_STATES = ("async_waiting", "async_sending", "async_queued", "async_error")
# The row a refused lote names: "El comprobante enviado en la fila 1
# (comenzando en 0) ..." (the lotes page).
_ROW_RE = re.compile(r"\bfila (\d+)", re.IGNORECASE)
# When another worker holds a CUIT's sender lock, its queue is looked at
# again after this long (instead of at the next periodic run).
SENDER_BUSY_RETRY = timedelta(minutes=1)
# A lote item that TusFacturas refused to process with the whole lote.
NOT_ISSUED = object()
# Context key: ids of moves that were in Outcome unknown and that a lookup by
# their exact external reference just found absent from TusFacturas.
CHECKED_CONTEXT = "l10n_ar_tusfacturas_checked_absent_ids"


class CheckedAbsent(frozenset):
    """The value of CHECKED_CONTEXT: a type no RPC call can send (JSON has
    none), so a caller cannot skip the lookup before a resend."""


# account.move spans account_move.py (instant sending), this file (pace,
# order, the instant queue) and account_move_async.py (TusFacturas' queue):
# three subjects, each already long.
class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    l10n_ar_tusfacturas_queued_at = fields.Datetime(
        string="Queued at", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_send_after = fields.Datetime(
        string="To be sent from",
        copy=False,
        readonly=True,
        help="When it may be sent (again), at the earliest: when TusFacturas' "
        "spacing rule lets this CUIT send, or, after an answer was lost, when "
        "TusFacturas has had the time to process that request.",
    )
    l10n_ar_tusfacturas_blocked_by_id = fields.Many2one(
        "account.move",
        string="Waiting for",
        copy=False,
        readonly=True,
        help="An earlier comprobante of the same point of sale and type that "
        "must be authorized first.",
    )
    l10n_ar_tusfacturas_can_send_now = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_actions"
    )
    l10n_ar_tusfacturas_can_verify = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_actions"
    )
    l10n_ar_tusfacturas_can_retry = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_actions"
    )

    @api.depends("l10n_ar_tusfacturas_state", "state")
    def _compute_l10n_ar_tusfacturas_actions(self):
        """``l10n_ar_tusfacturas_can_<action>``, for every such field, from
        VALID_ACTIONS (the button of an action is shown from its field)."""
        prefix = "l10n_ar_tusfacturas_can_"
        names = [name for name in self._fields if name.startswith(prefix)]
        for move in self:
            actions = move._l10n_ar_tusfacturas_get_valid_actions()
            for name in names:
                move[name] = name.removeprefix(prefix) in actions

    def _l10n_ar_tusfacturas_get_valid_actions(self):
        """The TusFacturas actions that make sense in this move's state."""
        self.ensure_one()
        if self.state != "posted" and (
            self.state != "draft" or self.l10n_ar_tusfacturas_state not in ASYNC_STATES
        ):
            return ()
        return VALID_ACTIONS.get(self.l10n_ar_tusfacturas_state, ())

    def _l10n_ar_tusfacturas_action_labels(self):
        return {
            "send_now": self.env._("Send now"),
            "verify": self.env._("Verify with TusFacturas"),
            "retry": self.env._("Retry sending"),
            "download_pdf": self.env._("Download official PDF"),
            "async_verify": self.env._("Verify with TusFacturas"),
            "async_resend": self.env._("Re-send"),
            "async_delete": self.env._("Delete from TusFacturas' queue"),
            "async_change_date": self.env._("Change date"),
        }

    def _l10n_ar_tusfacturas_with_action(self, action):
        """``self``, where VALID_ACTIONS allows ``action`` in every move's
        state; otherwise nothing is done and the user is told what is valid
        (an action never silently does nothing, e.g. called through RPC or
        on a list selection). Write access first: a reader or a portal user
        spends none of the company's requests."""
        self.check_access("write")
        invalid = self.filtered(
            lambda m: action not in m._l10n_ar_tusfacturas_get_valid_actions()
        )
        if not invalid:
            return self
        labels = self._l10n_ar_tusfacturas_action_labels()
        lines = []
        for move in invalid:
            valid = move._l10n_ar_tusfacturas_get_valid_actions()
            lines.append(
                self.env._(
                    "%(move)s (%(state)s): %(valid)s",
                    move=move._l10n_ar_tusfacturas_label(),
                    state=move._l10n_ar_tusfacturas_state_label()
                    or self.env._("not sent to TusFacturas"),
                    valid=", ".join(labels[a] for a in valid)
                    or self.env._("nothing to do with TusFacturas now"),
                )
            )
        raise UserError(
            self.env._(
                "%(action)s does not apply to these invoices; what applies to "
                "each:\n%(lines)s",
                action=labels[action],
                lines="\n".join(lines),
            )
        )

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------

    def action_l10n_ar_tusfacturas_send_now(self):
        """Ask the queue cron to run at the next free slot of each CUIT, and
        say at once from when (the answer of the click, not a bus message)."""
        queued = self._l10n_ar_tusfacturas_with_action("send_now")
        queued._l10n_ar_tusfacturas_enqueue(notify=False)
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                **queued._l10n_ar_tusfacturas_queued_notification(),
                "next": {"type": "ir.actions.client", "tag": "soft_reload"},
            },
        }

    def action_l10n_ar_tusfacturas_retry(self):
        self._l10n_ar_tusfacturas_with_action("retry")._l10n_ar_tusfacturas_enqueue()
        return True

    def _l10n_ar_tusfacturas_verify_unknown(self):
        """Resolve unknown outcomes, then send (or queue) what is not there.
        Returns what could not be looked up (TusFacturas down): what was
        adopted meanwhile is kept."""
        unknown = self.filtered(lambda m: m.l10n_ar_tusfacturas_state == "unknown")
        absent = unknown.browse()
        failures = []
        for move in unknown:
            try:
                if move._l10n_ar_tusfacturas_resolve(raise_errors=True):
                    absent |= move
            except UserError as error:
                if len(unknown) == 1:
                    raise
                failures.append(str(error))
        absent._l10n_ar_tusfacturas_checked_absent()._l10n_ar_tusfacturas_dispatch()
        return failures

    def _l10n_ar_tusfacturas_checked_absent(self):
        """``self`` (just found absent by exact reference), marked so in the
        context: no second lookup before sending, and a numbering refusal
        warns that ARCA may hold the number."""
        checked = CheckedAbsent(self._l10n_ar_tusfacturas_checked_ids() | set(self.ids))
        return self.with_context(**{CHECKED_CONTEXT: checked})

    def _l10n_ar_tusfacturas_checked_ids(self):
        """The ids this addon found absent (never ids an RPC call names)."""
        checked = self.env.context.get(CHECKED_CONTEXT)
        return checked if isinstance(checked, CheckedAbsent) else frozenset()

    def _l10n_ar_tusfacturas_was_unknown(self):
        self.ensure_one()
        return self.id in self._l10n_ar_tusfacturas_checked_ids()

    # ------------------------------------------------------------------
    # After posting: send now or queue
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_dispatch(self):
        """Send a lone invoice at once when its CUIT's slot is free and nothing
        earlier of its sequence is pending; queue everything else."""
        if (
            len(self) == 1
            and self._l10n_ar_tusfacturas_may_send_alone()
            and self._l10n_ar_tusfacturas_send_alone()
        ):
            return
        self._l10n_ar_tusfacturas_enqueue()

    def _l10n_ar_tusfacturas_may_send_alone(self):
        self.ensure_one()
        return (
            self.journal_id.l10n_ar_tusfacturas_send_mode != "queue"
            and not self._l10n_ar_tusfacturas_blocking_predecessor()
        )

    def _l10n_ar_tusfacturas_send_alone(self):
        """Transmit now if this CUIT's slot can be claimed; False otherwise."""
        company = self.company_id
        key = company._l10n_ar_tusfacturas_cuit_key()
        slots = self.env["l10n_ar.tusfacturas.send.slot"].sudo()
        with slots._sender_lock(key) as locked:
            if not locked:
                return False
            if slots._claim(key, company.l10n_ar_tusfacturas_spacing):
                return False
            if self.l10n_ar_tusfacturas_state == "queued":
                # Already numbered and known not to be at TusFacturas.
                self._l10n_ar_tusfacturas_send_lote()
                return True
            self._l10n_ar_tusfacturas_transmit()
        if self.l10n_ar_tusfacturas_state == "unknown":
            self._l10n_ar_tusfacturas_notify_failure()
        return True

    def _l10n_ar_tusfacturas_blocking_predecessor(self):
        """The earliest move of the same sequence that is not done yet."""
        self.ensure_one()
        return self.search(
            [
                ("journal_id", "=", self.journal_id.id),
                (
                    "l10n_latam_document_type_id",
                    "=",
                    self.l10n_latam_document_type_id.id,
                ),
                ("sequence_prefix", "=", self.sequence_prefix),
                ("sequence_number", "<", self.sequence_number),
                ("l10n_ar_tusfacturas_state", "in", PENDING_STATES),
                ("state", "!=", "cancel"),
                ("id", "!=", self.id),
            ],
            order="sequence_number",
            limit=1,
        )

    def _l10n_ar_tusfacturas_enqueue(self, notify=True):
        """Queued with their Odoo numbers; the cron sends them in lotes."""
        if not self:
            return
        now = fields.Datetime.now()
        slots = self.env["l10n_ar.tusfacturas.send.slot"].sudo()
        for company, moves in self.grouped("company_id").items():
            free_at = slots._free_at(
                company._l10n_ar_tusfacturas_cuit_key(),
                company.l10n_ar_tusfacturas_spacing,
            )
            for move in moves:
                move._l10n_ar_tusfacturas_write(
                    move._l10n_ar_tusfacturas_queued_values(free_at, now)
                )
            self._l10n_ar_tusfacturas_trigger_queue(free_at)
        if notify:
            self._l10n_ar_tusfacturas_notify_queued()

    def _l10n_ar_tusfacturas_notify_queued(self):
        """Tell the user at once, in the web client, what was queued and when."""
        self.env.user._bus_send(
            "simple_notification", self._l10n_ar_tusfacturas_queued_notification()
        )

    def _l10n_ar_tusfacturas_queued_notification(self):
        first = min(self.mapped("l10n_ar_tusfacturas_send_after"))
        return {
            "type": "info",
            "title": self.env._("Queued for TusFacturas"),
            "message": self.env._(
                "%(count)s invoice(s) queued; TusFacturas sends them in lotes "
                "from %(when)s, in number order. See %(menu)s.",
                count=len(self),
                when=format_datetime(self.env, first, dt_format="short"),
                menu=self.env.ref(
                    "l10n_ar_tusfacturas.menu_l10n_ar_tusfacturas_queue"
                )._l10n_ar_tusfacturas_path(),
            ),
        }

    def _l10n_ar_tusfacturas_queued_values(self, free_at, now):
        blocker = self._l10n_ar_tusfacturas_blocking_predecessor()
        return {
            "l10n_ar_tusfacturas_state": "queued",
            "l10n_ar_tusfacturas_queued_at": (
                self.l10n_ar_tusfacturas_queued_at or now
            ),
            "l10n_ar_tusfacturas_send_after": free_at,
            "l10n_ar_tusfacturas_blocked_by_id": blocker.id,
            "l10n_ar_tusfacturas_external_reference": (
                self._l10n_ar_tusfacturas_get_external_reference()
            ),
            "l10n_ar_tusfacturas_message": self._l10n_ar_tusfacturas_queued_message(
                free_at, blocker
            ),
        }

    def _l10n_ar_tusfacturas_queued_message(self, free_at, blocker=None):
        when = format_datetime(self.env, free_at, dt_format="short")
        if blocker:
            return self.env._(
                "Queued: %(move)s waits for %(blocker)s (same point of sale and "
                "type), which must be authorized first. Earliest sending: %(when)s.",
                move=self.display_name,
                blocker=blocker.display_name,
                when=when,
            )
        return self.env._(
            "Queued: %(move)s will be sent to TusFacturas in a lote from %(when)s "
            "(generation requests of a CUIT are spaced to avoid AFIP blocking it).",
            move=self.display_name,
            when=when,
        )

    def _l10n_ar_tusfacturas_outside_grace(self, cron):
        """``self`` without the moves still in their grace (LOST_ANSWER_GRACE):
        those are looked up once it is over, when ``cron`` wakes up for the
        first of them, not at every run before."""
        in_grace = self.filtered(lambda m: m._l10n_ar_tusfacturas_in_grace())
        if in_grace:
            self._l10n_ar_tusfacturas_trigger_queue(
                in_grace._l10n_ar_tusfacturas_grace_end(), cron=cron
            )
        return self - in_grace

    @api.model
    def _l10n_ar_tusfacturas_trigger_queue(self, at=None, cron="ir_cron_send_queue"):
        cron = self.env.ref(f"l10n_ar_tusfacturas.{cron}", raise_if_not_found=False)
        if at and at.microsecond:
            # Triggers keep whole seconds: never wake before the slot is free.
            at = at.replace(microsecond=0) + timedelta(seconds=1)
        if cron:
            cron.sudo()._trigger(at=at)

    # ------------------------------------------------------------------
    # The queue cron: one generation request per CUIT and spacing interval
    # ------------------------------------------------------------------

    @api.model
    def _cron_l10n_ar_tusfacturas_send_queue(self):
        """Every company's queue: the cron user need not belong to them all."""
        queue = self.sudo()
        pending = queue.search(
            [
                ("l10n_ar_tusfacturas_state", "in", PENDING_STATES),
                ("state", "=", "posted"),
            ]
        )
        done = 0
        by_cuit = pending.company_id.grouped(
            lambda c: c._l10n_ar_tusfacturas_cuit_key()
        )
        slots = self.env["l10n_ar.tusfacturas.send.slot"].sudo()
        for key, companies in by_cuit.items():
            with slots._sender_lock(key) as locked:
                if not locked:
                    # Another worker sends for this CUIT (an instant posting,
                    # another cron run): this queue is looked at again soon.
                    self._l10n_ar_tusfacturas_trigger_queue(
                        fields.Datetime.now() + SENDER_BUSY_RETRY
                    )
                    continue
                queue._l10n_ar_tusfacturas_commit()  # a fresh snapshot
                waiting = pending.filtered(lambda m, c=companies: m.company_id in c)
                writer = queue._l10n_ar_tusfacturas_in_users_language(waiting)
                try:
                    done += writer._l10n_ar_tusfacturas_process_cuit(key, companies)
                except Exception as error:  # whatever it is, the other CUITs go on
                    writer._l10n_ar_tusfacturas_cuit_failed(waiting, error)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return done

    def _l10n_ar_tusfacturas_in_users_language(self, moves):
        """``self`` in the language of the people ``moves`` belong to (their
        salesperson, else who created them, else their company): what a cron
        or a webhook writes on invoices is read by them, not in the server's
        language."""
        move = moves[:1]
        user = move.invoice_user_id or move.create_uid
        lang = user.lang or move.company_id.partner_id.lang
        return self.with_context(lang=lang) if lang else self

    def _l10n_ar_tusfacturas_cuit_failed(self, waiting, error):
        """One CUIT's failure (its credentials removed, a bug) stops no other
        CUIT's run, nor the cron (Odoo 18 deactivates a cron that keeps
        failing): what was not committed is undone, the failure is logged and
        shown on its waiting invoices, and the next run tries again."""
        if self._can_commit():
            self.env.cr.rollback()
        _logger.warning(
            "TusFacturas queue: CUIT of %s not processed: %s",
            ", ".join(waiting.company_id.mapped("name")),
            error,
            exc_info=not isinstance(error, UserError),
        )
        reason = str(error) if isinstance(error, UserError) else repr(error)
        waiting.exists().filtered(
            lambda m: m.l10n_ar_tusfacturas_state in ("queued", "async_waiting")
        )._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_message": self.env._(
                    "Not sent: %(reason)s It is tried again at the next run.",
                    reason=reason,
                )
            }
        )
        self._l10n_ar_tusfacturas_commit()

    @api.model
    def _l10n_ar_tusfacturas_pending_moves(self, companies):
        """Pending moves in number order; drafts (reset from the queue) are
        included because they block their sequence."""
        return self.search(
            [
                ("company_id", "in", companies.ids),
                ("l10n_ar_tusfacturas_state", "in", PENDING_STATES),
                ("state", "!=", "cancel"),
            ],
            order="journal_id, l10n_latam_document_type_id, sequence_number, id",
        )

    @api.model
    def _l10n_ar_tusfacturas_process_cuit(self, key, companies):
        """Verify what is unknown (free of quota), then send one lote."""
        moves = self._l10n_ar_tusfacturas_pending_moves(companies)
        unsure = moves.filtered(
            lambda m: (
                m.l10n_ar_tusfacturas_state in ("unknown", "sending")
                and m.state == "posted"
            )
        )
        absent = moves.browse()
        for move in unsure:
            if move._l10n_ar_tusfacturas_resolve():
                absent |= move
            self._l10n_ar_tusfacturas_commit()
        moves = absent._l10n_ar_tusfacturas_checked_absent().browse(moves.ids)
        moves = moves.filtered(lambda m: m.l10n_ar_tusfacturas_state in PENDING_STATES)
        queued = moves.filtered(
            lambda m: m.l10n_ar_tusfacturas_state == "queued" and m.state == "posted"
        )
        if not queued:
            return len(unsure)
        spacing = queued.company_id[:1].l10n_ar_tusfacturas_spacing
        slots = self.env["l10n_ar.tusfacturas.send.slot"].sudo()
        # Claimed first, the lote chosen after: the request leaves as soon as
        # the slot is free.
        free_at = slots._claim(key, spacing)
        if free_at:
            queued._l10n_ar_tusfacturas_write(
                {"l10n_ar_tusfacturas_send_after": free_at}
            )
            self._l10n_ar_tusfacturas_trigger_queue(free_at)
            return len(unsure)
        lote = moves._l10n_ar_tusfacturas_next_lote()
        if not lote:
            slots._release(key, spacing)  # every sequence waits: nothing sent
            return len(unsure)
        lote._l10n_ar_tusfacturas_send_lote()
        if (moves - lote).filtered(
            lambda m: m.l10n_ar_tusfacturas_state == "queued"
        ) or lote.filtered(lambda m: m.l10n_ar_tusfacturas_state == "queued"):
            self._l10n_ar_tusfacturas_trigger_queue(slots._free_at(key, spacing))
        return len(unsure) + len(lote)

    def _l10n_ar_tusfacturas_next_lote(self):
        """The next generation request: consecutive queued moves of the oldest
        sequence whose earlier numbers are all done (same type, ascending
        numbers and dates, at most 20; E and FCE alone)."""
        candidates = []
        for _seq, moves in self.grouped(
            lambda m: (m.journal_id, m.l10n_latam_document_type_id)
        ).items():
            lote = moves._l10n_ar_tusfacturas_sequence_head()
            if lote:
                candidates.append(lote)
        if not candidates:
            return self.browse()
        return min(candidates, key=lambda lote: lote[0]._l10n_ar_tusfacturas_age())

    def _l10n_ar_tusfacturas_age(self):
        return (
            self.l10n_ar_tusfacturas_queued_at or fields.Datetime.now(),
            self.id,
        )

    def _l10n_ar_tusfacturas_sequence_head(self):
        """Within one sequence (self, in number order): the queued moves that
        may go now, or nothing when an earlier one blocks the sequence."""
        lote = self.browse()
        blocker = self.filtered(
            lambda m: m.l10n_ar_tusfacturas_state != "queued" or m.state != "posted"
        )[:1]
        for move in self:
            if move == blocker:
                break
            if lote and not lote._l10n_ar_tusfacturas_may_join(move):
                break
            lote |= move
        if blocker and not lote:
            self._l10n_ar_tusfacturas_mark_blocked(blocker)
        return lote

    def _l10n_ar_tusfacturas_may_join(self, move):
        """May ``move`` follow the lote ``self`` in one facturacion/lotes?"""
        last = self[-1]
        return (
            len(self) < LOTE_SIZE
            and not self._l10n_ar_tusfacturas_goes_alone()
            and not move._l10n_ar_tusfacturas_goes_alone()
            and move.sequence_number == last.sequence_number + 1
            and move.invoice_date >= last.invoice_date
        )

    def _l10n_ar_tusfacturas_goes_alone(self):
        """Export (E) and MiPyME credit (FCE) comprobantes are not allowed in
        lotes: they go one by one through facturacion/nuevo."""
        return any(
            move.l10n_latam_document_type_id.l10n_ar_letter == "E"
            or move.l10n_latam_document_type_id.code in tables.FCE_CODES
            for move in self
        )

    def _l10n_ar_tusfacturas_mark_blocked(self, blocker):
        waiting = (self - blocker).filtered(
            lambda m: (
                m.l10n_ar_tusfacturas_state == "queued"
                and m.l10n_ar_tusfacturas_blocked_by_id != blocker
            )
        )
        for move in waiting:
            move._l10n_ar_tusfacturas_write(
                {
                    "l10n_ar_tusfacturas_blocked_by_id": blocker.id,
                    "l10n_ar_tusfacturas_message": (
                        move._l10n_ar_tusfacturas_queued_message(
                            move.l10n_ar_tusfacturas_send_after
                            or fields.Datetime.now(),
                            blocker,
                        )
                    ),
                }
            )

    # ------------------------------------------------------------------
    # Sending a lote and applying its answer comprobante by comprobante
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_send_lote(self):
        """One generation request for ``self`` (slot already claimed)."""
        lote = self._l10n_ar_tusfacturas_lock_for_sending()
        payloads = lote._l10n_ar_tusfacturas_lote_payloads()
        lote = lote[: len(payloads)]
        if not lote:
            return
        client = lote[0]._l10n_ar_tusfacturas_client()
        with client:
            try:
                lote, payloads = lote._l10n_ar_tusfacturas_adopt_issued(
                    client, payloads
                )
            except TusFacturasError as error:
                lote._l10n_ar_tusfacturas_back_to_queue(error)
                return
            if lote:
                lote._l10n_ar_tusfacturas_request_and_apply(client, payloads)

    def _l10n_ar_tusfacturas_request_and_apply(self, client, payloads):
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "sending",
                "l10n_ar_tusfacturas_blocked_by_id": False,
                # Numbered: if the answer is lost, it is looked up and sent
                # again at once (see _l10n_ar_tusfacturas_set_unknown).
                "l10n_ar_tusfacturas_send_after": False,
                "l10n_ar_tusfacturas_message": self.env._("Being sent to TusFacturas."),
            }
        )
        # Committed before the request: if this worker dies, the next run
        # finds "sending" nobody holds and asks TusFacturas before resending.
        self._l10n_ar_tusfacturas_commit()
        self._l10n_ar_tusfacturas_stamp_slot()
        try:
            results = self._l10n_ar_tusfacturas_request(client, payloads)
        except (TusFacturasMaintenance, TusFacturasNotSent) as error:
            self._l10n_ar_tusfacturas_back_to_queue(error)
            return
        except TusFacturasOutcomeUnknown as error:
            self._l10n_ar_tusfacturas_set_lote_unknown(error)
            return
        except TusFacturasRejected as error:
            results = self._l10n_ar_tusfacturas_split_refusal(error)
        self._l10n_ar_tusfacturas_apply_results(client, results)

    def _l10n_ar_tusfacturas_stamp_slot(self):
        """Every generation request calls this as it leaves: AFIP counts the
        spacing between arrivals, and preparing a request after its claim
        (a lote, a queue batch) takes time."""
        self.env["l10n_ar.tusfacturas.send.slot"].sudo()._stamp(
            self.company_id[:1]._l10n_ar_tusfacturas_cuit_key()
        )

    def _l10n_ar_tusfacturas_adopt_issued(self, client, payloads):
        """Before a generation request, what TusFacturas already has with these
        numbers (an answer lost, a transaction rolled back) is adopted, never
        sent again: one query by type, point of sale and numbers (free of
        quota). Moves just found absent by their exact external reference are
        not asked again (that lookup answered it; a number taken by another
        reference is refused by TusFacturas, nothing issued). An exact
        reference is adopted through the one adoption path (``_adopt``).
        Returns the moves and payloads still to send."""
        if all(move._l10n_ar_tusfacturas_was_unknown() for move in self):
            return self, payloads
        numbers = [p["comprobante"]["numero"] for p in payloads]
        head = payloads[0]["comprobante"]
        found = client.search_comprobantes(
            tipo=head["tipo"],
            punto_venta=head["punto_venta"],
            numero_desde=min(numbers),
            numero_hasta=max(numbers),
        )
        by_number = {c.numero: c for c in found if c.numero}
        todo = self.browse()
        for move, payload in zip(self, payloads, strict=True):
            comprobante = by_number.get(payload["comprobante"]["numero"])
            if comprobante is None:
                todo |= move
                continue
            if (
                comprobante.external_reference
                == payload["comprobante"]["external_reference"]
            ):
                move._l10n_ar_tusfacturas_adopt(client, comprobante, payload)
                self._l10n_ar_tusfacturas_commit()
                if move.l10n_ar_tusfacturas_state != "unknown":
                    continue  # adopted; held unknown blocks the rest below
            else:
                move._l10n_ar_tusfacturas_set_error(
                    move._l10n_ar_tusfacturas_number_taken_message(comprobante)
                )
            later = self.filtered(
                lambda m, move=move: m.sequence_number > move.sequence_number
            )
            later._l10n_ar_tusfacturas_back_to_queue(None, blocker=move)
            break
        return todo, [p for m, p in zip(self, payloads, strict=True) if m in todo]

    def _l10n_ar_tusfacturas_number_taken_message(self, comprobante):
        """Told as a numbering refusal is (the answers' hint and warning)."""
        head = self.env._(
            "%(move)s was not sent: TusFacturas already has %(number)s with "
            "another external reference (issued outside Odoo?).",
            move=self.display_name,
            number=comprobante.document_number,
        )
        hints = [rule.hint for rule in ERROR_TABLE if rule.key == "numbering"]
        lines = [head, *self._l10n_ar_tusfacturas_hint_lines(hints)]
        if self._l10n_ar_tusfacturas_was_unknown():
            lines.append(self._l10n_ar_tusfacturas_arca_may_hold_warning())
        return "\n".join(lines)

    def _l10n_ar_tusfacturas_lock_for_sending(self):
        """Lock the rows (as l10n_vn_edi_viettel does) so that no other
        transaction changes or sends them meanwhile; keep the locked prefix."""
        locked = self._l10n_ar_tusfacturas_lock_rows()
        lote = self.browse()
        for move in self:
            if move not in locked:
                break
            lote |= move
        return lote.filtered(lambda m: m.l10n_ar_tusfacturas_state == "queued")

    def _l10n_ar_tusfacturas_lock_rows(self, states=None):
        """The moves of ``self`` this transaction could lock (``FOR UPDATE
        SKIP LOCKED``), read again, that are in ``states`` (any when None)."""
        if not self:
            return self
        self.env.cr.execute(
            "SELECT id FROM account_move WHERE id IN %s FOR UPDATE SKIP LOCKED",
            [tuple(self.ids)],
        )
        locked = {row[0] for row in self.env.cr.fetchall()}
        self.invalidate_recordset()
        return self.filtered(
            lambda m: (
                m.id in locked
                and (states is None or m.l10n_ar_tusfacturas_state in states)
            )
        )

    def _l10n_ar_tusfacturas_lote_payloads(self):
        """Payloads in order; a move that cannot be built stops the lote there."""
        payloads = []
        for move in self:
            # Checked again: a customer or product may have changed since.
            errors = move._l10n_ar_tusfacturas_get_errors()
            try:
                if errors:
                    move._l10n_ar_tusfacturas_raise_if_invalid()
                payloads.append(move._l10n_ar_tusfacturas_prepare_payload())
            except UserError as error:
                move._l10n_ar_tusfacturas_set_error(str(error))
                move._l10n_ar_tusfacturas_block_later()
                break
        return payloads

    def _l10n_ar_tusfacturas_block_later(self):
        later = self.search(
            [
                ("journal_id", "=", self.journal_id.id),
                ("sequence_prefix", "=", self.sequence_prefix),
                ("sequence_number", ">", self.sequence_number),
                ("l10n_ar_tusfacturas_state", "=", "queued"),
            ]
        )
        later._l10n_ar_tusfacturas_mark_blocked(self)

    def _l10n_ar_tusfacturas_request(self, client, payloads):
        if len(self) == 1:
            try:
                return [client.issue(payloads[0])]
            except TusFacturasMaintenance:
                raise
            except TusFacturasRejected as error:
                return [error]
        return client.issue_batch(payloads)

    def _l10n_ar_tusfacturas_split_refusal(self, error):
        """A refused lote (nothing issued): the rows it names are the refused
        ones, or the first one when it names none."""
        rows = {
            int(index)
            for message in error.messages
            for index in _ROW_RE.findall(message)
        } or {0}
        first = min(rows)
        return [error if index == first else NOT_ISSUED for index in range(first + 1)]

    def _l10n_ar_tusfacturas_apply_results(self, client, results):
        """Comprobante by comprobante, each CAE committed as soon as it is
        stored. After a refusal the rest of the lote was refused too (AFIP's
        rule): they go back to the queue behind the refused one."""
        refused = stopped = None
        results = list(results)
        for move, result in zip_longest(self, results[: len(self)]):
            if stopped:
                move._l10n_ar_tusfacturas_back_to_queue(None, blocker=refused)
            elif result is NOT_ISSUED:
                move._l10n_ar_tusfacturas_back_to_queue(None)
            elif isinstance(result, TusFacturasOutcomeUnknown):
                # ARCA failed on its side (the answers' rule): it may hold a
                # CAE, so it is verified before anything is sent again.
                move._l10n_ar_tusfacturas_set_lote_unknown(result)
            elif isinstance(result, TusFacturasError):
                stopped = True
                was_unknown = move._l10n_ar_tusfacturas_was_unknown()
                if not move._l10n_ar_tusfacturas_adopt_after_refusal(
                    result, was_unknown
                ):
                    refused = move
                    move._l10n_ar_tusfacturas_set_error(
                        move._l10n_ar_tusfacturas_refusal_message(result, was_unknown)
                    )
            elif result is None:
                move._l10n_ar_tusfacturas_set_lote_unknown(None)
            else:
                move._l10n_ar_tusfacturas_apply(client, result)
            self._l10n_ar_tusfacturas_commit()

    def _l10n_ar_tusfacturas_back_to_queue(self, error, blocker=None):
        free_at = fields.Datetime.now()
        for move in self:
            values = move._l10n_ar_tusfacturas_queued_values(free_at, free_at)
            if blocker:
                values["l10n_ar_tusfacturas_blocked_by_id"] = blocker.id
                values["l10n_ar_tusfacturas_message"] = (
                    move._l10n_ar_tusfacturas_queued_message(free_at, blocker)
                )
            elif error is not None:
                values["l10n_ar_tusfacturas_message"] = self.env._(
                    "Not sent (%(reason)s); it stays queued and is sent at the "
                    "next free slot.",
                    reason=error,
                )
            move._l10n_ar_tusfacturas_write(values)
        self._l10n_ar_tusfacturas_commit()

    def _l10n_ar_tusfacturas_set_lote_unknown(self, error):
        for move in self:
            move._l10n_ar_tusfacturas_set_unknown(
                error
                or self.env._("TusFacturas' answer did not mention this comprobante")
            )
            move._l10n_ar_tusfacturas_notify_failure()
        self._l10n_ar_tusfacturas_commit()

    def _l10n_ar_tusfacturas_set_error(self, message):
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "error",
                "l10n_ar_tusfacturas_message": message,
                "l10n_ar_tusfacturas_blocked_by_id": False,
            }
        )
        self.message_post(body=message)
        self._l10n_ar_tusfacturas_notify_failure()

    def _l10n_ar_tusfacturas_notify_failure(self):
        """An activity for whoever is responsible for the invoice."""
        for move in self:
            user = move.invoice_user_id or move.create_uid
            move.activity_schedule(
                "mail.mail_activity_data_warning",
                user_id=user.id,
                summary=self.env._("TusFacturas: not authorized"),
                note=move.l10n_ar_tusfacturas_message,
            )

    # ------------------------------------------------------------------
    # Resolving unknown outcomes (consulta_avanzada, free of quota)
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_resolve(self, raise_errors=False):
        """Adopt the comprobante TusFacturas has under this move's exact
        external reference through the one adoption path (``_adopt``: issued,
        not queued, and equal to the invoice, or it stays unknown), or queue
        it again (same number) when it has none: then True. Never a
        generation request."""
        self.ensure_one()
        client = self._l10n_ar_tusfacturas_client()
        with client:
            try:
                comprobante = client.find_by_external_reference(
                    self._l10n_ar_tusfacturas_get_external_reference()
                )
            except TusFacturasError as error:
                if raise_errors:
                    self._l10n_ar_tusfacturas_raise_not_sent(error)
                _logger.warning("TusFacturas: %s still unknown: %s", self.name, error)
                if self.l10n_ar_tusfacturas_state == "sending":
                    self._l10n_ar_tusfacturas_set_unknown(error)
                return
            if comprobante:
                payload = self._l10n_ar_tusfacturas_prepare_payload()
                self._l10n_ar_tusfacturas_adopt(client, comprobante, payload)
                return False
        now = fields.Datetime.now()
        self._l10n_ar_tusfacturas_write(
            self._l10n_ar_tusfacturas_queued_values(now, now)
        )
        return True

    @api.model
    def _l10n_ar_tusfacturas_commit(self):
        """Keep what is known (a CAE, a "sending" mark) whatever happens next;
        never inside tests."""
        if self._can_commit():
            self.env.cr.commit()  # pylint: disable=invalid-commit
