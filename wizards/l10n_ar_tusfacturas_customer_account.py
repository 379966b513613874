from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tusfacturas import TusFacturasMaintenance, TusFacturasRejected
from ..tusfacturas import afip_tables as tables


class L10nArTusfacturasCustomerAccount(models.TransientModel):
    """A customer's cuenta corriente in TusFacturas and its ARBA rates."""

    _name = "l10n_ar.tusfacturas.customer.account"
    _description = "TusFacturas customer account and ARBA rates"

    partner_id = fields.Many2one(
        "res.partner", required=True, readonly=True, ondelete="cascade"
    )
    document = fields.Char(readonly=True)
    currency_id = fields.Many2one(
        "res.currency", default=lambda self: self.env.ref("base.ARS"), readonly=True
    )
    line_ids = fields.One2many(
        "l10n_ar.tusfacturas.customer.account.line",
        "account_id",
        string="Movements",
        readonly=True,
    )
    balance = fields.Monetary(readonly=True, help="Balance after the last movement.")
    amount_residual = fields.Monetary(string="Still to pay", readonly=True)
    arba_found = fields.Boolean(string="In the ARBA padrón", readonly=True)
    arba_perception_rate = fields.Float(
        string="ARBA perception (%)", digits=(16, 2), readonly=True
    )
    arba_retention_rate = fields.Float(
        string="ARBA retention (%)", digits=(16, 2), readonly=True
    )
    arba_message = fields.Char(string="ARBA", readonly=True)

    @api.model
    def _open_for_partner(self, partner):
        """Ask TusFacturas for ``partner``'s account and ARBA rates; show them."""
        partner = partner.commercial_partner_id
        # Rights first: the request runs with the company's credentials.
        self.check_access("create")
        doc_type, number = self._get_document(partner)
        values = self.env.company._l10n_ar_tusfacturas_call(
            lambda client: self._fetch(client, doc_type, number)
        )
        values.update(partner_id=partner.id, document=f"{doc_type} {number}")
        wizard = self.create(values)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Customer account"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    @api.model
    def _get_document(self, partner):
        """TusFacturas (documento_tipo, documento_nro) of ``partner``."""
        field = partner._fields["vat"]._description_string(self.env)
        iva = tables.IVA_CONDITIONS.get(
            partner.l10n_ar_afip_responsibility_type_id.code
        )
        error = iva != "CDEX" and partner._l10n_ar_tusfacturas_get_document_error()
        if error:
            raise UserError(
                self.env._(
                    "%(partner)s (field %(field)s): %(error)s Nothing was sent to "
                    "TusFacturas.",
                    partner=partner.display_name,
                    field=field,
                    error=error,
                )
            )
        doc_type, number = partner._l10n_ar_tusfacturas_get_document(iva)
        if doc_type != "CUIT":
            # clientes/cuenta-corriente: "documento_tipo — Valores Permitidos: CUIT".
            raise UserError(
                self.env._(
                    "%(partner)s (field %(field)s): TusFacturas looks a customer "
                    "account up by CUIT only, and this customer has a %(type)s. "
                    "Nothing was sent to TusFacturas.",
                    partner=partner.display_name,
                    field=field,
                    type=doc_type,
                )
            )
        if not number or number == "0":
            raise UserError(
                self.env._(
                    "%(partner)s: set the customer's number in the field %(field)s.",
                    partner=partner.display_name,
                    field=field,
                )
            )
        return doc_type, number

    @api.model
    def _fetch(self, client, doc_type, number):
        values = self._get_account_values(client.customer_account(doc_type, number))
        values.update(self._get_arba_values(client, number))
        return values

    @api.model
    def _get_account_values(self, data):
        rows = [row for row in data.get("resultados") or [] if isinstance(row, dict)]
        lines = [
            {
                "sequence": index,
                "date": row.get("fecha") if hasattr(row.get("fecha"), "year") else None,
                "concept": row.get("concepto"),
                "debit": float(row.get("debe") or 0),
                "credit": float(row.get("haber") or 0),
                "balance": float(row.get("saldo") or 0),
                "amount_residual": float(
                    row.get("resta_abonar_de_este_comprobante") or 0
                ),
            }
            for index, row in enumerate(rows)
        ]
        return {
            "line_ids": [Command.create(line) for line in lines],
            "balance": lines[-1]["balance"] if lines else 0.0,
            "amount_residual": sum(line["amount_residual"] for line in lines),
        }

    @api.model
    def _get_arba_values(self, client, number):
        """ARBA rates; a CUIT missing from the ARBA padrón is information."""
        try:
            data = client.arba_padron(number)
        except TusFacturasMaintenance:
            raise
        except TusFacturasRejected as error:
            return {
                "arba_message": self.env._(
                    "No ARBA rates for this customer: %(answer)s",
                    answer="; ".join(error.messages) or str(error),
                )
            }
        return {
            "arba_found": True,
            "arba_perception_rate": float(data.get("alicuota_percepcion") or 0),
            "arba_retention_rate": float(data.get("alicuota_retencion") or 0),
        }
