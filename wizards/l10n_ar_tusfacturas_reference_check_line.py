from odoo import api, fields, models
from odoo.exceptions import UserError

from ..tusfacturas import afip_tables as tables


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
            ("vat_rate", "VAT rate"),
            ("iva_condition", "IVA condition"),
            ("currency", "Currency"),
            ("perception_type", "Perception type"),
            ("perception_regime", "Perception regime"),
        ],
        required=True,
    )
    # Empty on lines of the addon's own tables that no Odoo record uses.
    res_model = fields.Char("Model")
    res_id = fields.Many2oneReference("Record", model_field="res_model")
    record_name = fields.Char(
        "Odoo record",
        help="The Odoo record sending the code; for a code of the addon's own "
        "tables that no record sends, the addon's description of it.",
    )
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
            ("unsupported", "Not sent by the addon"),
            ("mismatch", "Described differently"),
            ("tusfacturas_only", "Only in TusFacturas"),
        ],
        required=True,
    )
    is_problem = fields.Boolean(compute="_compute_is_problem", store=True)
    usage_count = fields.Integer(
        "Uses",
        help="Units: products and sale invoice lines; countries, CUIT país and IVA "
        "conditions: customers; incoterms and currencies: sale invoices; VAT rates "
        "and perception regimes: sale invoice lines; perception types: taxes.",
    )
    # Text: a sentence or two, wrapping in the list.
    note = fields.Text("What to fix", compute="_compute_note")

    @api.depends("status", "res_id", "usage_count")
    def _compute_is_problem(self):
        """A difference is a problem when something uses it: a code TusFacturas
        does not know (or describes differently) sent by an Odoo record or in
        use, or an Odoo code the addon cannot send, in use. A code only
        TusFacturas lists makes nothing fail."""
        for line in self:
            if line.status in ("unknown", "mismatch"):
                line.is_problem = bool(line.res_id or line.usage_count)
            elif line.status in ("missing", "unsupported"):
                line.is_problem = bool(line.usage_count)
            else:
                line.is_problem = False

    @api.depends("table", "status", "record_name", "odoo_code", "odoo_field", "res_id")
    def _compute_note(self):
        for line in self:
            line.note = line._get_note() if line.status != "ok" else False

    def action_open_record(self):
        self.ensure_one()
        if not self.res_id:
            return False
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
            menu = self.env.ref(
                "l10n_ar_tusfacturas.menu_l10n_ar_tusfacturas_reference_check"
            )
            raise UserError(
                self.env._(
                    "This check has expired: open %(menu)s again.",
                    menu=menu._l10n_ar_tusfacturas_path(),
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
        if self.status == "tusfacturas_only" or not self.res_id:
            return self._get_table_note()
        getter = {
            "uom": self._get_uom_note,
            "country": self._get_country_note,
            "country_cuit": self._get_country_cuit_note,
            "incoterm": self._get_incoterm_note,
            "vat_rate": self._get_vat_rate_note,
            "iva_condition": self._get_iva_condition_note,
            "currency": self._get_currency_note,
            "perception_regime": self._get_perception_regime_note,
        }[self.table]
        return getter(sent=self.tusfacturas_code, **values)

    def _get_field_label(self):
        if not self.res_model:
            return ""
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

    def _get_table_note(self):
        """Lines of a code, not of an Odoo record: the addon's table against
        TusFacturas' one."""
        values = {
            "table": dict(self._fields["table"]._description_selection(self.env))[
                self.table
            ],
            "sent": self.tusfacturas_code,
            "description": self.tusfacturas_name or self.record_name or "-",
            "uses": self.usage_count,
        }
        if self.status == "tusfacturas_only":
            return self.env._(
                "TusFacturas' table (%(table)s) lists %(sent)s (%(description)s), "
                "which the addon never sends. Nothing fails; to use it, the addon "
                "needs an update (tell its maintainers).",
                **values,
            )
        if self.status == "mismatch":
            return self.env._(
                'TusFacturas describes %(table)s %(sent)s as "%(description)s", '
                'the addon as "%(addon)s": the code may mean something else now. '
                "Check TusFacturas' table before using it (%(uses)s taxes do) and "
                "update the addon.",
                addon=self._get_addon_description(),
                **values,
            )
        return self.env._(
            "The addon's table (%(table)s) has %(sent)s, which TusFacturas' table "
            "no longer lists: invoices sending it would be refused. No Odoo record "
            "sends it here (%(uses)s uses); the addon needs an update (tell its "
            "maintainers).",
            **values,
        )

    def _get_addon_description(self):
        if self.table == "perception_type":
            return tables.PERCEPTION_TYPES.get(self.tusfacturas_code, "")
        return tables.PERCEPTION_REGIMES.get(self.tusfacturas_code, ("", ""))[1]

    def _get_vat_rate_note(self, **values):
        if self.status == "unsupported":
            return self.env._(
                "Tax group %(name)s (AFIP VAT code %(code)s) has no VAT rate in "
                "TusFacturas' table, so the addon refuses invoice lines with its "
                "taxes before sending. Use another VAT tax on invoices sent through "
                "TusFacturas.",
                **values,
            )
        return self.env._(
            "TusFacturas' table of VAT rates no longer lists %(sent)s, which "
            "invoices send for tax group %(name)s: they would be refused. Do not "
            "invoice with this rate until the addon is updated (tell its "
            "maintainers).",
            **values,
        )

    def _get_iva_condition_note(self, **values):
        if self.status == "unsupported":
            return self.env._(
                "AFIP responsibility %(name)s has no counterpart in TusFacturas' IVA "
                "conditions (RG 5616/2024), so invoices to its customers are "
                "refused before sending. Check the AFIP responsibility of these "
                "customers (Contacts, filter by it).",
                **values,
            )
        return self.env._(
            "TusFacturas' table of IVA conditions no longer lists %(sent)s, which "
            "invoices send for customers with AFIP responsibility %(name)s: they "
            "would be refused. The addon needs an update (tell its maintainers).",
            **values,
        )

    def _get_currency_note(self, **values):
        if self.status == "missing":
            return self.env._(
                "Currency %(name)s has no %(field)s, so invoices in it cannot be "
                "sent. Set it to the currency's code in TusFacturas' currency table "
                "(the field is shown in developer mode).",
                **values,
            )
        if self.status == "unsupported":
            note = self.env._(
                "Currency %(name)s (AFIP code %(code)s) is not in the addon's "
                "table of currencies TusFacturas accepts, so invoices in it are "
                "refused before sending. Invoice in a currency of that table.",
                **values,
            )
            if self.tusfacturas_name:
                note += " " + self.env._(
                    "TusFacturas' table now lists it: the addon needs an update "
                    "(tell its maintainers)."
                )
            return note
        return self.env._(
            "TusFacturas' currency table no longer lists %(sent)s, which invoices "
            "in %(name)s send: they would be refused. Invoice in another currency "
            "until the addon is updated (tell its maintainers).",
            **values,
        )

    def _get_perception_regime_note(self, **values):
        if self.status == "mismatch":
            return self.env._(
                'Tax %(name)s sends perception regime %(sent)s ("%(addon)s"), '
                'which TusFacturas now describes as "%(description)s": the '
                "perception may be declared under another regime. Check TusFacturas' "
                "table, choose the right regime on the tax (TusFacturas perception "
                "regime) and tell the addon's maintainers.",
                addon=self._get_addon_description(),
                description=self.tusfacturas_name,
                **values,
            )
        return self.env._(
            "TusFacturas' table of perception regimes no longer lists %(sent)s, "
            "which tax %(name)s sends: invoices with this tax would be refused. "
            "Choose another regime on the tax (TusFacturas perception regime).",
            **values,
        )
