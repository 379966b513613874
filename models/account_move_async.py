"""Asynchronous mode: TusFacturas' own queue (``nuevo_encola``/``lotes_encola``).

A second file of ``account.move`` on purpose (DESIGN.md asks one file per
model): account_move_queue.py already holds the instant queue, whose pace and
order rules are not those of TusFacturas' queue; the transitions of both are
written once, in account_move_queue.py's table.

The move stays a *draft* (no Odoo number) from the confirmation until
TusFacturas emits it: TusFacturas numbers queued comprobantes when it emits
them (``numero`` 0), so the Odoo number is taken from TusFacturas' answer at
that moment and the move is posted then; it never holds a number TusFacturas
could give to another comprobante, and a comprobante deleted from the queue
leaves no gap. While the comprobante is at TusFacturas, what was sent cannot
be edited, confirmed again, cancelled or deleted in Odoo.
"""

import logging
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from ..tusfacturas import (
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasNotSent,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
)
from ..tusfacturas.client import QUEUED_BATCH_LIMIT
from .account_move import INTERNAL, LOST_ANSWER_GRACE, SENT_FIELDS, is_internal
from .account_move_queue import ASYNC_STATES, SENDER_BUSY_RETRY

_logger = logging.getLogger(__name__)

# States in which TusFacturas may hold the comprobante.
AT_TUSFACTURAS = ("async_sending", "async_queued", "async_error")
# Context key: the move is posted because TusFacturas emitted it.
EMITTED_CONTEXT = "l10n_ar_tusfacturas_emitted"
# Context key: writing the values TusFacturas decided (its date).
ASYNC_WRITE_CONTEXT = "l10n_ar_tusfacturas_async_write"
# The polling cron: at most this many lookups per run (then it runs again
# at once, _notify_progress), each comprobante at most every POLL_EVERY
# unless a webhook asks for it.
POLL_PAGE = 50
POLL_EVERY = timedelta(minutes=5)


class AccountMove(models.Model):
    _inherit = "account.move"  # pylint: disable=consider-merging-classes-inherited

    l10n_ar_tusfacturas_state = fields.Selection(
        selection_add=[
            ("async_waiting", "To be queued at TusFacturas"),
            ("async_sending", "Being queued at TusFacturas"),
            ("async_queued", "In TusFacturas' queue"),
            ("async_error", "Failed in TusFacturas' queue"),
        ],
        ondelete={
            "async_waiting": "set null",
            "async_sending": "set null",
            "async_queued": "set null",
            "async_error": "set null",
        },
    )
    l10n_ar_tusfacturas_webhook_note = fields.Text(
        string="TusFacturas notification",
        copy=False,
        readonly=True,
        help="What TusFacturas' last error notification (webhook) said of this "
        "comprobante. Webhooks are not signed: information only, the status "
        "comes from reading the comprobante at TusFacturas.",
    )
    l10n_ar_tusfacturas_async_checked_at = fields.Datetime(
        string="Last read from TusFacturas' queue", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_can_async_verify = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_actions"
    )
    l10n_ar_tusfacturas_can_async_resend = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_actions"
    )
    l10n_ar_tusfacturas_can_async_delete = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_actions"
    )
    l10n_ar_tusfacturas_can_async_change_date = fields.Boolean(
        compute="_compute_l10n_ar_tusfacturas_actions"
    )

    @api.depends("l10n_ar_tusfacturas_state")
    def _compute_hide_post_button(self):
        res = super()._compute_hide_post_button()
        for move in self:
            if move.l10n_ar_tusfacturas_state in ASYNC_STATES:
                move.hide_post_button = True
        return res

    # ------------------------------------------------------------------
    # CRUD guards
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_l10n_ar_tusfacturas_async(self):
        self._l10n_ar_tusfacturas_check_not_at_tusfacturas(waiting_too=True)

    def write(self, vals):
        if (
            SENT_FIELDS.intersection(vals)
            and not is_internal(self.env, ASYNC_WRITE_CONTEXT)
            and not is_internal(self.env, EMITTED_CONTEXT)
        ):
            self.filtered(
                lambda m: m.l10n_ar_tusfacturas_state in ASYNC_STATES
            )._l10n_ar_tusfacturas_check_not_at_tusfacturas(waiting_too=True)
        return super().write(vals)

    def button_cancel(self):
        self._l10n_ar_tusfacturas_check_not_at_tusfacturas(waiting_too=True)
        return super().button_cancel()

    def _l10n_ar_tusfacturas_check_not_at_tusfacturas(self, waiting_too=False):
        states = ASYNC_STATES if waiting_too else AT_TUSFACTURAS
        held = self.filtered(lambda m: m.l10n_ar_tusfacturas_state in states)
        if held:
            raise UserError(
                self.env._(
                    "%(moves)s was sent to TusFacturas' queue and cannot be changed, "
                    "cancelled or deleted in Odoo: press Delete from TusFacturas' "
                    "queue first (it then goes back to an editable draft).",
                    moves=", ".join(m._l10n_ar_tusfacturas_label() for m in held),
                )
            )

    # ------------------------------------------------------------------
    # Confirming: to TusFacturas' queue instead of posting
    # ------------------------------------------------------------------

    def _post(self, soft=True):
        if is_internal(self.env, EMITTED_CONTEXT):
            return super()._post(soft=soft)
        queued = self.filtered(lambda m: m.l10n_ar_tusfacturas_state in ASYNC_STATES)
        if queued:
            raise UserError(
                self.env._(
                    "%(moves)s is already in TusFacturas' queue: it is posted with "
                    "TusFacturas' number when TusFacturas emits it.",
                    moves=", ".join(m._l10n_ar_tusfacturas_label() for m in queued),
                )
            )
        to_queue = self.filtered(lambda m: m._l10n_ar_tusfacturas_goes_async())
        if to_queue:
            to_queue._l10n_ar_tusfacturas_raise_if_invalid()
            # AFIP's rate where asked, as before an instant send (the
            # payload's cotizacion is fixed from here on). Not AFIP's service:
            # TusFacturas' queue is made for AFIP's outages (its async FAQ),
            # it keeps the comprobantes until AFIP works again.
            to_queue._l10n_ar_tusfacturas_prepare_sending(check_service=False)
            to_queue._l10n_ar_tusfacturas_async_wait()
        return super(AccountMove, self - to_queue)._post(soft=soft)

    def _l10n_ar_tusfacturas_needs_sending(self):
        if is_internal(self.env, EMITTED_CONTEXT):
            return False  # TusFacturas emitted it: posting only records it
        return super()._l10n_ar_tusfacturas_needs_sending()

    def _l10n_ar_tusfacturas_goes_async(self):
        """Sent through TusFacturas' queue: an asynchronous point of sale,
        except export (E) comprobantes, which the queue refuses (the async
        FAQ): they go instant."""
        self.ensure_one()
        return (
            self.journal_id.l10n_ar_tusfacturas_send_mode == "async"
            and self.l10n_latam_document_type_id.l10n_ar_letter != "E"
            and self._l10n_ar_tusfacturas_needs_sending()
        )

    def _l10n_ar_tusfacturas_is_unnumbered(self):
        return self.state == "draft" and (
            self.l10n_ar_tusfacturas_state in ASYNC_STATES
            or self._l10n_ar_tusfacturas_goes_async()
        )

    def _l10n_ar_tusfacturas_get_number_parts(self):
        if self._l10n_ar_tusfacturas_is_unnumbered():
            # The queue requires numero 0: TusFacturas numbers it when emitted.
            return {
                "point_of_sale": self.journal_id.l10n_ar_afip_pos_number,
                "invoice_number": 0,
            }
        return super()._l10n_ar_tusfacturas_get_number_parts()

    def _l10n_ar_tusfacturas_async_wait(self):
        """Confirmed: waits (a draft, unnumbered) for the send cron, which
        puts it in TusFacturas' queue at the CUIT's next free slot."""
        today = fields.Date.context_today(self)
        for move in self.filtered(lambda m: not m.invoice_date):
            move.with_context(**{ASYNC_WRITE_CONTEXT: INTERNAL}).invoice_date = today
        for move in self:
            move._l10n_ar_tusfacturas_prepare_payload()  # totals checked now
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "async_waiting",
                "l10n_ar_tusfacturas_queued_at": fields.Datetime.now(),
                "l10n_ar_tusfacturas_message": self.env._(
                    "Confirmed: it is sent to TusFacturas' queue at the CUIT's next "
                    "free slot. TusFacturas numbers it when it emits it; it is "
                    "posted with that number then."
                ),
            }
        )
        self._l10n_ar_tusfacturas_store_external_reference()
        self._l10n_ar_tusfacturas_trigger_async_send()

    @api.model
    def _l10n_ar_tusfacturas_trigger_async_send(self, at=None):
        self._l10n_ar_tusfacturas_trigger_queue(at, cron="ir_cron_async_send")

    @api.model
    def _l10n_ar_tusfacturas_trigger_async_poll(self):
        self._l10n_ar_tusfacturas_trigger_queue(cron="ir_cron_async_poll")

    # ------------------------------------------------------------------
    # The send cron: one nuevo_encola / lotes_encola per CUIT and interval
    # ------------------------------------------------------------------

    @api.model
    def _cron_l10n_ar_tusfacturas_async_send(self):
        moves = self.sudo().search(
            [("l10n_ar_tusfacturas_state", "in", ("async_waiting", "async_sending"))],
            order="l10n_ar_tusfacturas_queued_at, id",
        )
        slots = self.env["l10n_ar.tusfacturas.send.slot"].sudo()
        done = 0
        by_cuit = moves.grouped(lambda m: m.company_id._l10n_ar_tusfacturas_cuit_key())
        for key, cuit_moves in by_cuit.items():
            with slots._sender_lock(key) as locked:
                if not locked:
                    # Another worker sends for this CUIT: looked at again soon.
                    self._l10n_ar_tusfacturas_trigger_async_send(
                        fields.Datetime.now() + SENDER_BUSY_RETRY
                    )
                    continue
                writer = cuit_moves._l10n_ar_tusfacturas_in_users_language(cuit_moves)
                try:
                    done += writer._l10n_ar_tusfacturas_async_send_cuit(key)
                except Exception as error:  # whatever it is, the other CUITs go on
                    writer._l10n_ar_tusfacturas_cuit_failed(cuit_moves, error)
        self.env["ir.cron"]._notify_progress(done=done, remaining=0)
        return done

    def _l10n_ar_tusfacturas_async_send_cuit(self, key):
        """Resolve what may have been queued (a lost answer, a crash), then
        one request with the oldest waiting moves of one point of sale."""
        self._l10n_ar_tusfacturas_commit()  # a fresh snapshot, lock held
        self.invalidate_recordset()
        sending = self.filtered(
            lambda m: m.l10n_ar_tusfacturas_state == "async_sending"
        )
        for move in sending._l10n_ar_tusfacturas_outside_grace("ir_cron_async_send"):
            move._l10n_ar_tusfacturas_async_refresh_alone()
            self._l10n_ar_tusfacturas_commit()
        waiting = self.filtered(
            lambda m: m.l10n_ar_tusfacturas_state == "async_waiting"
        )
        if not waiting:
            return 0
        company = waiting[0].company_id
        slots = self.env["l10n_ar.tusfacturas.send.slot"].sudo()
        free_at = slots._claim(key, company.l10n_ar_tusfacturas_spacing)
        if free_at:
            self._l10n_ar_tusfacturas_trigger_async_send(free_at)
            return 0
        journal = waiting[0].journal_id
        batch = waiting.filtered(lambda m: m.journal_id == journal)[:QUEUED_BATCH_LIMIT]
        if not batch._l10n_ar_tusfacturas_async_send_batch():
            # Nothing left (rows being edited, payloads refused): no request
            # was made, so the slot is given back.
            slots._release(key, company.l10n_ar_tusfacturas_spacing)
        if self.filtered(lambda m: m.l10n_ar_tusfacturas_state == "async_waiting"):
            self._l10n_ar_tusfacturas_trigger_async_send(
                slots._free_at(key, company.l10n_ar_tusfacturas_spacing)
            )
        return len(batch)

    def _l10n_ar_tusfacturas_async_send_batch(self):
        """``self`` (one point of sale) to TusFacturas' queue in one request;
        marked "being queued" and committed first, so that a lost answer or
        a crash is resolved by a lookup, never by sending again blindly.

        Returns whether a request was made. Whatever its outcome (refused,
        maintenance, no connection, answer lost), the CUIT's slot keeps its
        stamp: the request may have arrived, and a retry at once would be a
        burst of requests for as long as the cause lasts."""
        batch = self._l10n_ar_tusfacturas_lock_rows(("async_waiting",))
        batch, payloads = batch._l10n_ar_tusfacturas_async_payloads()
        if not batch:
            return False
        batch._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "async_sending",
                "l10n_ar_tusfacturas_send_after": (
                    fields.Datetime.now() + LOST_ANSWER_GRACE
                ),
                "l10n_ar_tusfacturas_message": self.env._(
                    "Being sent to TusFacturas' queue."
                ),
            }
        )
        self._l10n_ar_tusfacturas_commit()
        client = batch[0]._l10n_ar_tusfacturas_client()
        with client:
            batch._l10n_ar_tusfacturas_stamp_slot()
            try:
                results = batch._l10n_ar_tusfacturas_async_request(client, payloads)
            except (TusFacturasMaintenance, TusFacturasNotSent) as error:
                batch._l10n_ar_tusfacturas_async_back_to_waiting(error)
                return True
            except TusFacturasOutcomeUnknown as error:
                batch._l10n_ar_tusfacturas_async_unknown(error)
                return True
            except TusFacturasRejected as error:
                results = [error] * len(batch)
        batch._l10n_ar_tusfacturas_async_apply_results(results)
        return True

    def _l10n_ar_tusfacturas_async_request(self, client, payloads):
        """The one generation request; what it sent and got is kept (on the
        first move of a lote) for support."""
        try:
            if len(self) == 1:
                return [client.enqueue(payloads[0])]
            return client.enqueue_batch(payloads)
        finally:
            self[:1]._l10n_ar_tusfacturas_store_exchanges(client.take_exchanges())

    def _l10n_ar_tusfacturas_async_payloads(self):
        """Payloads of the moves that can still be built (checked again: a
        customer or product may have changed); the others go back to draft."""
        batch, payloads = self.browse(), []
        for move in self:
            try:
                move._l10n_ar_tusfacturas_raise_if_invalid()
                payloads.append(move._l10n_ar_tusfacturas_prepare_payload())
            except UserError as error:
                move._l10n_ar_tusfacturas_async_refused(str(error))
                continue
            batch |= move
        return batch, payloads

    def _l10n_ar_tusfacturas_async_apply_results(self, results):
        results = list(results)
        for index, move in enumerate(self):
            result = results[index] if index < len(results) else None
            if isinstance(result, TusFacturasRejected):
                move._l10n_ar_tusfacturas_async_refused(
                    move._l10n_ar_tusfacturas_format(result)
                )
            elif isinstance(result, dict):
                move._l10n_ar_tusfacturas_async_set_queued(
                    self.env._("Accepted in TusFacturas' queue; waiting to be emitted.")
                )
            else:
                # Not mentioned by the answer: read it before anything else.
                move._l10n_ar_tusfacturas_async_unknown(None)
            self._l10n_ar_tusfacturas_commit()

    def _l10n_ar_tusfacturas_async_set_queued(self, message):
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "async_queued",
                "l10n_ar_tusfacturas_send_after": False,
                "l10n_ar_tusfacturas_message": message,
            }
        )

    def _l10n_ar_tusfacturas_async_back_to_waiting(self, error):
        """Refused before processing (maintenance, no connection): nothing
        is at TusFacturas, no grace to wait for."""
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "async_waiting",
                "l10n_ar_tusfacturas_send_after": False,
                "l10n_ar_tusfacturas_message": self.env._(
                    "Not sent (%(reason)s); it is sent to TusFacturas' queue at the "
                    "next free slot.",
                    reason=error,
                ),
            }
        )
        self._l10n_ar_tusfacturas_commit()
        self._l10n_ar_tusfacturas_trigger_async_send()

    def _l10n_ar_tusfacturas_async_unknown(self, error):
        """Stays "being queued": the next run asks TusFacturas by external
        reference before anything is sent again."""
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_message": self.env._(
                    "TusFacturas' answer is unknown (%(reason)s): it is looked up "
                    "by its external reference before anything is sent again. "
                    "TusFacturas may still be processing it: it is sent again "
                    "only if TusFacturas does not have it %(minutes)s minutes "
                    "after the request.",
                    reason=error or self.env._("not in the answer"),
                    minutes=int(LOST_ANSWER_GRACE.total_seconds() // 60),
                )
            }
        )
        self._l10n_ar_tusfacturas_commit()
        self._l10n_ar_tusfacturas_trigger_async_send()

    def _l10n_ar_tusfacturas_async_refused(self, message):
        """Nothing is at TusFacturas: an editable draft again."""
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": False,
                "l10n_ar_tusfacturas_message": message,
                "l10n_ar_tusfacturas_queued_at": False,
            }
        )
        self.message_post(body=message)
        self._l10n_ar_tusfacturas_notify_failure()

    # ------------------------------------------------------------------
    # Reading the queue: poll cron, webhooks, Verify
    # ------------------------------------------------------------------

    @api.model
    def _cron_l10n_ar_tusfacturas_async_poll(self):
        """Read the state of queued comprobantes (not only when a webhook
        arrives), a page per run, those not read recently (or hinted by a
        webhook) first."""
        domain = self._l10n_ar_tusfacturas_async_poll_domain()
        moves = self.sudo().search(
            domain,
            order="l10n_ar_tusfacturas_async_checked_at asc nulls first, id",
            limit=POLL_PAGE,
        )
        for move in moves:
            reader = move._l10n_ar_tusfacturas_in_users_language(move)
            if reader._l10n_ar_tusfacturas_lock_rows(AT_TUSFACTURAS):
                reader._l10n_ar_tusfacturas_async_refresh_alone()
            self._l10n_ar_tusfacturas_commit()
        remaining = self.sudo().search_count(domain) if len(moves) == POLL_PAGE else 0
        self.env["ir.cron"]._notify_progress(done=len(moves), remaining=remaining)
        return len(moves)

    @api.model
    def _l10n_ar_tusfacturas_async_poll_domain(self):
        before = fields.Datetime.now() - POLL_EVERY
        return [
            ("l10n_ar_tusfacturas_state", "in", ("async_queued", "async_error")),
            "|",
            ("l10n_ar_tusfacturas_async_checked_at", "=", False),
            ("l10n_ar_tusfacturas_async_checked_at", "<", before),
        ]

    @api.model
    def _l10n_ar_tusfacturas_webhook_hint(self, company, event):
        """A webhook names an external reference: only a hint (webhooks are
        not signed). The company's comprobante with exactly that reference,
        if it is in TusFacturas' queue, is read first by the poll cron;
        nothing else changes. Returns whether a move was hinted."""
        reference = str((event or {}).get("external_reference") or "").strip()
        if not reference:
            return False
        move = self.sudo().search(
            [
                ("company_id", "=", company.id),
                ("l10n_ar_tusfacturas_external_reference", "=", reference),
                # What the poll reads ("being queued" is the send cron's).
                ("l10n_ar_tusfacturas_state", "in", ("async_queued", "async_error")),
            ],
            limit=1,
        )
        if not move:
            return False
        move._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_async_checked_at": False,
                **move._l10n_ar_tusfacturas_webhook_note_values(event),
            }
        )
        self._l10n_ar_tusfacturas_trigger_async_poll()
        return True

    def _l10n_ar_tusfacturas_webhook_note_values(self, event):
        """The "error" event's ``msg`` is the only documented carrier of why a
        queued comprobante failed (webhooks-notificaciones.md: "recibirás
        dentro del atributo msg, la lista con los errores detectados"): kept
        as information on the invoice, said to be unverified; the state is
        decided by the lookup alone."""
        messages = event.get("msg")
        if str(event.get("evento")) != "error" or not isinstance(messages, list):
            return {}
        texts = [str(m).strip()[:500] for m in messages[:10] if str(m).strip()]
        if not texts:
            return {}
        return {
            "l10n_ar_tusfacturas_webhook_note": self.env._(
                "TusFacturas' notification (not verified) says: %(errors)s",
                errors=" / ".join(texts),
            )
        }

    def _l10n_ar_tusfacturas_async_refresh_alone(self):
        """A cron's reading of one move: what Odoo fails to record (posting an
        emitted comprobante: a deprecated account, a lock date...) is told on
        that move and never stops the cron for the others."""
        try:
            with self.env.cr.savepoint():
                self._l10n_ar_tusfacturas_async_refresh()
        except (UserError, ValidationError) as error:
            _logger.warning("TusFacturas: %s not recorded: %s", self.id, error)
            message = self.env._(
                "TusFacturas has news of %(move)s, but Odoo could not record it: "
                "%(error)s\nWhat to do: fix the cause; the next reading of the "
                "queue (or Verify) completes it.",
                move=self._l10n_ar_tusfacturas_label(),
                error=error.args[0] if error.args else error,
            )
            told = self.l10n_ar_tusfacturas_message == message
            self._l10n_ar_tusfacturas_write(
                {
                    "l10n_ar_tusfacturas_async_checked_at": fields.Datetime.now(),
                    "l10n_ar_tusfacturas_message": message,
                }
            )
            if not told:
                self.message_post(body=message)
                self._l10n_ar_tusfacturas_notify_failure()

    def _l10n_ar_tusfacturas_async_refresh(self, raise_errors=False):
        """Ask TusFacturas (``consulta_avanzada`` by the exact external
        reference, free of quota) and follow what it says."""
        self.ensure_one()
        # Read now, whatever the answer: a TusFacturas outage must not make
        # the poll cron ask again at once.
        self._l10n_ar_tusfacturas_write(
            {"l10n_ar_tusfacturas_async_checked_at": fields.Datetime.now()}
        )
        client = self._l10n_ar_tusfacturas_client()
        with client:
            try:
                found = client.find_by_external_reference(
                    self._l10n_ar_tusfacturas_get_external_reference()
                )
            except TusFacturasError as error:
                if raise_errors:
                    self._l10n_ar_tusfacturas_raise_not_sent(error)
                _logger.warning("TusFacturas: %s not read: %s", self.id, error)
                return
            if found is None:
                self._l10n_ar_tusfacturas_async_absent()
            elif found.is_issued:
                self._l10n_ar_tusfacturas_async_emitted(client, found)
            elif found.is_failed:
                self._l10n_ar_tusfacturas_async_failed(found)
            else:
                self._l10n_ar_tusfacturas_async_pending(found)

    def _l10n_ar_tusfacturas_async_absent(self):
        if self.l10n_ar_tusfacturas_state == "async_sending":
            # Its grace is over (LOST_ANSWER_GRACE): the request did not reach
            # the queue, send it (same reference).
            self._l10n_ar_tusfacturas_write(
                {"l10n_ar_tusfacturas_state": "async_waiting"}
            )
            self._l10n_ar_tusfacturas_trigger_async_send()
            return
        self._l10n_ar_tusfacturas_async_deleted(
            self.env._(
                "TusFacturas no longer has %(move)s in its queue (deleted there): it "
                "is an editable draft again, without number. Confirm it again to "
                "send it.",
                move=self._l10n_ar_tusfacturas_label(),
            )
        )

    def _l10n_ar_tusfacturas_async_deleted(self, message):
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": False,
                "l10n_ar_tusfacturas_message": message,
                "l10n_ar_tusfacturas_queued_at": False,
                "l10n_ar_tusfacturas_async_checked_at": False,
            }
        )
        self.message_post(body=message)

    def _l10n_ar_tusfacturas_async_pending(self, found):
        self._l10n_ar_tusfacturas_async_follow_date(found)
        if self.l10n_ar_tusfacturas_state != "async_queued":
            self._l10n_ar_tusfacturas_async_set_queued(
                self.env._(
                    "In TusFacturas' queue (%(status)s); waiting to be emitted.",
                    status=found.status or "-",
                )
            )

    def _l10n_ar_tusfacturas_async_failed(self, found):
        self._l10n_ar_tusfacturas_async_follow_date(found)
        message = self.env._(
            "TusFacturas' queue could not emit %(move)s: %(errors)s\nWhat to do: fix "
            "the cause, then press Re-send (or Delete from TusFacturas' queue to "
            "edit it, or Change date).",
            move=self._l10n_ar_tusfacturas_label(),
            errors=found.observations or found.status,
        )
        if (
            self.l10n_ar_tusfacturas_state == "async_error"
            and self.l10n_ar_tusfacturas_message == message
        ):
            return  # already told
        self._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "async_error",
                "l10n_ar_tusfacturas_message": message,
            }
        )
        self.message_post(body=message)
        self._l10n_ar_tusfacturas_notify_failure()

    def _l10n_ar_tusfacturas_async_follow_date(self, found):
        """A date changed at TusFacturas (cambio_fecha) is the invoice's."""
        if not found.fecha or found.fecha == self.invoice_date:
            return
        old = self.invoice_date
        rate = self.invoice_currency_rate
        writer = self.with_context(**{ASYNC_WRITE_CONTEXT: INTERNAL})
        writer.invoice_date = found.fecha
        if self.currency_id != self.company_id.currency_id:
            # ARCA authorised the cotizacion that was sent: the date moves,
            # the rate stays (Odoo recomputed it from the new date).
            writer.invoice_currency_rate = rate
        self.message_post(
            body=self.env._(
                "TusFacturas' queue has this comprobante dated %(new)s (was "
                "%(old)s): the invoice date follows it.",
                new=fields.Date.to_string(found.fecha),
                old=fields.Date.to_string(old),
            )
        )

    def _l10n_ar_tusfacturas_async_emitted(self, client, found):
        """Emitted: posted with TusFacturas' number and date, then the CAE,
        PDF and QR stored through the one adoption path (``_apply``). Only
        when it is this invoice (type, point of sale, total, customer)."""
        payload = self._l10n_ar_tusfacturas_prepare_payload()
        mismatches = found.mismatches(payload)
        if mismatches:
            message = self._l10n_ar_tusfacturas_mismatch_message(found, mismatches)
            if self.l10n_ar_tusfacturas_message != message:
                self._l10n_ar_tusfacturas_write(
                    {"l10n_ar_tusfacturas_message": message}
                )
                self.message_post(body=message)
                self._l10n_ar_tusfacturas_notify_failure()
            return
        emitted = self.with_context(**{EMITTED_CONTEXT: INTERNAL})
        emitted._l10n_ar_tusfacturas_async_follow_date(found)
        emitted.l10n_latam_document_number = found.document_number
        emitted._post(soft=False)
        self._l10n_ar_tusfacturas_apply(client, found)
        if self.l10n_ar_tusfacturas_state in ("authorized", "testing"):
            self.activity_unlink(["mail.mail_activity_data_warning"])
        else:  # held (no CAE on a real point of sale): a person verifies
            self._l10n_ar_tusfacturas_notify_failure()

    # ------------------------------------------------------------------
    # Actions (valid ones per state: VALID_ACTIONS)
    # ------------------------------------------------------------------

    def action_l10n_ar_tusfacturas_async_verify(self):
        for move in self._l10n_ar_tusfacturas_with_action("async_verify"):
            move._l10n_ar_tusfacturas_async_refresh(raise_errors=True)
        return True

    def action_l10n_ar_tusfacturas_async_resend(self):
        """``reenviar_encolado``: TusFacturas tries to emit it again."""
        for move in self._l10n_ar_tusfacturas_with_action("async_resend"):
            move._l10n_ar_tusfacturas_async_call(
                lambda client, m=move: client.queue_retry(
                    m.l10n_ar_tusfacturas_external_reference
                )
            )
            move._l10n_ar_tusfacturas_async_set_queued(
                self.env._("Sent back to processing in TusFacturas' queue.")
            )
            move.message_post(body=move.l10n_ar_tusfacturas_message)
        return True

    def action_l10n_ar_tusfacturas_async_delete(self):
        """``eliminar_encolado``: out of TusFacturas' queue, an editable draft
        again (without number: no gap)."""
        for move in self._l10n_ar_tusfacturas_with_action("async_delete"):
            if move.l10n_ar_tusfacturas_state == "async_waiting":
                move._l10n_ar_tusfacturas_async_deleted(
                    self.env._("Taken out before it was sent: a draft again.")
                )
                continue
            try:
                move._l10n_ar_tusfacturas_async_call(
                    lambda client, m=move: client.queue_delete(
                        m.l10n_ar_tusfacturas_external_reference, m.invoice_date
                    )
                )
            except UserError:
                # Emitted meanwhile? Read it: an emitted one is adopted.
                move._l10n_ar_tusfacturas_async_refresh(raise_errors=True)
                if move.l10n_ar_tusfacturas_state in AT_TUSFACTURAS:
                    raise
                continue
            move._l10n_ar_tusfacturas_async_deleted(
                self.env._(
                    "Deleted from TusFacturas' queue: an editable draft again, "
                    "without number."
                )
            )
            move.activity_unlink(["mail.mail_activity_data_warning"])
        return True

    def action_l10n_ar_tusfacturas_async_change_date(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Change the date in TusFacturas' queue"),
            "res_model": "l10n_ar.tusfacturas.async.date",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_move_id": self.id,
                "default_invoice_date": self.invoice_date,
            },
        }

    def _l10n_ar_tusfacturas_async_change_date(self, day):
        """``cambiar_fecha_encolado`` (TusFacturas then tries to emit it again
        on that date, the async FAQ): the invoice date and due date follow."""
        self.ensure_one()
        self._l10n_ar_tusfacturas_with_action("async_change_date")
        writer = self.with_context(**{ASYNC_WRITE_CONTEXT: INTERNAL})
        writer.invoice_date = day
        self._l10n_ar_tusfacturas_async_call(
            lambda client: client.queue_change_date(
                self.l10n_ar_tusfacturas_external_reference,
                day,
                self.invoice_date_due or day,
            )
        )
        self._l10n_ar_tusfacturas_async_set_queued(
            self.env._(
                "Date changed to %(day)s in TusFacturas' queue; it is emitted from "
                "that day.",
                day=fields.Date.to_string(day),
            )
        )
        self.message_post(body=self.l10n_ar_tusfacturas_message)

    def _l10n_ar_tusfacturas_async_call(self, request):
        """One queue request from a button; its errors become the user's text."""
        self.ensure_one()
        client = self._l10n_ar_tusfacturas_client()
        with client:
            try:
                return request(client)
            except TusFacturasError as error:
                raise UserError(
                    self._l10n_ar_tusfacturas_format(error, not_sent=True)
                ) from error
