from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import TusFacturasCommon

AFIP_INFO = "clientes/afip-info"


@tagged("post_install_l10n", "post_install", "-at_install")
class TestPadron(TusFacturasCommon):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env.user.groups_id |= cls.env.ref(
            "l10n_ar_tusfacturas.group_tusfacturas_user"
        )
        cls.it_cuit = cls.env.ref("l10n_ar.it_cuit")
        cls.distribuidora = cls._partner(
            "Distribuidora Modelo",
            "30712345671",
            street="CALLE FALSA 123",
            city="Rosario",
            zip="1712",
            state_id=cls.env.ref("base.state_ar_s").id,
            country_id=cls.env.ref("base.ar").id,
            l10n_ar_afip_responsibility_type_id=cls.env.ref("l10n_ar.res_IVARI").id,
        )

    @classmethod
    def _partner(cls, name, vat, **values):
        return cls.env["res.partner"].create(
            {
                "name": name,
                "is_company": True,
                "l10n_latam_identification_type_id": cls.it_cuit.id,
                "vat": vat,
                **values,
            }
        )

    def _lookup(self, partners):
        action = partners.action_l10n_ar_tusfacturas_padron()
        self.assertEqual(action["res_model"], "l10n_ar.tusfacturas.padron")
        self.assertEqual(action["target"], "new")
        return partners.env["l10n_ar.tusfacturas.padron"].browse(action["res_id"])

    def _lines(self, wizard, partner):
        lines = wizard.line_ids.filtered(lambda line: line.partner_id == partner)
        return {line.field_name or line.field_label: line for line in lines}

    def _asked_cuits(self):
        return [
            body["cliente"]["documento_nro"]
            for body in self.sandbox.requests_to(AFIP_INFO)
        ]

    def test_known_cuit_shows_current_and_new_values(self):
        wizard = self._lookup(self.distribuidora)
        self.assertEqual(self._asked_cuits(), ["30712345671"])
        self.assertFalse(wizard.notice_ids)
        lines = self._lines(wizard, self.distribuidora)
        name = lines["name"]
        self.assertEqual(name.current_value, "Distribuidora Modelo")
        self.assertEqual(name.new_value, "DISTRIBUIDORA MODELO S.A.")
        self.assertTrue(name.differs and name.apply)
        for same in ("street", "zip", "l10n_ar_afip_responsibility_type_id"):
            self.assertFalse(lines[same].differs, same)
            self.assertFalse(lines[same].apply, same)
        self.assertEqual(lines["city"].new_value, "CASTELAR")
        self.assertEqual(lines["state_id"].current_value, "Santa Fe (AR)")
        self.assertEqual(lines["state_id"].new_value, "Buenos Aires (AR)")
        self.assertTrue(lines["state_id"].apply)
        self.assertEqual(
            lines["l10n_latam_identification_type_id"].new_value, self.it_cuit.name
        )
        status = wizard.line_ids.filtered(lambda line: line.kind == "info")
        self.assertEqual(status.new_value, "ACTIVO")
        self.assertTrue(wizard.has_changes)

    def test_apply_writes_only_the_chosen_fields(self):
        partner = self.distribuidora
        wizard = self._lookup(partner)
        name_line = self._lines(wizard, partner)["name"]
        # As in the dialog: untick the name in the wizard's form view.
        with (
            Form(wizard) as form,
            form.line_ids.edit(wizard.line_ids.ids.index(name_line.id)) as line,
        ):
            self.assertEqual(line.new_value, "DISTRIBUIDORA MODELO S.A.")
            line.apply = False
        self.assertFalse(name_line.apply)
        messages_before = len(partner.message_ids)
        result = wizard.action_apply()
        self.assertEqual(result["type"], "ir.actions.act_window_close")
        self.assertEqual(partner.name, "Distribuidora Modelo")
        self.assertEqual(partner.city, "CASTELAR")
        self.assertEqual(partner.state_id, self.env.ref("base.state_ar_b"))
        self.assertEqual(partner.country_id, self.env.ref("base.ar"))
        self.assertEqual(partner.street, "CALLE FALSA 123")
        self.assertEqual(len(partner.message_ids), messages_before + 1)
        note = partner.message_ids[0].body
        self.assertIn("AFIP padrón", note)
        self.assertIn("Rosario → CASTELAR", note)
        self.assertIn("Santa Fe (AR) → Buenos Aires (AR)", note)
        self.assertNotIn("DISTRIBUIDORA MODELO S.A.", note)

    def test_apply_writes_only_padron_fields(self):
        """Lines edited by hand (RPC) cannot make Apply write other fields."""
        partner = self.distribuidora
        wizard = self._lookup(partner)
        self._lines(wizard, partner)["city"].write(
            {"field_name": "comment", "value_to_write": "tampered"}
        )
        wizard.action_apply()
        self.assertFalse(partner.comment)
        self.assertEqual(partner.street, "CALLE FALSA 123")

    def test_several_partners_one_unknown_one_invalid(self):
        caba = self._partner("Empresa Sandbox", "30111111118")
        fundacion = self._partner("Fundacion Ejemplo", "30500000003")
        perez = self._partner("Juan Perez", "20123456786", is_company=False)
        unknown = self._partner("Desconocido SRL", "20999999999")
        invalid = self._partner("Legacy SRL", "30111111118")
        # Imported data: a CUIT with a wrong check digit, which the ORM refuses.
        self.env.cr.execute(
            "UPDATE res_partner SET vat = '30111111119' WHERE id = %s", [invalid.id]
        )
        invalid.invalidate_recordset(["vat"])
        partners = caba | fundacion | perez | unknown | invalid
        wizard = self._lookup(partners)

        self.assertEqual(
            self._asked_cuits(),
            ["30111111118", "30500000003", "20123456786", "20999999999"],
        )
        errors = {n.partner_id: n.message for n in wizard.notice_ids}
        self.assertEqual(set(errors), {unknown, invalid})
        # The partner column names the partner; its message does not repeat it.
        self.assertNotIn("Desconocido SRL", errors[unknown])
        self.assertIn("AFIP: No existe persona con ese Id", errors[unknown])
        self.assertNotIn("Legacy SRL", errors[invalid])
        self.assertIn("30111111119", errors[invalid])
        self.assertIn("The CUIT in the field Identification Number", errors[invalid])
        self.assertEqual(set(wizard.notice_ids.mapped("kind")), {"error"})
        self.assertFalse(wizard.line_ids.filtered(lambda x: x.partner_id == unknown))

        expected = {
            caba: ("base.state_ar_c", "l10n_ar.res_IVARI"),
            fundacion: ("base.state_ar_x", "l10n_ar.res_IVAE"),
            perez: ("base.state_ar_s", "l10n_ar.res_RM"),
        }
        for partner, (state, responsibility) in expected.items():
            lines = self._lines(wizard, partner)
            self.assertEqual(
                lines["state_id"].value_to_write, str(self.env.ref(state).id)
            )
            self.assertEqual(
                lines["l10n_ar_afip_responsibility_type_id"].value_to_write,
                str(self.env.ref(responsibility).id),
            )
        wizard.action_apply()
        # AFIP's FUNDACION EJEMPLO differs only in case: not chosen, kept.
        self.assertEqual(fundacion.name, "Fundacion Ejemplo")
        self.assertEqual(fundacion.state_id, self.env.ref("base.state_ar_x"))
        self.assertEqual(perez.l10n_ar_afip_responsibility_type_id.code, "6")
        self.assertEqual(unknown.name, "Desconocido SRL")
        self.assertEqual(invalid.name, "Legacy SRL")

    def test_inactive_taxpayer_is_warned(self):
        partner = self._partner("Maria Gomez", "27303030307", is_company=False)
        wizard = self._lookup(partner)
        status = wizard.line_ids.filtered(lambda line: line.kind == "info")
        self.assertEqual(status.new_value, "INACTIVO")
        self.assertEqual(wizard.notice_ids.kind, "warning")
        self.assertIn("INACTIVO", wizard.notice_ids.message)
        lines = self._lines(wizard, partner)
        self.assertEqual(lines["state_id"].new_value, "Tierra del Fuego (AR)")
        self.assertEqual(
            lines["l10n_ar_afip_responsibility_type_id"].new_value,
            self.env.ref("l10n_ar.res_CF").name,
        )

    def test_cuit_in_no_tax_shows_its_data_and_a_warning(self):
        """The padrón page: a CUIT registered in no tax comes with its data
        and "error" "S" (no VAT condition to tell): the data is shown to
        apply, the error is a warning beside it, not the only thing shown."""
        partner = self._partner("Ricardo Lopez", "20334455662", is_company=False)
        wizard = self._lookup(partner)
        self.assertEqual(self._asked_cuits(), ["20334455662"])
        self.assertEqual(wizard.notice_ids.mapped("kind"), ["warning"])
        message = wizard.notice_ids.message
        self.assertIn("no se encuentra inscripto en ningun impuesto", message)
        self.assertIn("registered in no tax", message)
        lines = self._lines(wizard, partner)
        self.assertEqual(lines["name"].new_value, "LOPEZ RICARDO ANDRES")
        self.assertEqual(lines["city"].new_value, "MAR DEL PLATA")
        self.assertEqual(lines["state_id"].new_value, "Buenos Aires (AR)")
        self.assertNotIn("l10n_ar_afip_responsibility_type_id", lines)
        status = wizard.line_ids.filtered(lambda line: line.kind == "info")
        self.assertEqual(status.new_value, "ACTIVO")
        self.assertTrue(wizard.has_changes)
        wizard.action_apply()
        self.assertEqual(partner.city, "MAR DEL PLATA")
        self.assertEqual(partner.zip, "7600")

    def test_partner_without_cuit_sends_nothing(self):
        wizard = self._lookup(self.partner_cf)
        self.assertEqual(self._asked_cuits(), [])
        self.assertIn("No CUIT in the field", wizard.notice_ids.message)
        self.assertFalse(wizard.has_changes)

    def test_maintenance_is_reported(self):
        self.sandbox.set_fault("maintenance", endpoints=[AFIP_INFO])
        with self.assertRaises(UserError) as caught:
            self._lookup(self.distribuidora)
        self.assertIn("under maintenance until", str(caught.exception))

    def test_dead_server_is_reported_once_not_per_partner(self):
        self.sandbox.set_fault("drop_connection", endpoints=[AFIP_INFO], times=None)
        with self.assertRaises(UserError) as caught:
            self._lookup(self.distribuidora | self.res_partner_adhoc)
        self.assertIn("connection to TusFacturas was lost", str(caught.exception))
        # The first partner only: one try and the client's 3 retries.
        self.assertEqual(len(self.sandbox.requests_to(AFIP_INFO)), 4)

    def test_list_action_for_several_customers(self):
        action = self.env.ref("l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_padron")
        self.assertEqual(action.binding_model_id.model, "res.partner")
        partners = self.distribuidora | self.res_partner_adhoc
        result = action.with_context(
            active_model="res.partner", active_ids=partners.ids
        ).run()
        wizard = self.env["l10n_ar.tusfacturas.padron"].browse(result["res_id"])
        self.assertEqual(wizard.partner_ids, partners)
        self.assertEqual(self._asked_cuits(), ["30712345671", "30714295698"])
        # ADHOC's CUIT is valid but unknown to the sandbox's AFIP.
        self.assertEqual(wizard.notice_ids.partner_id, self.res_partner_adhoc)

    def test_tusfacturas_user_can_look_up_and_apply(self):
        user = new_test_user(
            self.env,
            login="tf_padron_user",
            groups="base.group_user,base.group_partner_manager,"
            "l10n_ar_tusfacturas.group_tusfacturas_user",
            company_id=self.company_ri.id,
            company_ids=[self.company_ri.id],
        )
        wizard = self._lookup(self.distribuidora.with_user(user))
        self.assertEqual(wizard.env.uid, user.id)
        wizard.action_apply()
        self.assertEqual(self.distribuidora.name, "DISTRIBUIDORA MODELO S.A.")
        self.assertEqual(self.distribuidora.message_ids[0].author_id, user.partner_id)

    def test_other_users_cannot_use_the_wizard(self):
        user = new_test_user(
            self.env,
            login="tf_padron_outsider",
            groups="base.group_user,base.group_partner_manager",
            company_id=self.company_ri.id,
            company_ids=[self.company_ri.id],
        )
        with self.assertRaises(AccessError):
            self._lookup(self.distribuidora.with_user(user))
        self.assertEqual(self._asked_cuits(), [])
