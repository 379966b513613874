from odoo import fields, models


class L10nArTusfacturasCustomerAccountLine(models.TransientModel):
    """One movement of a customer's cuenta corriente in TusFacturas."""

    _name = "l10n_ar.tusfacturas.customer.account.line"
    _description = "TusFacturas customer account movement"
    _order = "account_id, sequence, id"

    account_id = fields.Many2one(
        "l10n_ar.tusfacturas.customer.account", required=True, ondelete="cascade"
    )
    sequence = fields.Integer()
    currency_id = fields.Many2one(related="account_id.currency_id")
    date = fields.Date()
    concept = fields.Char()
    debit = fields.Monetary()
    credit = fields.Monetary()
    balance = fields.Monetary()
    amount_residual = fields.Monetary(string="Still to pay")
