import logging
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models, sql_db
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

_logger = logging.getLogger(__name__)

# Markers of moves whose outcome is known are forgotten after this long.
KEEP_DONE_FOR = timedelta(days=30)


class L10nArTusfacturasAttempt(models.Model):
    """That a move's comprobante was sent to TusFacturas at least once.

    The instant path sends from inside the posting transaction, which can
    still be rolled back after TusFacturas answered (a serialization failure,
    an error after the request, a killed worker): the move is then a draft
    again, without any trace of the attempt. So, before its first generation
    request, the sender records the attempt here, on a connection of its own,
    committed before the request leaves: no rollback of the posting can erase
    it, and every worker sees it at once. A move without a marker (and
    without a TusFacturas state) was never sent, so it is sent without asking
    TusFacturas first; any other is looked up by external reference first.
    """

    _name = "l10n_ar.tusfacturas.attempt"
    _description = "TusFacturas sending attempt"
    _rec_name = "move_id"

    # An id, not a Many2one: the marker is written by another transaction, which
    # may not see the move yet (created in the posting transaction).
    move_id = fields.Integer(string="Journal Entry", required=True, readonly=True)

    _sql_constraints = [
        ("move_unique", "unique(move_id)", "One sending attempt marker per move."),
    ]

    @api.model
    def _mark(self, move):
        """Record that ``move`` is about to be sent (committed at once, apart).

        Returns whether an earlier attempt had already been recorded. One
        statement: the unique index makes it atomic across workers.
        """
        with self._own_cursor() as cr:
            cr.execute(
                f"""INSERT INTO {self._table} (move_id, create_date, write_date)
                    VALUES (%s, now() AT TIME ZONE 'UTC', now() AT TIME ZONE 'UTC')
                    ON CONFLICT (move_id) DO NOTHING RETURNING id""",
                [move.id],
            )
            return not cr.fetchone()

    @api.model
    def _marked_ids(self, move_ids):
        """Which of ``move_ids`` have a marker, read from committed data (the
        caller's transaction may predate the marker)."""
        if not move_ids:
            return set()
        with self._own_cursor() as cr:
            cr.execute(
                f"SELECT move_id FROM {self._table} WHERE move_id IN %s",
                [tuple(move_ids)],
            )
            return {row[0] for row in cr.fetchall()}

    @api.model
    def _forget(self, move_id):
        """TusFacturas was found not to have it: an ordinary draft again."""
        with self._own_cursor() as cr:
            cr.execute(f"DELETE FROM {self._table} WHERE move_id = %s", [move_id])

    @contextmanager
    def _own_cursor(self):
        """A connection of its own, even under tests: a test cursor is a
        savepoint of the test's transaction, and the marker must outlive a
        rollback of the posting transaction. READ COMMITTED, so that a
        concurrent marker of the same move is seen, not a serialization error."""
        with sql_db.db_connect(self.env.cr.dbname).cursor() as cr:
            cr.connection.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            yield cr

    @api.autovacuum
    def _gc_done(self):
        """Forget the markers of moves authorized (or deleted) a while ago:
        those are never sent again."""
        self.env["account.move"].flush_model(["l10n_ar_tusfacturas_state"])
        self.env.cr.execute(
            f"""DELETE FROM {self._table} attempt
                 WHERE attempt.create_date < %s
                   AND NOT EXISTS (
                       SELECT 1 FROM account_move move
                        WHERE move.id = attempt.move_id
                          AND (move.l10n_ar_tusfacturas_state IS NULL
                               OR move.l10n_ar_tusfacturas_state
                                  NOT IN ('authorized', 'testing')))""",
            [fields.Datetime.now() - KEEP_DONE_FOR],
        )
        _logger.info(
            "TusFacturas: %s old attempt markers removed", self.env.cr.rowcount
        )
