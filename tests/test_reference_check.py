from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.models import INSERT_BATCH_SIZE
from odoo.tests import new_test_user, tagged

from ..tusfacturas_sandbox import api as sandbox_api
from ..tusfacturas_sandbox import canned as padron
from .common import TusFacturasCommon

CHECK = "l10n_ar.tusfacturas.reference.check"
LINE = "l10n_ar.tusfacturas.reference.check.line"
TABLE_ENDPOINTS = [
    "tablas_referencia/unidades_medida",
    "tablas_referencia/paises",
    "tablas_referencia/cuit_pais",
    "tablas_referencia/incoterms",
    "tablas_referencia/alicuotas_iva",
    "tablas_referencia/condiciones_iva",
    "tablas_referencia/monedas",
    "tablas_referencia/tributos_percepciones_tipos",
    "tablas_referencia/tributos_percepciones_regimenes",
]
# The tables the addon maps itself (afip_tables), compared code by code.
ADDON_TABLES = (
    "vat_rate",
    "iva_condition",
    "currency",
    "perception_type",
    "perception_regime",
)
# The units of measure l10n_ar gives an AFIP code (uom_uom_data.xml).
L10N_AR_UOMS = [
    "kgm",
    "meter",
    "litre",
    "unit",
    "dozen",
    "cm",
    "day",
    "floz",
    "foot",
    "gram",
    "gal",
    "hour",
    "inch",
    "km",
    "lb",
    "mile",
    "oz",
    "qt",
    "ton",
]


@tagged("post_install_l10n", "post_install", "-at_install")
class TestReferenceCheck(TusFacturasCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.uruguay = cls.env.ref("base.uy")
        cls.customer_uy = cls.env["res.partner"].create(
            {
                "name": "Importadora Montevideo S.A.",
                "is_company": True,
                "country_id": cls.uruguay.id,
                "customer_rank": 1,
            }
        )
        cls.person_uy = cls.env["res.partner"].create(
            {
                "name": "Ana Pereira",
                "country_id": cls.uruguay.id,
                "customer_rank": 1,
            }
        )
        cls.manager = cls._new_user(
            "tf_reference_manager", "l10n_ar_tusfacturas.group_tusfacturas_manager"
        )
        cls.invoicing_user = cls._new_user(
            "tf_reference_invoicing", "account.group_account_invoice"
        )

    @classmethod
    def _new_user(cls, login, group):
        return new_test_user(
            cls.env,
            login=login,
            groups=f"base.group_user,{group}",
            company_id=cls.company_ri.id,
            company_ids=[cls.company_ri.id],
        )

    def _check(self, user=None):
        env = self.env(user=user or self.manager)
        wizard = env[CHECK].with_company(self.company_ri).create({})
        action = wizard.action_check()
        return wizard, action

    def _line(self, wizard, table, record, kind=None):
        lines = wizard.line_ids.filtered(
            lambda line: (
                line.table == table
                and line.res_model == record._name
                and line.res_id == record.id
                and (not kind or line.partner_kind == kind)
            )
        )
        self.assertEqual(len(lines), 1, f"one {table} line for {record.display_name}")
        return lines

    def _new_uom(self, name, code):
        return self.env["uom.uom"].create(
            {
                "name": name,
                "category_id": self.env.ref("uom.product_uom_categ_unit").id,
                "uom_type": "bigger",
                "factor_inv": 12,
                "l10n_ar_afip_code": code,
            }
        )

    def _requests(self):
        """Every request the sandbox received, on any endpoint."""
        return sum(len(self.sandbox.requests_to(e)) for e in sandbox_api.ENDPOINTS)

    def _lines(self, wizard, table, **values):
        return wizard.line_ids.filtered(
            lambda line: (
                line.table == table
                and all(line[key] == value for key, value in values.items())
            )
        )

    def test_codes_shipped_by_l10n_ar_are_known(self):
        wizard, action = self._check()
        # One request per table, and nothing else.
        for endpoint in TABLE_ENDPOINTS:
            self.assertEqual(len(self.sandbox.requests_to(endpoint)), 1, endpoint)
        self.assertEqual(self._requests(), len(TABLE_ENDPOINTS))
        sandbox_units = dict(padron.UNITS_OF_MEASURE)
        for xmlid in L10N_AR_UOMS:
            uom = self.env.ref(f"uom.product_uom_{xmlid}")
            line = self._line(wizard, "uom", uom)
            self.assertEqual(line.status, "ok", uom.name)
            self.assertEqual(line.tusfacturas_code, str(int(uom.l10n_ar_afip_code)))
            self.assertEqual(
                line.tusfacturas_name, sandbox_units[line.tusfacturas_code]
            )
            self.assertFalse(line.note)
        kg = self._line(wizard, "uom", self.env.ref("uom.product_uom_kgm"))
        self.assertEqual(
            (kg.odoo_code, kg.tusfacturas_code, kg.tusfacturas_name),
            ("01", "1", "kilogramos"),
        )
        unit = self._line(wizard, "uom", self.env.ref("uom.product_uom_unit"))
        self.assertGreaterEqual(unit.usage_count, 1)  # l10n_ar's test products
        for code, _name in padron.INCOTERMS:
            incoterm = self.env["account.incoterms"].search([("code", "=", code)])
            if incoterm:
                self.assertEqual(self._line(wizard, "incoterm", incoterm).status, "ok")
        country = self._line(wizard, "country", self.uruguay)
        self.assertEqual((country.status, country.tusfacturas_name), ("ok", "URUGUAY"))
        self.assertEqual(country.usage_count, 2)
        company_cuit = self._line(wizard, "country_cuit", self.uruguay, "company")
        self.assertEqual(company_cuit.tusfacturas_code, "55000000018")
        self.assertEqual(company_cuit.tusfacturas_name, "URUGUAY - Persona Jurídica")
        person_cuit = self._line(wizard, "country_cuit", self.uruguay, "person")
        self.assertEqual(person_cuit.tusfacturas_code, "50000000016")
        self.assertEqual(person_cuit.status, "ok")
        # Argentina is not checked: its codes are never sent.
        self.assertNotIn(
            self.env.ref("base.ar").id,
            wizard.line_ids.filtered(lambda line: line.table == "country").mapped(
                "res_id"
            ),
        )
        self.assertEqual(action["res_model"], LINE)
        self.assertEqual(action["domain"], [("check_id", "=", wizard.id)])
        self.assertEqual(action["context"]["search_default_problems"], 1)

    def test_check_matches_what_an_export_invoice_sends(self):
        kg = self.env.ref("uom.product_uom_kgm")
        yerba = self.env["product.product"].create(
            {
                "name": "Yerba 1 kg",
                "uom_id": kg.id,
                "uom_po_id": kg.id,
                "taxes_id": [Command.set(self.tax_10_5.ids)],
            }
        )
        move = self._invoice(
            self.res_partner_barcelona_food,
            [(yerba, 500.0, 2)],
            journal=self.sale_expo_journal_ri,
            invoice_incoterm_id=self.env.ref("account.incoterm_CIF").id,
        )
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        wizard, _action = self._check()
        spain = self.env.ref("base.es")
        fex = body["comprobante"]["fex"]
        product = body["comprobante"]["detalle"][0]["producto"]
        sent = {
            "uom": (kg, product["unidad_medida"]),
            "country": (spain, fex["pais_comprobante_id"]),
            "country_cuit": (spain, fex["cliente_pais_cuit"]),
            "incoterm": (move.invoice_incoterm_id, fex["incoterms_tipo_id"]),
        }
        for table, (record, code) in sent.items():
            line = self._line(wizard, table, record)
            self.assertEqual(line.tusfacturas_code, str(code), table)
            self.assertEqual(line.status, "ok", table)
            self.assertGreaterEqual(line.usage_count, 1, table)

    def test_uom_unknown_to_tusfacturas_or_without_code(self):
        pallet = self._new_uom("Pallet TF", "77")
        crate = self._new_uom("Crate TF", False)
        unused = self._new_uom("Unused TF", False)
        self.product_iva_21.product_tmpl_id.write({"uom_id": pallet.id})
        self._invoice(
            self.partner_ri,
            [(self.product_iva_21, 10.0, 1, {"product_uom_id": crate.id})],
        )
        wizard, _action = self._check()
        line = self._line(wizard, "uom", pallet)
        self.assertEqual(line.status, "unknown")
        self.assertEqual((line.odoo_code, line.tusfacturas_code), ("77", "77"))
        self.assertFalse(line.tusfacturas_name)
        self.assertIn("Pallet TF", line.note)
        self.assertIn(
            "(field Code) is 77, which is not in TusFacturas' table", line.note
        )
        missing = self._line(wizard, "uom", crate)
        self.assertEqual(missing.status, "missing")
        self.assertEqual(missing.usage_count, 1)
        self.assertFalse(missing.tusfacturas_code or missing.tusfacturas_name)
        self.assertIn("Crate TF has no AFIP code (field Code)", missing.note)
        self.assertNotIn(unused.id, wizard.line_ids.mapped("res_id"))
        # Problems come first, and the check can be run again once fixed.
        lines = wizard.env[LINE].search([("check_id", "=", wizard.id)])
        flags = lines.mapped("is_problem")
        self.assertEqual(flags, sorted(flags, reverse=True))
        self.assertTrue(flags[0])
        pallet.l10n_ar_afip_code = "98"
        wizard.env[LINE].with_context(
            l10n_ar_tusfacturas_reference_check_id=wizard.id
        ).action_check_again()
        line = self._line(wizard, "uom", pallet)
        self.assertEqual((line.status, line.tusfacturas_name), ("ok", "otras unidades"))

    def test_country_without_code_is_flagged_when_it_has_a_customer(self):
        paraguay, bolivia = self.env.ref("base.py"), self.env.ref("base.bo")
        (paraguay | bolivia).write({"l10n_ar_afip_code": False})
        self.env["res.partner"].create(
            {
                "name": "Asuncion Trading",
                "is_company": True,
                "country_id": paraguay.id,
                "customer_rank": 1,
            }
        )
        # A partner never invoiced and not a customer: not a reason to check.
        self.env["res.partner"].create({"name": "La Paz", "country_id": bolivia.id})
        wizard, _action = self._check()
        line = self._line(wizard, "country", paraguay)
        self.assertEqual(line.status, "missing")
        self.assertIn("Country Paraguay has no AFIP Code", line.note)
        self.assertNotIn(bolivia.id, wizard.line_ids.mapped("res_id"))
        # Paraguay's CUIT país (l10n_ar's) is not in the sandbox's table.
        cuit = self._line(wizard, "country_cuit", paraguay, "company")
        self.assertEqual(cuit.status, "unknown")
        self.assertEqual(cuit.tusfacturas_code, paraguay.l10n_ar_legal_entity_vat)
        self.assertIn("Legal Entity VAT", cuit.note)

    def test_country_code_unknown_and_cuit_pais_fallback(self):
        germany = self.env.ref("base.de")
        customer_de = self.env["res.partner"].create(
            {
                "name": "Berlin GmbH",
                "is_company": True,
                "country_id": germany.id,
                "l10n_ar_afip_responsibility_type_id": self.env.ref(
                    "l10n_ar.res_EXT"
                ).id,
            }
        )
        # A draft invoice is enough to make the partner a customer.
        self._invoice(customer_de, journal=self.sale_expo_journal_ri)
        self.uruguay.l10n_ar_natural_vat = False
        wizard, _action = self._check()
        line = self._line(wizard, "country", germany)
        self.assertEqual((line.status, line.odoo_code), ("unknown", "438"))
        self.assertIn("AFIP Code of country Germany is 438", line.note)
        # Individuals fall back to the legal entity CUIT, as invoices do.
        person = self._line(wizard, "country_cuit", self.uruguay, "person")
        self.assertEqual(person.tusfacturas_code, "55000000018")
        self.assertEqual(person.odoo_field, "l10n_ar_legal_entity_vat")
        self.assertEqual(person.status, "ok")
        self.uruguay.l10n_ar_legal_entity_vat = False
        wizard, _action = self._check()
        person = self._line(wizard, "country_cuit", self.uruguay, "person")
        self.assertEqual(person.status, "missing")
        self.assertIn("Natural Person VAT", person.note)

    def test_incoterm_mismatch(self):
        dpu = self.env.ref("account.incoterm_DPU")
        custom = self.env["account.incoterms"].create(
            {"name": "Franco fábrica", "code": "FFA"}
        )
        wizard, _action = self._check()
        for incoterm in dpu | custom:
            line = self._line(wizard, "incoterm", incoterm)
            self.assertEqual(line.status, "unknown")
            self.assertEqual(line.tusfacturas_code, incoterm.code)
            self.assertIn(f"its Code {incoterm.code} is not", line.note)
            self.assertIn("archive", line.note)
        fob = self._line(wizard, "incoterm", self.env.ref("account.incoterm_FOB"))
        self.assertEqual((fob.status, fob.tusfacturas_name), ("ok", "FOB"))
        problems = wizard.env[LINE].search(
            [("check_id", "=", wizard.id), ("is_problem", "=", True)]
        )
        flagged = problems.filtered(lambda line: line.table == "incoterm")
        self.assertEqual(set(flagged.mapped("res_id")), set((dpu | custom).ids))

    def test_tusfacturas_unavailable_is_a_clear_error(self):
        self.sandbox.set_fault("maintenance", endpoints=["tablas_referencia/paises"])
        wizard = self.env[CHECK].with_user(self.manager).create({})
        with self.assertRaises(UserError) as cm:
            wizard.action_check()
        self.assertIn("under maintenance until", str(cm.exception))
        self.assertFalse(wizard.line_ids)
        self.company_ri.l10n_ar_tusfacturas_api_url = "http://127.0.0.1:9"
        with self.assertRaises(UserError) as cm:
            wizard.action_check()
        self.assertIn("could not be reached", str(cm.exception))
        self.assertFalse(wizard.line_ids)

    def test_access(self):
        wizard, _action = self._check(self.manager)
        self.assertTrue(wizard.line_ids)
        line = wizard.line_ids[:1]
        opened = line.action_open_record()
        self.assertEqual(
            (opened["res_model"], opened["res_id"]), (line.res_model, line.res_id)
        )
        with self.assertRaises(AccessError):
            self.env[CHECK].with_user(self.invoicing_user).create({})
        with self.assertRaises(AccessError):
            self.env[LINE].with_user(self.invoicing_user).search([])
        tf_user = self._new_user(
            "tf_reference_user", "l10n_ar_tusfacturas.group_tusfacturas_user"
        )
        with self.assertRaises(AccessError):
            self.env[CHECK].with_user(tf_user).create({})
        menu = self.env.ref(
            "l10n_ar_tusfacturas.menu_l10n_ar_tusfacturas_reference_check"
        )
        self.assertEqual(
            menu.groups_id,
            self.env.ref("l10n_ar_tusfacturas.group_tusfacturas_manager"),
        )

    def test_queries_do_not_grow_with_records(self):
        def count_queries():
            wizard = self.env[CHECK].with_user(self.manager).create({})
            self.env.invalidate_all()
            before = self.cr.sql_log_count
            wizard._check()
            self.env.flush_all()
            return self.cr.sql_log_count - before, len(wizard.line_ids)

        count_queries()  # warm the registry's caches (ACLs, rules, views)
        queries, lines = count_queries()
        countries = self.env["res.country"].search(
            [("code", "not in", ["AR", "UY"]), ("l10n_ar_afip_code", "!=", False)],
            limit=20,
        )
        self.env["res.partner"].create(
            [
                {"name": f"Customer {c.code}", "country_id": c.id, "customer_rank": 1}
                for c in countries
            ]
        )
        for index in range(10):
            self._new_uom(f"Unit TF {index}", str(60 + index))
        more_queries, more_lines = count_queries()
        self.assertGreaterEqual(more_lines, lines + 2 * len(countries) + 10)
        # The ORM writes lines in batches (an INSERT and the stored flag's
        # UPDATE per batch): only those grow, never a query per record.
        batches = -(-more_lines // INSERT_BATCH_SIZE) + (lines // -INSERT_BATCH_SIZE)
        self.assertEqual(more_queries, queries + 2 * batches)

    # ------------------------------------------------------------------
    # The addon's own tables: VAT rates, IVA conditions, currencies,
    # perceptions
    # ------------------------------------------------------------------

    def _assert_table_agrees(self, wizard, table):
        """No difference in ``table`` but the Odoo codes the addon cannot send."""
        self.assertTrue(self._lines(wizard, table), table)
        differences = self._lines(wizard, table).filtered(
            lambda line: line.status not in ("ok", "unsupported")
        )
        self.assertFalse(differences.mapped("note"), table)
        self.assertFalse(self._lines(wizard, table, is_problem=True), table)

    def test_vat_rates_agree(self):
        self._invoice(self.partner_ri)  # one sale line with VAT 21 %
        wizard, _action = self._check()
        self._assert_table_agrees(wizard, "vat_rate")
        groups = self.env["account.tax.group"].search(
            [
                ("company_id", "=", self.company_ri.id),
                ("l10n_ar_vat_afip_code", "!=", False),
            ]
        )
        sent = {
            self._line(wizard, "vat_rate", group).tusfacturas_code for group in groups
        }
        self.assertEqual(sent - {""}, {"27", "21", "10.5", "0", "-1", "-2"})
        vat_21 = self._line(wizard, "vat_rate", self.tax_21.tax_group_id)
        self.assertEqual(
            (vat_21.odoo_code, vat_21.tusfacturas_code, vat_21.tusfacturas_name),
            ("5", "21", "21%"),
        )
        self.assertEqual((vat_21.status, vat_21.usage_count), ("ok", 1))
        # l10n_ar's 5 % group: the addon refuses it (not in TusFacturas' table);
        # unused, so not a problem, but the line says why.
        vat_5 = groups.filtered(lambda group: group.l10n_ar_vat_afip_code == "8")
        line = self._line(wizard, "vat_rate", vat_5)
        self.assertEqual((line.status, line.is_problem), ("unsupported", False))
        self.assertIn("has no VAT rate in TusFacturas' table", line.note)

    def test_iva_conditions_agree(self):
        self._invoice(self.partner_ri)  # a draft invoice makes it a customer
        wizard, _action = self._check()
        self._assert_table_agrees(wizard, "iva_condition")
        ri = self._line(
            wizard, "iva_condition", self.partner_ri.l10n_ar_afip_responsibility_type_id
        )
        self.assertEqual(
            (ri.odoo_code, ri.tusfacturas_code, ri.tusfacturas_name, ri.status),
            ("1", "RI", "Responsable Inscripto", "ok"),
        )
        self.assertGreaterEqual(ri.usage_count, 1)
        # Zona Franca customers are sent as CDEX (export invoices only).
        zona_franca = self.env.ref("l10n_ar.res_IVA_LIB")
        self.assertEqual(
            self._line(wizard, "iva_condition", zona_franca).tusfacturas_code, "CDEX"
        )
        conditions = self._lines(wizard, "iva_condition").mapped("tusfacturas_code")
        self.assertEqual(
            set(conditions) - {""}, {code for code, _name in padron.IVA_CONDITIONS}
        )

    def test_currencies_agree(self):
        usd = self.env.ref("base.USD")
        self._invoice(self.partner_ri, currency_id=usd.id)
        wizard, _action = self._check()
        self._assert_table_agrees(wizard, "currency")
        line = self._line(wizard, "currency", usd)
        self.assertEqual(
            (line.tusfacturas_code, line.tusfacturas_name, line.usage_count),
            ("DOL", "Dolares estadounidenses", 1),
        )
        ars = self._line(wizard, "currency", self.company_ri.currency_id)
        self.assertEqual((ars.tusfacturas_code, ars.status), ("PES", "ok"))
        # Every code of the addon's currency table is compared, used or not.
        codes = set(self._lines(wizard, "currency").mapped("tusfacturas_code"))
        self.assertEqual(codes - {""}, {code for code, _name in padron.CURRENCIES})
        lira = self._lines(wizard, "currency", tusfacturas_code="004")
        self.assertEqual((lira.status, lira.res_id), ("ok", 0))
        self.assertFalse(lira.action_open_record())

    def _invoice_with_perception(self):
        """A draft invoice line with l10n_ar's IIBB ARBA perception (archived by
        the chart): the check lists the taxes in use too."""
        taxes = self.tax_21 | self.tax_perc_iibb
        self._invoice(
            self.partner_ri,
            [(self.product_iva_21, 100.0, 1, {"tax_ids": [Command.set(taxes.ids)]})],
        )

    def test_perceptions_agree(self):
        self._invoice_with_perception()
        wizard, _action = self._check()
        self._assert_table_agrees(wizard, "perception_regime")
        self._assert_table_agrees(wizard, "perception_type")
        line = self._line(wizard, "perception_regime", self.tax_perc_iibb)
        self.assertEqual(
            (line.tusfacturas_code, line.tusfacturas_name, line.status),
            ("5", "BUENOS AIRES", "ok"),
        )
        self.assertEqual(line.usage_count, 1)
        regimes = self._lines(wizard, "perception_regime")
        self.assertEqual(
            set(regimes.mapped("tusfacturas_code")),
            {code for code, _tipo, _name in padron.TRIBUTO_REGIMES},
        )
        iibb = self._lines(wizard, "perception_type", tusfacturas_code="7")
        self.assertEqual(
            (iibb.status, iibb.tusfacturas_name), ("ok", "Percepciones IIBB")
        )
        self.assertGreaterEqual(iibb.usage_count, 1)

    def test_changed_tables_are_reported(self):
        """TusFacturas changes its tables: each difference is a line that says
        what differs and what to do; nothing else is flagged."""
        usd = self.env.ref("base.USD")
        self._invoice(self.partner_ri, currency_id=usd.id)
        gbp = self.env.ref("base.GBP")
        gbp.active = True
        self._invoice(self.partner_ri, currency_id=gbp.id)
        self._invoice_with_perception()
        table = {
            "alicuotas_iva": [
                (code, name) for code, name in padron.VAT_RATES_TABLE if code != "27"
            ]
            + [("5.00", "5%")],
            "condiciones_iva": [
                (code, name) for code, name in padron.IVA_CONDITIONS if code != "IVNA"
            ],
            "monedas": [
                (code, name) for code, name in padron.CURRENCIES if code != "DOL"
            ]
            + [("021", "LIBRA ESTERLINA")],
            "tributos_percepciones_tipos": [
                ("6", "Percepciones IVA"),
                ("7", "Percepciones Ganancias"),
                ("1", "Percepciones de Impuestos Nacionales"),
            ],
        }
        for name, rows in table.items():
            self.sandbox.set_table(
                name, [{"id": code, "descripcion": text} for code, text in rows]
            )
        regimes = [
            {"id": code, "descripcion": text, "tipo": tipo}
            for code, tipo, text in padron.TRIBUTO_REGIMES
            if code != "3"
        ]
        regimes[3]["descripcion"] = "SANTA FE"  # regime 5 means another province
        self.sandbox.set_table("tributos_percepciones_regimenes", regimes)
        wizard, _action = self._check()
        self.assertEqual(self._requests(), len(TABLE_ENDPOINTS))

        vat_27 = self._lines(wizard, "vat_rate", odoo_code="6")
        self.assertEqual((vat_27.status, vat_27.is_problem), ("unknown", True))
        self.assertIn("no longer lists 27", vat_27.note)
        new_rate = self._lines(wizard, "vat_rate", tusfacturas_code="5")
        self.assertEqual(
            (new_rate.status, new_rate.is_problem), ("tusfacturas_only", False)
        )
        self.assertIn("lists 5 (5%), which the addon never sends", new_rate.note)

        ivna = self._line(
            wizard, "iva_condition", self.env.ref("l10n_ar.res_IVA_NO_ALC")
        )
        self.assertEqual((ivna.status, ivna.is_problem), ("unknown", True))
        self.assertIn("no longer lists IVNA", ivna.note)

        dol = self._line(wizard, "currency", usd)
        self.assertEqual((dol.status, dol.is_problem), ("unknown", True))
        self.assertIn("no longer lists DOL", dol.note)
        pound = self._line(wizard, "currency", gbp)
        self.assertEqual(
            (pound.status, pound.tusfacturas_name, pound.is_problem),
            ("unsupported", "LIBRA ESTERLINA", True),
        )
        self.assertIn("TusFacturas' table now lists it", pound.note)

        regime = self._line(wizard, "perception_regime", self.tax_perc_iibb)
        self.assertEqual((regime.status, regime.is_problem), ("mismatch", True))
        self.assertIn('now describes as "SANTA FE"', regime.note)
        dropped = self._lines(wizard, "perception_regime", tusfacturas_code="3")
        self.assertEqual((dropped.status, dropped.is_problem), ("unknown", False))
        self.assertIn("no longer lists", dropped.note)
        kind = self._lines(wizard, "perception_type", tusfacturas_code="7")
        self.assertEqual((kind.status, kind.is_problem), ("mismatch", True))
        self.assertIn('"Percepciones Ganancias"', kind.note)

        problems = wizard.line_ids.filtered(
            lambda line: line.is_problem and line.table in ADDON_TABLES
        )
        self.assertEqual(problems, vat_27 | ivna | dol | pound | regime | kind)
        # Back to the documented tables: only the pound invoice is left (the
        # addon does not send pounds, whatever TusFacturas lists).
        self.sandbox.reset()
        wizard._check()
        problems = wizard.line_ids.filtered(
            lambda line: line.is_problem and line.table in ADDON_TABLES
        )
        self.assertEqual(problems.mapped("record_name"), [gbp.display_name])
        self.assertNotIn("now lists it", problems.note)
