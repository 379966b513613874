import logging
import secrets
from datetime import timedelta

import psycopg2
from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import config, consteq, format_date

from ..tusfacturas import (
    DEFAULT_BASE_URL,
    TusFacturasClient,
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasRejected,
)

SECRET = "base.group_system"
# AFIP's service status is asked at most once in this window per company: it
# changes seldom, and every round trip delays the posting.
SERVICE_OK_FOR = timedelta(minutes=5)

_logger = logging.getLogger(__name__)
# AFIP's consumidor final cap by (database, company, API URL) -> (day, cap): the
# refusal it causes rolls the company's stored copy back with the transaction,
# so without this every refused attempt would ask again.
_CF_CAPS = {}
# Extra origins the official PDF may be downloaded from, comma-separated
# ("http://localhost:8071"): only for a local sandbox serving its PDFs apart
# from its API (tests). Production needs none: TusFacturas' own HTTPS hosts
# and the API's origin are always accepted (tusfacturas/client.py).
PDF_HOSTS_PARAM = "l10n_ar_tusfacturas.pdf_hosts"
# An issuing request ends this long before Odoo's limit_time_real, so that
# the posting records its outcome (the rest of the posting and the commit).
WORKER_MARGIN = 20
MIN_TIMEOUT = 10
WEBHOOK_ROUTE = "/l10n_ar_tusfacturas/webhook"


class ResCompany(models.Model):
    _inherit = "res.company"

    l10n_ar_tusfacturas_apikey = fields.Char(
        string="TusFacturas API key", groups=SECRET, copy=False
    )
    l10n_ar_tusfacturas_apitoken = fields.Char(
        string="TusFacturas API token", groups=SECRET, copy=False
    )
    l10n_ar_tusfacturas_usertoken = fields.Char(
        string="TusFacturas user token",
        groups=SECRET,
        copy=False,
        help="Token of this company's CUIT and point of sale in TusFacturas "
        "(Menú > Mi espacio de trabajo > Puntos de venta).",
    )
    l10n_ar_tusfacturas_api_url = fields.Char(
        string="TusFacturas API URL", groups=SECRET, default=DEFAULT_BASE_URL
    )
    l10n_ar_tusfacturas_timeout = fields.Integer(
        string="TusFacturas timeout (s)",
        default=120,
        help="How long to wait for TusFacturas to answer an issuing request. "
        "AFIP can take 90 seconds or more. Lookups (numbers, padrón, status) "
        "wait at most 30 seconds. It ends 20 seconds before Odoo's worker time "
        "limit (limit_time_real) at the latest.",
    )
    l10n_ar_tusfacturas_rubro = fields.Char(
        string="TusFacturas rubro", default="Ventas"
    )
    l10n_ar_tusfacturas_rubro_grupo_contable = fields.Char(
        string="TusFacturas accounting group", default="Ventas"
    )
    l10n_ar_tusfacturas_send_email = fields.Boolean(
        string="TusFacturas emails the PDF to the customer"
    )
    l10n_ar_tusfacturas_pdf_language = fields.Selection(
        [("1", "Spanish"), ("2", "English")],
        string="TusFacturas PDF language",
        default="1",
    )
    l10n_ar_tusfacturas_price_list = fields.Char(
        string="TusFacturas price list", default="Odoo"
    )

    l10n_ar_tusfacturas_check_service = fields.Boolean(
        string="Check AFIP's service before sending",
        default=True,
        help="Before validating, ask TusFacturas whether AFIP's invoicing service "
        "works: during an incident or a maintenance window nothing is sent and "
        "the invoices stay in draft. Not asked on asynchronous points of sale: "
        "TusFacturas' queue keeps their comprobantes until AFIP works again.",
    )
    l10n_ar_tusfacturas_reclama_deuda = fields.Boolean(
        string="TusFacturas reminds customers of unpaid comprobantes",
        help="Sent as the customer's 'reclama_deuda'. Off by default: TusFacturas "
        "would email the customer about every comprobante it believes unpaid, and "
        "payments are recorded in Odoo, not there.",
    )
    l10n_ar_tusfacturas_reclama_deuda_dias = fields.Integer(
        string="Remind from (days after the due date)",
        default=7,
        help="Sent as 'reclama_deuda_dias': how many days after the due date "
        "TusFacturas starts reminding the customer.",
    )
    l10n_ar_tusfacturas_reclama_deuda_repite_dias = fields.Integer(
        string="Remind again every (days)",
        default=7,
        help="Sent as 'reclama_deuda_repite_dias'.",
    )
    l10n_ar_tusfacturas_pays_same_currency = fields.Boolean(
        string="Foreign-currency invoices are paid in their currency",
        help="RG 5616: default of each invoice's 'Paid in its currency', sent "
        "to ARCA as paga_misma_moneda on foreign-currency invoices. When set, "
        "validating takes AFIP's official exchange rate, which ARCA requires.",
    )
    l10n_ar_tusfacturas_auto_rate = fields.Boolean(
        string="Use AFIP's exchange rate when validating",
        help="Validating a foreign-currency invoice first gets AFIP's exchange "
        "rate of its date from TusFacturas and saves it as the currency's rate "
        "of that day.",
    )

    l10n_ar_tusfacturas_service_ok_at = fields.Datetime(
        string="AFIP's service last seen working",
        readonly=True,
        copy=False,
        help="When TusFacturas last said AFIP's invoicing service works; "
        "validating within a few minutes of it does not ask again.",
    )

    l10n_ar_tusfacturas_cf_cap = fields.Float(
        string="AFIP cap for an unidentified consumidor final",
        readonly=True,
        help="From TusFacturas (facturacion/topecf), asked at most once a day.",
    )
    l10n_ar_tusfacturas_cf_cap_date = fields.Date(readonly=True)

    def _l10n_ar_tusfacturas_cf_cap(self):
        """AFIP's current cap for an anonymous consumidor final, asked at most
        once a day (every request counts in the subscription). None when it
        cannot be had: TusFacturas / AFIP still refuse such an invoice."""
        self.ensure_one()
        company = self.sudo()
        today = fields.Date.context_today(self)
        if company.l10n_ar_tusfacturas_cf_cap_date == today:
            return company.l10n_ar_tusfacturas_cf_cap
        key = (self.env.cr.dbname, company.id, company.l10n_ar_tusfacturas_api_url)
        day, cap = _CF_CAPS.get(key, (None, None))
        if day == today:
            return cap
        try:
            with company._l10n_ar_tusfacturas_get_client() as client:
                cap = client.consumer_final_cap()
        except TusFacturasError as error:
            _logger.info("TusFacturas: consumidor final cap not known: %s", error)
            return company.l10n_ar_tusfacturas_cf_cap or None
        _CF_CAPS[key] = (today, float(cap))
        company.write(
            {
                "l10n_ar_tusfacturas_cf_cap": float(cap),
                "l10n_ar_tusfacturas_cf_cap_date": today,
            }
        )
        return float(cap)

    l10n_ar_tusfacturas_spacing = fields.Integer(
        string="Seconds between generation requests",
        default=60,
        help="TusFacturas asks that two requests generating comprobantes for one "
        "CUIT be at least a minute apart, or AFIP blocks the CUIT for a while. "
        "Confirming while the CUIT must still wait queues the invoices; the "
        "queue sends them in lotes of up to 20.",
    )

    l10n_ar_tusfacturas_webhook_token = fields.Char(
        string="TusFacturas webhook secret",
        groups=SECRET,
        copy=False,
        readonly=True,
        help="The secret part of the URL TusFacturas posts its queue's events to.",
    )
    l10n_ar_tusfacturas_webhook_url = fields.Char(
        string="TusFacturas webhook URL",
        compute="_compute_l10n_ar_tusfacturas_webhook_url",
        groups=SECRET,
        help="Paste it in TusFacturas: Menú > Mi espacio de trabajo > Puntos de "
        "venta, edit the point of sale, webhook address.",
    )

    @api.depends("l10n_ar_tusfacturas_webhook_token")
    def _compute_l10n_ar_tusfacturas_webhook_url(self):
        base = self.env["ir.config_parameter"].sudo().get_param("web.base.url", "")
        for company in self:
            token = company.l10n_ar_tusfacturas_webhook_token
            company.l10n_ar_tusfacturas_webhook_url = (
                f"{base.rstrip('/')}{WEBHOOK_ROUTE}/{token}" if token else False
            )

    def _l10n_ar_tusfacturas_new_webhook_token(self):
        """A new secret (the old URL stops working at once)."""
        for company in self:
            company.sudo().l10n_ar_tusfacturas_webhook_token = secrets.token_urlsafe(32)

    @api.model
    def _l10n_ar_tusfacturas_webhook_company(self, token):
        """The company whose webhook secret is exactly ``token``, or none."""
        token = str(token or "")
        if len(token) < 32:
            return self.browse()
        company = (
            self.sudo()
            .with_context(active_test=False)
            .search([("l10n_ar_tusfacturas_webhook_token", "=", token)], limit=1)
        )
        if company and consteq(company.l10n_ar_tusfacturas_webhook_token, token):
            return company
        return self.browse()

    def _l10n_ar_tusfacturas_cuit_key(self):
        """The CUIT whose generation requests are spaced (branches share it)."""
        self.ensure_one()
        company = self.sudo()
        vat = company.partner_id.vat or company.root_id.partner_id.vat or ""
        digits = "".join(ch for ch in vat if ch.isdigit())
        return digits or f"company-{company.root_id.id}"

    def _l10n_ar_tusfacturas_get_client(self, journal=None):
        """Client for this company's CUIT (or the journal's own usertoken).

        Credentials are read with sudo: posting is open to every invoicing
        user, reading the tokens is not.
        """
        self.ensure_one()
        company = self.sudo()
        usertoken = (
            journal and journal.sudo().l10n_ar_tusfacturas_usertoken
        ) or company.l10n_ar_tusfacturas_usertoken
        credentials = (
            company.l10n_ar_tusfacturas_apikey,
            company.l10n_ar_tusfacturas_apitoken,
            usertoken,
        )
        if not all(credentials):
            raise UserError(
                self.env._(
                    "TusFacturas is not configured for company %(company)s: set the "
                    "API key, API token and user token in Settings > Invoicing > "
                    "TusFacturas.app (search for TusFacturas in Settings).",
                    company=self.name,
                )
            )
        pdf_hosts = self.env["ir.config_parameter"].sudo().get_param(PDF_HOSTS_PARAM)
        return TusFacturasClient(
            *credentials,
            base_url=company.l10n_ar_tusfacturas_api_url or DEFAULT_BASE_URL,
            read_timeout=company._l10n_ar_tusfacturas_issuing_timeout(),
            pdf_hosts=[h.strip() for h in (pdf_hosts or "").split(",") if h.strip()],
        )

    def _l10n_ar_tusfacturas_issuing_timeout(self):
        """The company's issuing timeout, ended early enough for the worker:
        Odoo kills a request (and a cron) running longer than
        ``limit_time_real``, which would leave the posting in no state at
        all; a timeout leaves it in Outcome unknown, resolved by a lookup."""
        timeout = self.l10n_ar_tusfacturas_timeout or 120
        worker_limit = config.get("limit_time_real") or 0
        if worker_limit > 0:
            timeout = min(timeout, max(worker_limit - WORKER_MARGIN, MIN_TIMEOUT))
        return timeout

    def _l10n_ar_tusfacturas_call(self, request, journal=None):
        """Run ``request(client)``; a TusFacturas error becomes a clear UserError.

        For the read-only tools (lookups, numbering, tables): nothing is issued
        by them, so every failure is simply reported to the user.
        """
        try:
            with self._l10n_ar_tusfacturas_get_client(journal) as client:
                return request(client)
        except TusFacturasError as error:
            raise UserError(self._l10n_ar_tusfacturas_error_message(error)) from error

    def _l10n_ar_tusfacturas_error_message(self, error):
        """What a client error means, in the user's language (never a token)."""
        if isinstance(error, TusFacturasMaintenance):
            return self.env._(
                "TusFacturas is under maintenance until %(until)s. Try again later.",
                until=self._l10n_ar_tusfacturas_format_until(error),
            )
        if isinstance(error, TusFacturasRejected):
            text = self.env._(
                "TusFacturas answered with an error: %(errors)s",
                errors="; ".join(error.messages) or str(error),
            )
            hints = [self.env._(hint) for hint in error.hints]
            return "\n".join([text, *hints])
        return self.env._("TusFacturas could not be reached: %(error)s", error=error)

    def _l10n_ar_tusfacturas_format_until(self, error):
        """The end of a maintenance window in the user's date format."""
        if not error.until:
            return "?"
        day = format_date(self.env, error.until.date())
        return f"{day} {error.until:%H:%M}"

    def _l10n_ar_tusfacturas_check_service(self, journal=None):
        """Refuse to send while AFIP reports an incident or TusFacturas is down.

        A working service is remembered for a few minutes, for every worker.
        """
        now = fields.Datetime.now()
        last_ok = self.l10n_ar_tusfacturas_service_ok_at
        if last_ok and now - last_ok < SERVICE_OK_FOR:
            return
        try:
            with self._l10n_ar_tusfacturas_get_client(journal) as client:
                status = client.service_status()
        except TusFacturasError as error:
            raise UserError(
                self.env._(
                    "Nothing was sent, the invoices stay in draft: %(reason)s",
                    reason=self._l10n_ar_tusfacturas_error_message(error),
                )
            ) from error
        problem = self._l10n_ar_tusfacturas_get_service_problem(status)
        if problem:
            raise UserError(
                self.env._(
                    "AFIP's invoicing service reports an incident: %(status)s\n"
                    "Nothing was sent, the invoices stay in draft. Try again later.",
                    status=problem,
                )
            )
        self._l10n_ar_tusfacturas_remember_service_ok(now)

    def _l10n_ar_tusfacturas_remember_service_ok(self, when):
        """Remember that the service works, without ever waiting for a lock:
        it is only a cache, and another worker's posting may hold the row."""
        self.ensure_one()
        try:
            with self.env.cr.savepoint(flush=False):
                self.env.cr.execute(
                    "SELECT id FROM res_company WHERE id = %s FOR UPDATE NOWAIT",
                    [self.id],
                )
                self.env.cr.execute(
                    "UPDATE res_company SET l10n_ar_tusfacturas_service_ok_at = %s "
                    "WHERE id = %s",
                    [when, self.id],
                )
        except (
            psycopg2.errors.LockNotAvailable,
            psycopg2.errors.SerializationFailure,
        ):
            _logger.info("TusFacturas: service status of %s not cached", self.name)
            return
        self.invalidate_recordset(["l10n_ar_tusfacturas_service_ok_at"])

    @api.model
    def _l10n_ar_tusfacturas_get_service_problem(self, status):
        """What estado_servicios says is wrong with AFIP's service, or ""."""
        service = str(status.get("facturacion") or "").strip()
        if service.upper() == "OK":
            return ""
        return service or self.env._("no status given")

    def _l10n_ar_tusfacturas_save_rate(self, currency, day, rate):
        """Store AFIP's ``rate`` (pesos per unit) as ``currency``'s rate of ``day``.

        On the root company, where Odoo reads rates (branches share them).
        Sudo: invoicing users may not edit rates, but this one comes from AFIP.
        """
        company = self.root_id
        rates = self.env["res.currency.rate"].sudo()
        existing = rates.search(
            [
                ("currency_id", "=", currency.id),
                ("company_id", "=", company.id),
                ("name", "=", day),
            ],
            limit=1,
        )
        values = {"inverse_company_rate": float(rate)}
        if existing:
            existing.write(values)
        else:
            rates.create(
                {
                    **values,
                    "currency_id": currency.id,
                    "company_id": company.id,
                    "name": day,
                }
            )
