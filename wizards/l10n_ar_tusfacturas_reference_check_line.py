from odoo import api, fields, models
from odoo.exceptions import UserError


class L10nArTusfacturasReferenceCheckLine(models.TransientModel):
    _name = "l10n_ar.tusfacturas.reference.check.line"
    _description = "TusFacturas reference tables check: one Odoo record"
    _order = "is_problem desc, table, usage_count desc, record_name, id"

    check_id = fields.Many2one(
        "l10n_ar.tusfacturas.reference.check",
        string="Reference check",
        required=True,
        ondelete="cascade",
    )
    table = fields.Selection(
        [
            ("uom", "Unit of measure"),
            ("country", "Country"),
            ("country_cuit", "CUIT país"),
            ("incoterm", "Incoterm"),
        ],
        required=True,
    )
    res_model = fields.Char("Model", required=True)
    res_id = fields.Many2oneReference("Record", model_field="res_model", required=True)
    record_name = fields.Char("Odoo record")
    odoo_field = fields.Char(help="Technical name of the field holding the code.")
    partner_kind = fields.Selection(
        [("company", "Companies"), ("person", "Individuals")],
        "Customers",
        help="CUIT país: companies are sent the legal entity CUIT, individuals the "
        "natural person one.",
    )
    odoo_code = fields.Char(help="The code as stored in Odoo.")
    tusfacturas_code = fields.Char(
        "Code sent", help="What invoices send to TusFacturas for this record."
    )
    tusfacturas_name = fields.Char(
        "TusFacturas description", help="Empty when TusFacturas does not know the code."
    )
    status = fields.Selection(
        [
            ("ok", "OK"),
            ("unknown", "Unknown to TusFacturas"),
            ("missing", "No code in Odoo"),
        ],
        required=True,
    )
    is_problem = fields.Boolean(compute="_compute_is_problem", store=True)
    usage_count = fields.Integer(
        "Uses",
        help="Units: products and sale invoice lines; countries and CUIT país: "
        "customers; incoterms: sale invoices.",
    )
    note = fields.Char("What to fix", compute="_compute_note")

    @api.depends("status")
    def _compute_is_problem(self):
        for line in self:
            line.is_problem = line.status != "ok"

    @api.depends("table", "status", "record_name", "odoo_code", "odoo_field")
    def _compute_note(self):
        for line in self:
            line.note = line._get_note() if line.is_problem else False

    def action_open_record(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": self.res_model,
            "res_id": self.res_id,
            "views": [(False, "form")],
            "target": "current",
        }

    @api.model
    def action_check_again(self):
        """List header button: the action's context names the check."""
        check = self.env["l10n_ar.tusfacturas.reference.check"].browse(
            self.env.context.get("l10n_ar_tusfacturas_reference_check_id")
        )
        if not check.exists():
            raise UserError(
                self.env._(
                    "This check has expired: open Accounting > Configuration > "
                    "TusFacturas > Check reference tables again."
                )
            )
        check._check()
        return True

    def _get_note(self):
        values = {
            "name": self.record_name,
            "code": self.odoo_code,
            "field": self._get_field_label(),
        }
        getter = {
            "uom": self._get_uom_note,
            "country": self._get_country_note,
            "country_cuit": self._get_country_cuit_note,
            "incoterm": self._get_incoterm_note,
        }[self.table]
        return getter(**values)

    def _get_field_label(self):
        field = self.env[self.res_model]._fields.get(self.odoo_field or "")
        return field.get_description(self.env)["string"] if field else ""

    def _get_uom_note(self, **values):
        if self.status == "missing":
            return self.env._(
                "Unit of measure %(name)s has no AFIP code (field %(field)s), so "
                "invoices using it cannot be sent. Set it to the matching code of "
                "TusFacturas' table of units (98 means other units).",
                **values,
            )
        return self.env._(
            "The AFIP code of unit of measure %(name)s (field %(field)s) is "
            "%(code)s, which is not in TusFacturas' table of units: invoices using "
            "it would be refused. Set it to a code of that table.",
            **values,
        )

    def _get_country_note(self, **values):
        if self.status == "missing":
            return self.env._(
                "Country %(name)s has no %(field)s, so export invoices to its "
                "customers cannot be sent. Set it to the country's code in "
                "TusFacturas' table of countries (the field is shown in developer "
                "mode).",
                **values,
            )
        return self.env._(
            "The %(field)s of country %(name)s is %(code)s, which is not in "
            "TusFacturas' table of countries: export invoices to its customers "
            "would be refused. Correct it (the field is shown in developer mode).",
            **values,
        )

    def _get_country_cuit_note(self, **values):
        if self.status == "missing":
            return self.env._(
                "Country %(name)s has no %(field)s, so export invoices to its "
                "customers of this kind cannot be sent. Set it to the CUIT país AFIP "
                "gives that country.",
                **values,
            )
        return self.env._(
            "The %(field)s of country %(name)s is %(code)s, which is not in "
            "TusFacturas' table of CUIT país: export invoices to its customers of "
            "this kind would be refused. Correct it.",
            **values,
        )

    def _get_incoterm_note(self, **values):
        return self.env._(
            "Incoterm %(name)s: its %(field)s %(code)s is not in TusFacturas' table "
            "of incoterms, so export invoices with it would be refused. Choose "
            "another incoterm on export invoices, or archive this one.",
            **values,
        )
