from collections import Counter
from decimal import Decimal, InvalidOperation

from odoo import api, fields, models

from ..tusfacturas import afip_tables as tables
from ..tusfacturas.normalize import text_key

SALE_MOVE_TYPES = ("out_invoice", "out_refund")
# IVA conditions the addon sends (TusFacturas' condiciones_iva codes).
IVA_CONDITION_CODES = dict.fromkeys(
    (*tables.IVA_CONDITIONS.values(), *tables.EXPORT_ONLY_IVA_CONDITIONS.values()),
    "",
)


class L10nArTusfacturasReferenceCheck(models.TransientModel):
    """Compare the codes invoices send with TusFacturas' reference tables.

    Units of measure, countries, CUIT país and incoterms: the records invoices
    can use, each with the code the invoice payload sends (the same functions
    of ``afip_tables``), against what TusFacturas lists.

    VAT rates, IVA conditions, currencies and perception types and regimes
    (the addon's own tables in ``afip_tables``): the Odoo records that send a
    code, then the addon's codes no record sends, then the codes only
    TusFacturas lists, so a change on its side shows before an invoice fails.
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
        """Ask TusFacturas its tables (one request each), rebuild the lines."""
        self.ensure_one()
        remote = self.company_id._l10n_ar_tusfacturas_call(self._fetch_tables)
        customers = self._get_foreign_customer_counts()
        tax_uses = self._get_sale_tax_usage()
        values = (
            self._get_uom_lines(remote["uom"])
            + self._get_country_lines(remote["country"], customers)
            + self._get_country_cuit_lines(remote["country_cuit"], customers)
            + self._get_incoterm_lines(remote["incoterm"])
            + self._get_vat_rate_lines(remote["vat_rate"], tax_uses)
            + self._get_iva_condition_lines(remote["iva_condition"])
            + self._get_currency_lines(remote["currency"])
            + self._get_perception_lines(remote, tax_uses)
        )
        self.line_ids.unlink()
        self.env["l10n_ar.tusfacturas.reference.check.line"].create(
            [{**line_values, "check_id": self.id} for line_values in values]
        )

    @api.model
    def _fetch_tables(self, client):
        """One request per table; each table as {code: description}."""

        def as_dict(rows, code=str.strip):
            return {code(row["code"]): row["name"] for row in rows}

        regimes = client.perception_regimes()
        return {
            "uom": as_dict(client.units_of_measure()),
            "country": as_dict(client.countries()),
            "country_cuit": as_dict(client.country_cuits()),
            "incoterm": as_dict(client.incoterms()),
            "vat_rate": as_dict(client.vat_rates(), self._vat_rate_code),
            "iva_condition": as_dict(client.iva_conditions()),
            "currency": as_dict(client.currencies()),
            "perception_type": as_dict(client.perception_types()),
            "perception_regime": as_dict(regimes),
            "perception_regime_type": {
                row["code"].strip(): row["tipo"].strip()
                for row in regimes
                if row.get("tipo")
            },
        }

    @api.model
    def _vat_rate_code(self, code):
        """An alícuota as the addon writes it: "21.00" and "21" are "21"."""
        try:
            return f"{Decimal(code.strip()).normalize():f}"
        except InvalidOperation:
            return code.strip()

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
        """One line: ``sent`` is the code the invoice payload would carry
        (empty when the addon has no TusFacturas code for the Odoo one)."""
        odoo_code = record[field] or ""
        sent = sent if odoo_code else ""
        if not odoo_code:
            status = "missing"
        elif not sent:
            status = "unsupported"
        else:
            status = "ok" if sent in remote else "unknown"
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

    @api.model
    def _get_customer_domain(self):
        """Customers: commercial partners with a customer rank (posted sales) or
        with a sale invoice or credit note (drafts included)."""
        return [
            "|",
            ("is_company", "=", True),
            ("parent_id", "=", False),
            "|",
            ("customer_rank", ">", 0),
            ("invoice_ids.move_type", "in", SALE_MOVE_TYPES),
        ]

    def _get_foreign_customer_counts(self):
        """{(country, is_company): customers} of customers abroad."""
        groups = self.env["res.partner"]._read_group(
            [
                ("country_id", "not in", [False, self.company_id.country_id.id]),
                *self._get_customer_domain(),
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

    # ------------------------------------------------------------------
    # The addon's own tables: VAT rates, IVA conditions, currencies and
    # perceptions. Record lines first, then the addon's codes no record
    # sends, then the codes only TusFacturas lists.
    # ------------------------------------------------------------------

    def _get_code_table_lines(self, table, remote, record_lines, addon_codes, **kw):
        """``addon_codes``: {code the addon can send: its description}; ``kw``
        may give ``uses`` {code: uses} and ``matches(code)`` for descriptions."""
        uses, matches = kw.get("uses", {}), kw.get("matches")
        sent = {line["tusfacturas_code"] for line in record_lines}
        addon_lines = []
        for code, name in addon_codes.items():
            if code in sent:
                continue
            status = "ok" if code in remote else "unknown"
            if status == "ok" and matches and not matches(code):
                status = "mismatch"
            addon_lines.append(
                {
                    "table": table,
                    "record_name": name,
                    "tusfacturas_code": code,
                    "tusfacturas_name": remote.get(code, ""),
                    "status": status,
                    "usage_count": uses.get(code, 0),
                }
            )
        remote_lines = [
            {
                "table": table,
                "tusfacturas_code": code,
                "tusfacturas_name": name,
                "status": "tusfacturas_only",
            }
            for code, name in remote.items()
            if code not in addon_codes and code not in sent
        ]
        return record_lines + addon_lines + remote_lines

    def _get_sale_tax_usage(self):
        """{tax: sale invoice lines of the company with it}."""
        groups = self.env["account.move.line"]._read_group(
            [
                ("company_id", "=", self.company_id.id),
                ("move_type", "in", SALE_MOVE_TYPES),
                ("display_type", "=", "product"),
                ("parent_state", "!=", "cancel"),
            ],
            ["tax_ids"],
            ["__count"],
        )
        return {tax: count for tax, count in groups if tax}

    def _get_vat_rate_lines(self, remote, tax_uses):
        uses = Counter()
        for tax, count in tax_uses.items():
            uses[tax.tax_group_id] += count
        groups = self.env["account.tax.group"].search(
            [
                *self.env["account.tax.group"]._check_company_domain(self.company_id),
                ("l10n_ar_vat_afip_code", "!=", False),
            ]
        )
        record_lines = [
            self._line_values(
                "vat_rate",
                group,
                "l10n_ar_vat_afip_code",
                tables.VAT_RATES.get(group.l10n_ar_vat_afip_code, ""),
                remote,
                usage_count=uses[group],
            )
            for group in groups
        ]
        addon_codes = dict.fromkeys(tables.VAT_RATES.values(), "")
        return self._get_code_table_lines("vat_rate", remote, record_lines, addon_codes)

    def _get_iva_condition_lines(self, remote):
        """AFIP responsibilities: the active ones and those of customers."""
        uses = dict(
            self.env["res.partner"]._read_group(
                self._get_customer_domain(),
                ["l10n_ar_afip_responsibility_type_id"],
                ["__count"],
            )
        )
        responsibilities = (
            self.env["l10n_ar.afip.responsibility.type"]
            .with_context(active_test=False)
            .search(
                ["|", ("active", "=", True), ("id", "in", [r.id for r in uses if r])]
            )
        )
        record_lines = [
            self._line_values(
                "iva_condition",
                responsibility,
                "code",
                tables.IVA_CONDITIONS.get(responsibility.code)
                or tables.EXPORT_ONLY_IVA_CONDITIONS.get(responsibility.code, ""),
                remote,
                usage_count=uses.get(responsibility, 0),
            )
            for responsibility in responsibilities
        ]
        return self._get_code_table_lines(
            "iva_condition", remote, record_lines, IVA_CONDITION_CODES
        )

    def _get_currency_lines(self, remote):
        """Active currencies and those of the company's sale invoices."""
        uses = dict(
            self.env["account.move"]._read_group(
                [
                    ("company_id", "=", self.company_id.id),
                    ("move_type", "in", SALE_MOVE_TYPES),
                ],
                ["currency_id"],
                ["__count"],
            )
        )
        currencies = (
            self.env["res.currency"]
            .with_context(active_test=False)
            .search(["|", ("active", "=", True), ("id", "in", [c.id for c in uses])])
        )
        record_lines = []
        for currency in currencies:
            code = currency.l10n_ar_afip_code or ""
            line = self._line_values(
                "currency",
                currency,
                "l10n_ar_afip_code",
                code if code in tables.CURRENCIES else "",
                remote,
                usage_count=uses.get(currency, 0),
            )
            if line["status"] == "unsupported":
                # TusFacturas may have added it: then the addon needs an update.
                line["tusfacturas_name"] = remote.get(code, "")
            record_lines.append(line)
        addon_codes = dict.fromkeys(sorted(tables.CURRENCIES), "")
        return self._get_code_table_lines("currency", remote, record_lines, addon_codes)

    def _get_perception_lines(self, remote, tax_uses):
        """Sale taxes with a regime, the regimes of the tax form's selection
        and the perception types (the regime gives the type)."""
        taxes = (
            self.env["account.tax"]
            .with_context(active_test=False)
            .search(
                [
                    *self.env["account.tax"]._check_company_domain(self.company_id),
                    ("type_tax_use", "=", "sale"),
                    ("l10n_ar_tusfacturas_regime", "!=", False),
                    "|",
                    ("active", "=", True),
                    ("id", "in", [tax.id for tax in tax_uses]),
                ]
            )
        )
        regimes = remote["perception_regime"]
        types = remote["perception_regime_type"]
        record_lines = []
        for tax in taxes:
            regime = tax.l10n_ar_tusfacturas_regime
            line = self._line_values(
                "perception_regime",
                tax,
                "l10n_ar_tusfacturas_regime",
                regime,
                regimes,
                usage_count=tax_uses.get(tax, 0),
            )
            if line["status"] == "ok" and not self._regime_matches(
                regime, regimes, types
            ):
                line["status"] = "mismatch"
            record_lines.append(line)
        type_uses = Counter(
            tables.PERCEPTION_REGIMES[tax.l10n_ar_tusfacturas_regime][0]
            for tax in taxes
        )
        return self._get_code_table_lines(
            "perception_regime",
            regimes,
            record_lines,
            {code: name for code, (_tipo, name) in tables.PERCEPTION_REGIMES.items()},
            matches=lambda code: self._regime_matches(code, regimes, types),
        ) + self._get_code_table_lines(
            "perception_type",
            remote["perception_type"],
            [],
            tables.PERCEPTION_TYPES,
            uses=type_uses,
            matches=lambda code: self._same_description(
                tables.PERCEPTION_TYPES[code], remote["perception_type"][code]
            ),
        )

    @api.model
    def _same_description(self, ours, theirs):
        ours, theirs = text_key(ours), text_key(theirs)
        return bool(ours and theirs) and (ours in theirs or theirs in ours)

    @api.model
    def _regime_matches(self, code, names, types):
        """TusFacturas describes regime ``code`` as the addon does: same type
        (when it gives one) and the same regime name. The addon's names are
        "<kind> - <regime>" (e.g. "IIBB - CORDOBA"); TusFacturas' docs list the
        regime part, with or without a prefix."""
        tipo, name = tables.PERCEPTION_REGIMES[code]
        their_type = types.get(code)
        if (
            their_type
            and their_type != tipo
            and not self._same_description(tables.PERCEPTION_TYPES[tipo], their_type)
        ):
            return False
        theirs = text_key(names.get(code))
        regime = text_key(name.split(" - ", 1)[-1])
        return theirs in (text_key(name), regime) or theirs.endswith(" " + regime)
