from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import TusFacturasCommon

ACCOUNT = "clientes/cuenta-corriente"
ARBA = "clientes/arba-padron"


@tagged("post_install_l10n", "post_install", "-at_install")
class TestCustomerAccount(TusFacturasCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_user"
        )
        cls.distribuidora = cls.env["res.partner"].create(
            {
                "name": "Distribuidora Modelo S.A.",
                "is_company": True,
                "street": "Calle Falsa 123",
                "city": "Castelar",
                "zip": "1712",
                "state_id": cls.env.ref("base.state_ar_b").id,
                "country_id": cls.env.ref("base.ar").id,
                "l10n_latam_identification_type_id": cls.env.ref("l10n_ar.it_cuit").id,
                "vat": "30712345671",
                "l10n_ar_afip_responsibility_type_id": cls.env.ref(
                    "l10n_ar.res_IVARI"
                ).id,
            }
        )

    def _open(self, partner):
        action = partner.action_l10n_ar_tusfacturas_customer_account()
        self.assertEqual(action["res_model"], "l10n_ar.tusfacturas.customer.account")
        model = partner.env["l10n_ar.tusfacturas.customer.account"]
        return model.browse(action["res_id"])

    def test_account_after_two_invoices_and_arba_rates(self):
        first = self._invoice(self.distribuidora)
        first.action_post()
        second = self._invoice(self.distribuidora, [(self.product_iva_21, 250.0, 2)])
        second.action_post()
        self.assertAuthorized(first)
        self.assertAuthorized(second)

        account = self._open(self.distribuidora)
        body = self.sandbox.requests_to(ACCOUNT)[-1]["cliente"]
        self.assertEqual(
            body, {"documento_tipo": "CUIT", "documento_nro": "30712345671"}
        )
        self.assertEqual(account.document, "CUIT 30712345671")
        self.assertEqual(account.currency_id, self.env.ref("base.ARS"))
        lines = account.line_ids
        self.assertEqual(len(lines), 2)
        self.assertEqual(
            lines.mapped("debit"), [first.amount_total, second.amount_total]
        )
        self.assertEqual(lines.mapped("credit"), [0.0, 0.0])
        self.assertEqual(lines[0].date, first.invoice_date)
        for move, line in zip((first, second), lines, strict=True):
            number = f"FACTURA A 00003-{move.l10n_ar_tusfacturas_number:08d}"
            self.assertIn(number, line.concept)
        total = first.amount_total + second.amount_total
        self.assertAlmostEqual(lines[1].balance, total)
        self.assertAlmostEqual(account.balance, total)
        self.assertAlmostEqual(account.amount_residual, total)

        self.assertTrue(account.arba_found)
        self.assertEqual(account.arba_perception_rate, 3.0)
        self.assertEqual(account.arba_retention_rate, 1.75)
        self.assertFalse(account.arba_message)
        form = Form(account)  # the dialog's view shows the same
        self.assertEqual(len(form.line_ids), 2)
        self.assertEqual(form.arba_retention_rate, 1.75)

    def test_customer_not_in_arba_padron_is_information(self):
        self.distribuidora.vat = "30500000003"
        account = self._open(self.distribuidora)
        self.assertFalse(account.line_ids)
        self.assertEqual(account.balance, 0.0)
        self.assertFalse(account.arba_found)
        self.assertIn("no se encuentra en el padron de ARBA", account.arba_message)
        asked = self.sandbox.requests_to(ARBA)
        self.assertEqual(asked[0]["cliente"]["documento_nro"], "30500000003")

    def test_dni_customer_is_refused_before_asking(self):
        """The cuenta-corriente page allows documento_tipo CUIT only."""
        partner = self.distribuidora.copy(
            {
                "l10n_latam_identification_type_id": self.env.ref("l10n_ar.it_dni").id,
                "vat": "12345678",
                "l10n_ar_afip_responsibility_type_id": self.env.ref(
                    "l10n_ar.res_CF"
                ).id,
            }
        )
        with self.assertRaises(UserError) as caught:
            self._open(partner)
        self.assertIn(partner.name, str(caught.exception))
        self.assertIn("by CUIT only", str(caught.exception))
        self.assertIn("DNI", str(caught.exception))
        self.assertEqual(self.sandbox.requests_to(ACCOUNT), [])
        self.assertEqual(self.sandbox.requests_to(ARBA), [])

    def test_unidentified_customer_is_refused_before_sending(self):
        with self.assertRaises(UserError) as caught:
            self._open(self.partner_cf)
        self.assertIn(self.partner_cf.name, str(caught.exception))
        self.assertIn("Identification Number", str(caught.exception))
        self.assertEqual(self.sandbox.requests_to(ACCOUNT), [])

    def test_maintenance_is_reported(self):
        self.sandbox.set_fault("maintenance", endpoints=[ACCOUNT])
        with self.assertRaises(UserError) as caught:
            self._open(self.distribuidora)
        self.assertIn("under maintenance until", str(caught.exception))

    def test_tusfacturas_user_can_open_it(self):
        user = new_test_user(
            self.env,
            login="tf_account_user",
            groups="base.group_user,l10n_ar_tusfacturas.group_tusfacturas_user",
            company_id=self.company_ri.id,
            company_ids=[self.company_ri.id],
        )
        account = self._open(self.distribuidora.with_user(user))
        self.assertEqual(account.env.uid, user.id)
        self.assertEqual(account.arba_perception_rate, 3.0)

    def test_user_without_the_group_asks_nothing(self):
        user = new_test_user(
            self.env,
            login="tf_account_plain",
            groups="base.group_user",
            company_id=self.company_ri.id,
            company_ids=[self.company_ri.id],
        )
        with self.assertRaises(AccessError):
            self._open(self.distribuidora.with_user(user))
        self.assertEqual(self.sandbox.requests_to(ACCOUNT), [])
        self.assertEqual(self.sandbox.requests_to(ARBA), [])

    def test_results_are_seen_by_their_user_only(self):
        self._invoice(self.distribuidora).action_post()
        mine = self._open(self.distribuidora)
        self.assertEqual(len(mine.line_ids), 1)
        colleague = new_test_user(
            self.env,
            login="tf_account_colleague",
            groups="base.group_user,l10n_ar_tusfacturas.group_tusfacturas_user",
            company_id=self.company_ri.id,
            company_ids=[self.company_ri.id],
        )
        wizards = self.env["l10n_ar.tusfacturas.customer.account"].with_user(colleague)
        self.assertFalse(wizards.search([("id", "=", mine.id)]))
        lines = self.env["l10n_ar.tusfacturas.customer.account.line"]
        self.assertFalse(
            lines.with_user(colleague).search([("account_id", "=", mine.id)])
        )
        self.assertTrue(mine.search([("id", "=", mine.id)]))
