from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestSpanish(TusFacturasCommon):
    """The same flows with es_419 active: what an Argentine user reads."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("es_419")
        cls.env["ir.module.module"]._load_module_terms(
            ["l10n_ar_tusfacturas"], ["es_419"], overwrite=True
        )
        cls.env.user.lang = "es_419"
        cls.env = cls.env(context=dict(cls.env.context, lang="es_419"))

    def test_refusal_is_in_spanish(self):
        partner = self.res_partner_adhoc.copy({"name": "Sin Calle", "street": False})
        move = self._invoice(partner)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("No se envió nada a TusFacturas", str(caught.exception))
        self.assertEqual(self._sent(), [])

    def test_authorized_invoice_in_spanish(self):
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        labels = dict(
            move._fields["l10n_ar_tusfacturas_state"]._description_selection(self.env)
        )
        self.assertEqual(labels["authorized"], "Autorizado")

    def test_views_render_in_spanish(self):
        arch = self.env["account.move"].get_view(
            self.env.ref("account.view_move_form").id, "form"
        )["arch"]
        self.assertIn("Verificar con TusFacturas", arch)

    def test_afip_incident_in_spanish(self):
        self.sandbox.set_afip_status("WSFE caido")
        move = self._invoice(self.res_partner_adhoc)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("informa una incidencia: WSFE caido", str(caught.exception))
        self.assertIn("quedan en borrador", str(caught.exception))

    def test_tools_render_in_spanish(self):
        self.env.user.groups_id += self.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_manager"
        )
        partner_arch = self.env["res.partner"].get_view(
            self.env.ref("base.view_partner_form").id, "form"
        )["arch"]
        self.assertIn("Padrón de AFIP", partner_arch)
        self.assertIn("Cuenta corriente y ARBA", partner_arch)
        wizard_arch = self.env["l10n_ar.tusfacturas.next.number"].get_view(
            view_type="form"
        )["arch"]
        self.assertIn("Volver a consultar", wizard_arch)
        menu = self.env.ref(
            "l10n_ar_tusfacturas.menu_l10n_ar_tusfacturas_reference_check"
        )
        self.assertEqual(menu.name, "Verificar tablas de referencia")

    def test_reference_check_in_spanish(self):
        """A table changed on TusFacturas' side, as an administrator reads it.

        Odoo reads es_419.po through the template (.pot): new entries load
        once the template is refreshed (``make i18n``)."""
        self.env.user.groups_id += self.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_manager"
        )
        self.sandbox.set_table(
            "alicuotas_iva",
            [{"id": "21", "descripcion": "21%"}, {"id": "5", "descripcion": "5%"}],
        )
        wizard = (
            self.env["l10n_ar.tusfacturas.reference.check"]
            .with_company(self.company_ri)
            .create({})
        )
        wizard.action_check()
        vat_27 = wizard.line_ids.filtered(
            lambda line: line.table == "vat_rate" and line.odoo_code == "6"
        )
        self.assertIn("La tabla de alícuotas de IVA de TusFacturas ya no", vat_27.note)
        new_rate = wizard.line_ids.filtered(
            lambda line: line.table == "vat_rate" and line.tusfacturas_code == "5"
        )
        self.assertIn("(Alícuota de IVA) incluye 5 (5%)", new_rate.note)
        labels = dict(new_rate._fields["status"]._description_selection(self.env))
        self.assertEqual(labels[new_rate.status], "Solo en TusFacturas")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestCronLanguage(TusFacturasCommon):
    """What the crons write on an invoice is in its salesperson's language,
    not in the server's (the cron runs without a user language)."""

    def test_queue_cron_writes_in_the_salespersons_language(self):
        self.env["res.lang"]._activate_lang("es_419")
        self.env["ir.module.module"]._load_module_terms(
            ["l10n_ar_tusfacturas"], ["es_419"], overwrite=True
        )
        seller = self.env.user.copy({"login": "vendedora", "lang": "es_419"})
        moves = self._invoice(self.res_partner_adhoc) + self._invoice(
            self.res_partner_adhoc
        )
        moves.invoice_user_id = seller
        moves.action_post()  # together: queued for the cron
        self.assertEqual(set(moves.mapped("l10n_ar_tusfacturas_state")), {"queued"})
        cron_env = self.env(context={"lang": "en_US"})
        cron_env["account.move"]._cron_l10n_ar_tusfacturas_send_queue()
        for move in moves:
            self.assertAuthorized(move)
            notes = move.message_ids.filtered("attachment_ids").mapped("body")
            self.assertTrue(notes)
            self.assertIn("Autorizado por AFIP", notes[0])
