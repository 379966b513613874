import logging
import re

from odoo import http
from odoo.http import request
from werkzeug.exceptions import BadRequest, NotFound

from ..models.res_company import WEBHOOK_ROUTE

_logger = logging.getLogger(__name__)
_SECRET_IN_PATH = re.compile(re.escape(WEBHOOK_ROUTE) + r"/[^\s?\"]+")


class HideWebhookSecret(logging.Filter):
    """The request log (werkzeug's) shows the path: not the secret in it."""

    def filter(self, record):
        if isinstance(record.args, tuple):
            record.args = tuple(
                _SECRET_IN_PATH.sub(f"{WEBHOOK_ROUTE}/***", arg)
                if isinstance(arg, str)
                else arg
                for arg in record.args
            )
        return True


_werkzeug_logger = logging.getLogger("werkzeug")
if not any(isinstance(f, HideWebhookSecret) for f in _werkzeug_logger.filters):
    _werkzeug_logger.addFilter(HideWebhookSecret())


class TusFacturasWebhook(http.Controller):
    """TusFacturas' queue events (webhooks-notificaciones.md).

    Hooks are not signed (only a User-Agent), so the URL carries a secret per
    company and an event is only a hint: the comprobante it names is read
    again from TusFacturas (``consulta_avanzada`` by external reference) by
    the poll cron, triggered here; nothing is decided from the event itself.
    The answer is quick (TusFacturas waits 5 to 20 s, then sends it again).
    """

    @http.route(
        f"{WEBHOOK_ROUTE}/<string:token>",
        type="http",
        auth="public",
        methods=["POST"],
        csrf=False,
        save_session=False,
    )
    def l10n_ar_tusfacturas_webhook(self, token, **_kwargs):
        company = request.env["res.company"]._l10n_ar_tusfacturas_webhook_company(token)
        if not company:
            raise NotFound()
        try:
            event = request.get_json_data()
        except ValueError as error:
            raise BadRequest() from error
        if not isinstance(event, dict):
            raise BadRequest()
        hinted = request.env["account.move"]._l10n_ar_tusfacturas_webhook_hint(
            company, event
        )
        _logger.info(
            "TusFacturas webhook for company %s: %s (%s)",
            company.id,
            str(event.get("evento"))[:32],
            "read again" if hinted else "nothing to read",
        )
        return request.make_json_response({"received": True})
