from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tusfacturas import (
    DEFAULT_BASE_URL,
    TusFacturasClient,
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasRejected,
)

SECRET = "base.group_system"


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
        help="Token of this company's CUIT in TusFacturas (menu CUITs).",
    )
    l10n_ar_tusfacturas_api_url = fields.Char(
        string="TusFacturas API URL", groups=SECRET, default=DEFAULT_BASE_URL
    )
    l10n_ar_tusfacturas_timeout = fields.Integer(
        string="TusFacturas timeout (s)",
        default=120,
        help="How long to wait for TusFacturas to answer an issuing request. "
        "AFIP can take 90 seconds or more. Lookups (numbers, padrón, status) "
        "wait at most 30 seconds.",
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
        "the invoices stay in draft.",
    )
    l10n_ar_tusfacturas_auto_rate = fields.Boolean(
        string="Use AFIP's exchange rate when validating",
        help="Validating a foreign-currency invoice first gets AFIP's exchange "
        "rate of its date from TusFacturas and saves it as the currency's rate "
        "of that day.",
    )

    l10n_ar_tusfacturas_spacing = fields.Integer(
        string="Seconds between generation requests",
        default=60,
        help="TusFacturas asks that two requests generating comprobantes for one "
        "CUIT be at least a minute apart, or AFIP blocks the CUIT for a while. "
        "Confirming while the CUIT must still wait queues the invoices; the "
        "queue sends them in lotes of up to 20.",
    )

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
                    "API key, API token and user token in Settings > Accounting.",
                    company=self.name,
                )
            )
        return TusFacturasClient(
            *credentials,
            base_url=company.l10n_ar_tusfacturas_api_url or DEFAULT_BASE_URL,
            read_timeout=company.l10n_ar_tusfacturas_timeout or 120,
        )

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
                until=error.until_text,
            )
        if isinstance(error, TusFacturasRejected):
            return self.env._(
                "TusFacturas answered with an error: %(errors)s",
                errors="; ".join(error.messages) or str(error),
            )
        return self.env._("TusFacturas could not be reached: %(error)s", error=error)

    def _l10n_ar_tusfacturas_check_service(self, journal=None):
        """Refuse to send while AFIP reports an incident or TusFacturas is down."""
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
