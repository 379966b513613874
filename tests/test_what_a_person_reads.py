"""What a person reads: the padrón proposes AFIP's spelling without choosing
it for them, and messages name the menus as the user's menu bar does."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon

QUEUE_MENU = (
    "account.menu_finance",
    "account.menu_finance_receivables",
    "l10n_ar_tusfacturas.menu_l10n_ar_tusfacturas_queue",
)
REFERENCE_CHECK_MENU = (
    "account.menu_finance",
    "account.menu_finance_configuration",
    "l10n_ar_tusfacturas.menu_l10n_ar_tusfacturas_config",
    "l10n_ar_tusfacturas.menu_l10n_ar_tusfacturas_reference_check",
)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestPadronSpelling(TusFacturasCommon):
    """AFIP writes in capitals without accents: a change of spelling only is
    shown, not chosen; a real difference is chosen."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_user"
        )

    def _lookup(self, vat, **values):
        partner = self.env["res.partner"].create(
            {
                "is_company": True,
                "l10n_latam_identification_type_id": self.env.ref("l10n_ar.it_cuit").id,
                "vat": vat,
                "country_id": self.env.ref("base.ar").id,
                **values,
            }
        )
        action = partner.action_l10n_ar_tusfacturas_padron()
        wizard = self.env["l10n_ar.tusfacturas.padron"].browse(action["res_id"])
        lines = {line.field_name: line for line in wizard.line_ids if line.field_name}
        return partner, wizard, lines

    def test_case_only_change_is_shown_not_chosen(self):
        # The padrón: DISTRIBUIDORA MODELO S.A., CALLE FALSA 123, CASTELAR, 1712.
        partner, wizard, lines = self._lookup(
            "30712345671",
            name="Distribuidora Modelo S.A.",
            street="Calle Falsa 123",
            city="Castelar",
            zip="1700",
        )
        for field in ("name", "street", "city"):
            self.assertTrue(lines[field].differs, field)
            self.assertFalse(lines[field].apply, field)
        self.assertEqual(lines["name"].new_value, "DISTRIBUIDORA MODELO S.A.")
        self.assertTrue(lines["zip"].differs and lines["zip"].apply)
        wizard.action_apply()
        self.assertEqual(partner.name, "Distribuidora Modelo S.A.")
        self.assertEqual(partner.city, "Castelar")
        self.assertEqual(partner.zip, "1712")

    def test_accent_only_change_is_shown_not_chosen(self):
        # The padrón: EMPRESA SANDBOX S.A., CIUDAD AUTONOMA BUENOS AIRES.
        partner, wizard, lines = self._lookup(
            "30111111118",
            name="Émpresa Sandbox S.A.",
            city="Ciudad  Autónoma Buenos Aires",
        )
        self.assertTrue(lines["city"].differs)
        self.assertFalse(lines["city"].apply)
        self.assertFalse(lines["name"].apply)
        wizard.action_apply()
        self.assertEqual(partner.city, "Ciudad  Autónoma Buenos Aires")

    def test_real_difference_is_chosen(self):
        _partner, _wizard, lines = self._lookup(
            "30712345671",
            name="Distribuidora Modelo",
            street="Calle Falsa 1234",
            city="Rosario",
        )
        for field in ("name", "street", "city", "zip"):
            self.assertTrue(lines[field].differs and lines[field].apply, field)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestMenuPaths(TusFacturasCommon):
    """Messages name the menu as the user's menu bar reads: Invoicing in
    Community (Accounting only where the app is called so), translated."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_419")
        cls.env["ir.module.module"]._load_module_terms(
            ["account", "l10n_ar_tusfacturas"], ["es_419"], overwrite=True
        )

    def _path(self, xmlids, lang):
        env = self.env(context=dict(self.env.context, lang=lang))
        return " > ".join(env.ref(xmlid).name for xmlid in xmlids)

    def _queued_message(self, lang):
        drafts = self._invoice(self.res_partner_adhoc) | self._invoice(self.partner_ri)
        drafts.action_post()  # several at once: queued
        self.assertEqual(set(drafts.mapped("l10n_ar_tusfacturas_state")), {"queued"})
        drafts = drafts.with_context(lang=lang)
        return drafts._l10n_ar_tusfacturas_queued_notification()["message"]

    def _expired_check_message(self, lang):
        lines = self.env["l10n_ar.tusfacturas.reference.check.line"].with_context(
            lang=lang, l10n_ar_tusfacturas_reference_check_id=0
        )
        with self.assertRaises(UserError) as caught:
            lines.action_check_again()
        return str(caught.exception)

    def test_queued_notification_names_the_queue_menu(self):
        message = self._queued_message("en_US")
        self.assertIn("See Invoicing > Customers > TusFacturas queue.", message)
        self.assertIn(self._path(QUEUE_MENU, "en_US"), message)
        self.assertNotIn("Accounting", message)

    def test_queued_notification_in_spanish(self):
        message = self._queued_message("es_419")
        path = self._path(QUEUE_MENU, "es_419")
        self.assertEqual(path, "Facturación > Clientes > Cola de TusFacturas")
        self.assertIn(path, message)

    def test_expired_check_names_the_reference_check_menu(self):
        message = self._expired_check_message("en_US")
        self.assertIn(
            "open Invoicing > Configuration > TusFacturas > Check reference tables",
            message,
        )
        self.assertIn(self._path(REFERENCE_CHECK_MENU, "en_US"), message)

    def test_expired_check_in_spanish(self):
        message = self._expired_check_message("es_419")
        path = self._path(REFERENCE_CHECK_MENU, "es_419")
        self.assertEqual(
            path,
            "Facturación > Configuración > TusFacturas > Verificar tablas de "
            "referencia",
        )
        self.assertIn(path, message)
