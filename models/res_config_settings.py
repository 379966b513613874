from odoo import fields, models

from ..tusfacturas import (
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasRejected,
)

SECRET = "base.group_system"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_ar_tusfacturas_apikey = fields.Char(
        related="company_id.l10n_ar_tusfacturas_apikey", readonly=False, groups=SECRET
    )
    l10n_ar_tusfacturas_apitoken = fields.Char(
        related="company_id.l10n_ar_tusfacturas_apitoken",
        readonly=False,
        groups=SECRET,
    )
    l10n_ar_tusfacturas_usertoken = fields.Char(
        related="company_id.l10n_ar_tusfacturas_usertoken",
        readonly=False,
        groups=SECRET,
    )
    l10n_ar_tusfacturas_api_url = fields.Char(
        related="company_id.l10n_ar_tusfacturas_api_url",
        readonly=False,
        groups=SECRET,
    )
    l10n_ar_tusfacturas_timeout = fields.Integer(
        related="company_id.l10n_ar_tusfacturas_timeout", readonly=False
    )
    l10n_ar_tusfacturas_spacing = fields.Integer(
        related="company_id.l10n_ar_tusfacturas_spacing", readonly=False
    )
    l10n_ar_tusfacturas_rubro = fields.Char(
        related="company_id.l10n_ar_tusfacturas_rubro", readonly=False
    )
    l10n_ar_tusfacturas_rubro_grupo_contable = fields.Char(
        related="company_id.l10n_ar_tusfacturas_rubro_grupo_contable",
        readonly=False,
    )
    l10n_ar_tusfacturas_send_email = fields.Boolean(
        related="company_id.l10n_ar_tusfacturas_send_email", readonly=False
    )
    l10n_ar_tusfacturas_pdf_language = fields.Selection(
        related="company_id.l10n_ar_tusfacturas_pdf_language", readonly=False
    )
    l10n_ar_tusfacturas_price_list = fields.Char(
        related="company_id.l10n_ar_tusfacturas_price_list", readonly=False
    )

    l10n_ar_tusfacturas_check_service = fields.Boolean(
        related="company_id.l10n_ar_tusfacturas_check_service", readonly=False
    )
    l10n_ar_tusfacturas_auto_rate = fields.Boolean(
        related="company_id.l10n_ar_tusfacturas_auto_rate", readonly=False
    )
    l10n_ar_tusfacturas_pays_same_currency = fields.Boolean(
        related="company_id.l10n_ar_tusfacturas_pays_same_currency", readonly=False
    )
    l10n_ar_tusfacturas_reclama_deuda = fields.Boolean(
        related="company_id.l10n_ar_tusfacturas_reclama_deuda", readonly=False
    )
    l10n_ar_tusfacturas_reclama_deuda_dias = fields.Integer(
        related="company_id.l10n_ar_tusfacturas_reclama_deuda_dias", readonly=False
    )
    l10n_ar_tusfacturas_reclama_deuda_repite_dias = fields.Integer(
        related="company_id.l10n_ar_tusfacturas_reclama_deuda_repite_dias",
        readonly=False,
    )

    l10n_ar_tusfacturas_webhook_url = fields.Char(
        related="company_id.l10n_ar_tusfacturas_webhook_url", groups=SECRET
    )

    def action_l10n_ar_tusfacturas_new_webhook_url(self):
        """A new secret webhook URL for the company (the old one stops working)."""
        self.ensure_one()
        self.company_id._l10n_ar_tusfacturas_new_webhook_token()
        return True

    def action_l10n_ar_tusfacturas_test_connection(self):
        """Ask estado_servicios with the saved credentials and say what came back."""
        self.ensure_one()
        company = self.company_id
        try:
            status = company._l10n_ar_tusfacturas_get_client().service_status()
        except TusFacturasMaintenance as error:
            message = company._l10n_ar_tusfacturas_error_message(error)
            return self._l10n_ar_tusfacturas_notify("warning", message)
        except TusFacturasRejected as error:
            message = self.env._(
                "TusFacturas refused the credentials: %(error)s", error=error
            )
            return self._l10n_ar_tusfacturas_notify("danger", message)
        except TusFacturasError as error:
            message = company._l10n_ar_tusfacturas_error_message(error)
            return self._l10n_ar_tusfacturas_notify("danger", message)
        service = company._l10n_ar_tusfacturas_get_service_problem(status)
        message = self.env._(
            "Credentials accepted. AFIP invoicing service: %(service)s. %(news)s",
            service=service or "OK",
            news=status.get("novedades") or "",
        )
        return self._l10n_ar_tusfacturas_notify(
            "warning" if service else "success", message
        )

    def _l10n_ar_tusfacturas_notify(self, kind, message):
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("TusFacturas connection"),
                "message": message,
                "type": kind,
                # Sticky: the answer is long and must stay until it is read.
                "sticky": True,
            },
        }
