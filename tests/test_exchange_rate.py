from datetime import timedelta

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon

COTIZACION = "tablas_referencia/cotizacion"
SANDBOX_USD_RATE = 1000.5


@tagged("post_install_l10n", "post_install", "-at_install")
class TestExchangeRate(TusFacturasCommon):
    """AFIP's rate, from TusFacturas, for foreign-currency invoices."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.usd = cls.env.ref("base.USD")
        cls.usd.active = True
        # Odoo's own rate, deliberately different from AFIP's.
        cls.env["res.currency.rate"].create(
            {
                "currency_id": cls.usd.id,
                "name": "2020-01-01",
                "rate": 1 / 900.0,
                "company_id": cls.company_ri.id,
            }
        )

    def _usd_invoice(self):
        return self._invoice(self.res_partner_adhoc, currency_id=self.usd.id)

    def _rate_of_today(self):
        return self.env["res.currency.rate"].search(
            [
                ("currency_id", "=", self.usd.id),
                ("company_id", "=", self.company_ri.id),
                ("name", "=", fields.Date.today()),
            ]
        )

    def test_button_saves_afip_rate_and_converts_the_invoice(self):
        move = self._usd_invoice()
        self.assertAlmostEqual(move.amount_total_signed, 121.0 * 900.0, places=2)
        move.action_l10n_ar_tusfacturas_update_rate()
        (query,) = self.sandbox.requests_to(COTIZACION)
        self.assertEqual(query["moneda"], "DOL")
        self.assertEqual(query["fecha"], fields.Date.today().strftime("%d/%m/%Y"))
        self.assertAlmostEqual(
            self._rate_of_today().inverse_company_rate, SANDBOX_USD_RATE
        )
        self.assertAlmostEqual(
            move.amount_total_signed, 121.0 * SANDBOX_USD_RATE, places=2
        )
        self.assertIn("1000.50", move.message_ids[0].body)
        move.action_post()
        self.assertAuthorized(move)
        (body,) = self._sent()
        self.assertEqual(body["comprobante"]["cotizacion"], "1000.500")

    def test_asking_twice_updates_the_same_rate(self):
        self._usd_invoice().action_l10n_ar_tusfacturas_update_rate()
        self._usd_invoice().action_l10n_ar_tusfacturas_update_rate()
        self.assertEqual(len(self._rate_of_today()), 1)

    def test_automatic_rate_when_validating(self):
        self.company_ri.l10n_ar_tusfacturas_auto_rate = True
        move = self._usd_invoice()
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(len(self.sandbox.requests_to(COTIZACION)), 1)
        (body,) = self._sent()
        self.assertEqual(body["comprobante"]["cotizacion"], "1000.500")

    def test_pesos_invoice_never_asks(self):
        self.company_ri.l10n_ar_tusfacturas_auto_rate = True
        self._invoice(self.res_partner_adhoc).action_post()
        self.assertEqual(self.sandbox.requests_to(COTIZACION), [])

    def test_rate_failure_sends_nothing(self):
        self.company_ri.l10n_ar_tusfacturas_auto_rate = True
        self.sandbox.set_fault("maintenance", endpoints=[COTIZACION])
        move = self._usd_invoice()
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("under maintenance", str(caught.exception))
        self.assertEqual(move.state, "draft")
        self.assertEqual(self._sent(), [])

    def test_only_drafts(self):
        move = self._usd_invoice()
        move.action_post()
        with self.assertRaises(UserError) as caught:
            move.action_l10n_ar_tusfacturas_update_rate()
        self.assertIn("only taken by a draft", str(caught.exception))

    def test_only_for_tusfacturas_journals(self):
        plain = self._plain_journal()
        move = self._invoice(
            self.res_partner_adhoc, currency_id=self.usd.id, journal=plain
        )
        with self.assertRaises(UserError):
            move.action_l10n_ar_tusfacturas_update_rate()
        self.assertEqual(self.sandbox.requests_to(COTIZACION), [])
        self.assertFalse(self._rate_of_today())

    def test_one_question_per_currency_and_day_for_a_batch(self):
        self.company_ri.l10n_ar_tusfacturas_auto_rate = True
        moves = self._usd_invoice() | self._usd_invoice() | self._usd_invoice()
        moves.action_post()
        self._run_queue()
        for move in moves:
            self.assertAuthorized(move)
            self.assertAlmostEqual(
                move.amount_total_signed, 121.0 * SANDBOX_USD_RATE, places=2
            )
        self.assertEqual(len(self.sandbox.requests_to(COTIZACION)), 1)

    def test_invoicing_user_can_ask(self):
        user = self.env["res.users"].create(
            {
                "name": "Invoicing clerk",
                "login": "tf_rate_clerk",
                "email": "clerk@example.com",
                "company_id": self.company_ri.id,
                "company_ids": [(6, 0, self.company_ri.ids)],
                "groups_id": [
                    (6, 0, self.env.ref("account.group_account_invoice").ids)
                ],
            }
        )
        move = self._usd_invoice()
        move.with_user(user).action_l10n_ar_tusfacturas_update_rate()
        self.assertAlmostEqual(
            self._rate_of_today().inverse_company_rate, SANDBOX_USD_RATE
        )

    def test_rate_older_than_two_months_is_not_asked(self):
        """The cotizacion page: "no podrás consultar mas de 2 meses atras"."""
        move = self._usd_invoice()
        move.invoice_date = fields.Date.today() - timedelta(days=70)
        with self.assertRaises(UserError) as caught:
            move.action_l10n_ar_tusfacturas_update_rate()
        self.assertIn("last 2 months only", str(caught.exception))
        self.assertIn(move._l10n_ar_tusfacturas_label(), str(caught.exception))
        self.assertEqual(self.sandbox.requests_to(COTIZACION), [])
