from odoo import fields, models


class L10nArTusfacturasAsyncDate(models.TransientModel):
    """Change the date of a comprobante waiting in TusFacturas' queue."""

    _name = "l10n_ar.tusfacturas.async.date"
    _description = "Change the date of a comprobante in TusFacturas' queue"

    move_id = fields.Many2one("account.move", required=True, readonly=True)
    invoice_date = fields.Date(
        string="New date",
        required=True,
        help="TusFacturas emits it from this day (and tries again at once when "
        "it had failed).",
    )

    def action_apply(self):
        self.ensure_one()
        self.move_id._l10n_ar_tusfacturas_async_change_date(self.invoice_date)
        return {"type": "ir.actions.act_window_close"}
