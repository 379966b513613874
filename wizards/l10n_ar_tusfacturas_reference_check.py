from collections import Counter

from odoo import api, fields, models

from ..tusfacturas import afip_tables as tables

SALE_MOVE_TYPES = ("out_invoice", "out_refund")


class L10nArTusfacturasReferenceCheck(models.TransientModel):
    """Compare the codes invoices send with TusFacturas' reference tables.

    Units of measure, countries, CUIT país and incoterms: the records invoices
    can use, each with the code the invoice payload sends (the same functions
    of ``afip_tables``), against what TusFacturas lists.
    """

    _name = "l10n_ar.tusfacturas.reference.check"
    _description = "TusFacturas reference tables check"

    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    line_ids = fields.One2many(
        "l10n_ar.tusfacturas.reference.check.line",
        "check_id",
        string="Lines",
        readonly=True,
    )

    def action_check(self):
        self.ensure_one()
        self._check()
        return self._get_lines_action()

    def _check(self):
        """Ask TusFacturas its four tables, then rebuild the lines."""
        self.ensure_one()
        remote = self.company_id._l10n_ar_tusfacturas_call(self._fetch_tables)
        customers = self._get_foreign_customer_counts()
        values = (
            self._get_uom_lines(remote["uom"])
            + self._get_country_lines(remote["country"], customers)
            + self._get_country_cuit_lines(remote["country_cuit"], customers)
            + self._get_incoterm_lines(remote["incoterm"])
        )
        self.line_ids.unlink()
        self.env["l10n_ar.tusfacturas.reference.check.line"].create(
            [{**line_values, "check_id": self.id} for line_values in values]
        )

    @api.model
    def _fetch_tables(self, client):
        """One request per table; each table as {code: description}."""

        def as_dict(rows):
            return {row["code"].strip(): row["name"] for row in rows}

        return {
            "uom": as_dict(client.units_of_measure()),
            "country": as_dict(client.countries()),
            "country_cuit": as_dict(client.country_cuits()),
            "incoterm": as_dict(client.incoterms()),
        }

    def _get_lines_action(self):
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_reference_check_line"
        )
        action["name"] = self.env._(
            "Reference tables: %(company)s", company=self.company_id.name
        )
        action["domain"] = [("check_id", "=", self.id)]
        action["context"] = {
            "search_default_problems": 1,
            "l10n_ar_tusfacturas_reference_check_id": self.id,
        }
        return action

    @api.model
    def _line_values(self, table, record, field, sent, remote, **values):
        """One line: ``sent`` is the code the invoice payload would carry."""
        odoo_code = record[field] or ""
        sent = sent if odoo_code else ""
        known = "ok" if sent in remote else "unknown"
        status = known if odoo_code else "missing"
        return {
            "table": table,
            "res_model": record._name,
            "res_id": record.id,
            "record_name": record.display_name,
            "odoo_field": field,
            "odoo_code": odoo_code,
            "tusfacturas_code": sent,
            "tusfacturas_name": remote.get(sent, ""),
            "status": status,
            **values,
        }

    # ------------------------------------------------------------------
    # Units of measure: those with an AFIP code and those in use
    # ------------------------------------------------------------------

    def _get_uom_lines(self, remote):
        uses = self._get_uom_usage()
        uoms = (
            self.env["uom.uom"]
            .with_context(active_test=False)
            .search(
                [
                    "|",
                    "&",
                    ("active", "=", True),
                    ("l10n_ar_afip_code", "!=", False),
                    ("id", "in", list(uses)),
                ]
            )
        )
        return [
            self._line_values(
                "uom",
                uom,
                "l10n_ar_afip_code",
                tables.uom_code(uom.l10n_ar_afip_code),
                remote,
                usage_count=uses[uom.id],
            )
            for uom in uoms
        ]

    def _get_uom_usage(self):
        """{uom id: products + sale invoice lines of the company using it}."""
        company = self.company_id
        products = self.env["product.template"]._read_group(
            [("company_id", "in", [False, company.id])], ["uom_id"], ["__count"]
        )
        lines = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", company.id),
                ("move_type", "in", SALE_MOVE_TYPES),
                ("display_type", "=", "product"),
                ("parent_state", "!=", "cancel"),
                ("product_uom_id", "!=", False),
            ],
            ["product_uom_id"],
            ["__count"],
        )
        uses = Counter()
        for uom, count in products + lines:
            uses[uom.id] += count
        return uses

    # ------------------------------------------------------------------
    # Countries and CUIT país: those of foreign customers
    # ------------------------------------------------------------------

    def _get_foreign_customer_counts(self):
        """{(country, is_company): customers} of customers abroad.

        Customers: commercial partners with a customer rank (posted sales) or
        with a sale invoice or credit note (drafts included).
        """
        groups = self.env["res.partner"]._read_group(
            [
                ("country_id", "not in", [False, self.company_id.country_id.id]),
                "|",
                ("is_company", "=", True),
                ("parent_id", "=", False),
                "|",
                ("customer_rank", ">", 0),
                ("invoice_ids.move_type", "in", SALE_MOVE_TYPES),
            ],
            ["country_id", "is_company"],
            ["__count"],
        )
        return {(country, is_company): count for country, is_company, count in groups}

    def _get_country_lines(self, remote, customers):
        uses = Counter()
        for (country, _is_company), count in customers.items():
            uses[country] += count
        return [
            self._line_values(
                "country",
                country,
                "l10n_ar_afip_code",
                (country.l10n_ar_afip_code or "").strip(),
                remote,
                usage_count=count,
            )
            for country, count in uses.items()
        ]

    def _get_country_cuit_lines(self, remote, customers):
        return [
            self._line_values(
                "country_cuit",
                country,
                self._get_country_cuit_field(country, is_company),
                tables.country_cuit(
                    country.l10n_ar_natural_vat,
                    country.l10n_ar_legal_entity_vat,
                    is_company,
                ),
                remote,
                partner_kind="company" if is_company else "person",
                usage_count=count,
            )
            for (country, is_company), count in customers.items()
        ]

    @api.model
    def _get_country_cuit_field(self, country, is_company):
        """The field whose value ``tables.country_cuit`` picks (or should)."""
        if is_company or (
            not country.l10n_ar_natural_vat and country.l10n_ar_legal_entity_vat
        ):
            return "l10n_ar_legal_entity_vat"
        return "l10n_ar_natural_vat"

    # ------------------------------------------------------------------
    # Incoterms: all active ones
    # ------------------------------------------------------------------

    def _get_incoterm_lines(self, remote):
        groups = self.env["account.move"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("move_type", "in", SALE_MOVE_TYPES),
                ("invoice_incoterm_id", "!=", False),
            ],
            ["invoice_incoterm_id"],
            ["__count"],
        )
        uses = dict(groups)
        return [
            self._line_values(
                "incoterm",
                incoterm,
                "code",
                incoterm.code or "",
                remote,
                usage_count=uses.get(incoterm, 0),
            )
            for incoterm in self.env["account.incoterms"].search([])
        ]
