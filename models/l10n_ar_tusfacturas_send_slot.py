import logging
from contextlib import contextmanager
from datetime import timedelta

from odoo import api, fields, models
from psycopg2 import errors as pg_errors
from psycopg2.extensions import ISOLATION_LEVEL_READ_COMMITTED

_logger = logging.getLogger(__name__)

# First key of the session advisory locks taken by this addon ("TFAR").
LOCK_CLASS = 0x54464152


class L10nArTusfacturasSendSlot(models.Model):
    """When the last generation request of a CUIT was made.

    AFIP blocks a CUIT whose generation requests (``facturacion/nuevo``,
    ``facturacion/lotes``) come less than a minute apart. Every sender, in any
    worker or server, claims the CUIT's slot here before such a request: one
    ``INSERT ... ON CONFLICT DO UPDATE ... WHERE`` on the CUIT's row (locked,
    taken only when the spacing has passed), in a transaction of its own that
    is committed at once, so that a claim survives a rollback of the
    sender's transaction. Times are PostgreSQL's clock, never process memory.
    """

    _name = "l10n_ar.tusfacturas.send.slot"
    _description = "TusFacturas send slot of a CUIT"
    _rec_name = "cuit"

    cuit = fields.Char(string="CUIT", required=True, readonly=True, index=True)
    last_request_at = fields.Datetime(string="Last generation request", readonly=True)

    _sql_constraints = [
        ("cuit_unique", "unique(cuit)", "There is one send slot per CUIT."),
    ]

    @api.model
    def _claim(self, cuit, spacing):
        """Claim the next generation request of ``cuit``.

        Returns None when the slot is taken (the caller sends now), otherwise
        the UTC datetime from which the CUIT is free again. The claim is its
        own short READ COMMITTED transaction: concurrent claimers wait for
        each other on the row lock (milliseconds) and see each other's claim.
        """
        with self._claim_cursor() as cr:
            # One statement: the conflicting row is locked, and updated only
            # when the CUIT's spacing has passed.
            cr.execute(
                f"""WITH clock AS (
                        SELECT (clock_timestamp() AT TIME ZONE 'UTC')::timestamp AS now
                    )
                    INSERT INTO {self._table} AS slot
                           (cuit, last_request_at, create_date, write_date)
                    SELECT %(cuit)s, now, now, now FROM clock
                    ON CONFLICT (cuit) DO UPDATE
                       SET last_request_at = EXCLUDED.last_request_at,
                           write_date = EXCLUDED.write_date
                     WHERE slot.last_request_at IS NULL
                        OR slot.last_request_at <= EXCLUDED.last_request_at
                           - make_interval(secs => %(spacing)s)
                    RETURNING id""",
                {"cuit": cuit, "spacing": max(spacing, 0)},
            )
            if cr.fetchone():
                return None
            cr.execute(
                f"SELECT last_request_at FROM {self._table} WHERE cuit = %s", [cuit]
            )
            return cr.fetchone()[0] + timedelta(seconds=max(spacing, 0))

    @api.model
    def _stamp(self, cuit):
        """The claimed request leaves now: the spacing counts from here, as
        AFIP counts arrivals (preparing a lote after the claim takes time)."""
        with self._claim_cursor() as cr:
            cr.execute(
                f"""UPDATE {self._table}
                       SET last_request_at = GREATEST(
                           last_request_at, clock_timestamp() AT TIME ZONE 'UTC')
                     WHERE cuit = %s""",
                [cuit],
            )

    @api.model
    def _release(self, cuit, spacing):
        """Give back a claim no request was made for (the slot is free now)."""
        with self._claim_cursor() as cr:
            cr.execute(
                f"""UPDATE {self._table}
                       SET last_request_at = (clock_timestamp() AT TIME ZONE 'UTC')
                           - make_interval(secs => %s)
                     WHERE cuit = %s""",
                [max(spacing, 0), cuit],
            )

    @contextmanager
    def _claim_cursor(self):
        with self.env.registry.cursor() as cr:
            # Not on a test cursor: it proxies the test's own connection, and
            # changing its isolation level would end the test's transaction.
            if not self.env.registry.in_test_mode():
                cr._cnx.set_isolation_level(ISOLATION_LEVEL_READ_COMMITTED)
            yield cr

    @api.model
    def _free_at(self, cuit, spacing):
        """When ``cuit`` may send next (UTC), read from committed data."""
        with self.env.registry.cursor() as cr:
            cr.execute(
                f"""SELECT last_request_at,
                          (clock_timestamp() AT TIME ZONE 'UTC')::timestamp
                     FROM {self._table} WHERE cuit = %s""",
                [cuit],
            )
            row = cr.fetchone()
        now = row[1] if row else fields.Datetime.now()
        if not row or not row[0]:
            return now
        return max(now, row[0] + timedelta(seconds=max(spacing, 0)))

    @api.model
    @contextmanager
    def _sender_lock(self, cuit):
        """One sender per CUIT at a time, across commits: a session advisory
        lock on the sender's connection (released at the end, or by
        PostgreSQL when a crashed worker's connection goes away). Yields
        whether it was obtained; nobody ever waits for it."""
        cr = self.env.cr
        cr.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s))", [LOCK_CLASS, cuit])
        locked = cr.fetchone()[0]
        try:
            yield locked
        finally:
            if locked and not cr.closed:
                try:
                    cr.execute(
                        "SELECT pg_advisory_unlock(%s, hashtext(%s))",
                        [LOCK_CLASS, cuit],
                    )
                except pg_errors.InFailedSqlTransaction:
                    # The transaction is being rolled back: unlock afterwards.
                    cr.postrollback.add(lambda: self._unlock_later(cr, cuit))

    @api.model
    def _unlock_later(self, cr, cuit):
        cr.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))", [LOCK_CLASS, cuit])
