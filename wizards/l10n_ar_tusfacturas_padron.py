import unicodedata

from odoo import Command, api, fields, models
from odoo.exceptions import UserError

from ..tusfacturas import (
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasTransportError,
    text_key,
    validate_cuit,
)
from ..tusfacturas import afip_tables as tables
from .l10n_ar_tusfacturas_padron_line import PADRON_FIELDS

PADRON_ACTIVE = "ACTIVO"


def spelling_key(text):
    """``text`` without letter case, accents or extra spaces: "Pérez" and
    AFIP's "PEREZ" are the same spelling (punctuation and letters count)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    bare = "".join(char for char in decomposed if not unicodedata.combining(char))
    return " ".join(bare.casefold().split())


class L10nArTusfacturasPadron(models.TransientModel):
    """Compare partners with the AFIP padrón and apply the chosen differences."""

    _name = "l10n_ar.tusfacturas.padron"
    _description = "TusFacturas AFIP padrón lookup"

    partner_ids = fields.Many2many("res.partner", string="Partners", readonly=True)
    line_ids = fields.One2many(
        "l10n_ar.tusfacturas.padron.line",
        "wizard_id",
        string="Fields",
        domain=[("kind", "in", ("change", "info"))],
    )
    notice_ids = fields.One2many(
        "l10n_ar.tusfacturas.padron.line",
        "wizard_id",
        string="Messages",
        domain=[("kind", "in", ("warning", "error"))],
        readonly=True,
    )
    has_changes = fields.Boolean(compute="_compute_has_changes")

    @api.depends("line_ids.kind")
    def _compute_has_changes(self):
        for wizard in self:
            wizard.has_changes = "change" in wizard.line_ids.mapped("kind")

    # ------------------------------------------------------------------
    # Actions
    # ------------------------------------------------------------------
    @api.model
    def _open_for_partners(self, partners):
        """Look ``partners`` up in the padrón; the wizard showing the result."""
        partners = partners.commercial_partner_id
        if not partners:
            raise UserError(self.env._("Select at least one partner."))
        wizard = self.create({"partner_ids": [Command.set(partners.ids)]})
        wizard._lookup()
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("AFIP padrón"),
            "res_model": self._name,
            "res_id": wizard.id,
            "view_mode": "form",
            "target": "new",
        }

    def action_apply(self):
        """Write the chosen lines on their partners, with a note on each."""
        self.ensure_one()
        chosen = self.line_ids.filtered(
            lambda line: (
                line.kind == "change"
                and line.apply
                and line.field_name in PADRON_FIELDS
            )
        )
        for partner in chosen.partner_id:
            lines = chosen.filtered(lambda line, p=partner: line.partner_id == p)
            partner.write(lines._get_write_values())
            partner.message_post(body=lines._get_change_note())
        return {"type": "ir.actions.act_window_close"}

    # ------------------------------------------------------------------
    # Lookup
    # ------------------------------------------------------------------
    def _lookup(self):
        self.ensure_one()
        company = self.env.company
        client = company._l10n_ar_tusfacturas_get_client()
        values = []
        for partner in self.partner_ids:
            values += self._lookup_partner(company, client, partner)
        self.env["l10n_ar.tusfacturas.padron.line"].create(
            [dict(line, wizard_id=self.id) for line in values]
        )

    def _lookup_partner(self, company, client, partner):
        """Line values for one partner; a refusal only concerns this partner."""
        error = self._get_cuit_error(partner)
        if error:
            return [self._get_notice_values(partner, "error", error)]
        try:
            data = client.afip_info(partner.vat)
        except (TusFacturasMaintenance, TusFacturasTransportError) as error:
            # Nothing can be looked up (and each partner would wait out the
            # timeout again): say so once, for every partner.
            message = company._l10n_ar_tusfacturas_error_message(error)
            raise UserError(message) from error
        except TusFacturasError as error:
            message = company._l10n_ar_tusfacturas_error_message(error)
            return [self._get_notice_values(partner, "error", message)]
        return self._get_partner_lines(partner, data)

    def _get_cuit_error(self, partner):
        """Why ``partner`` cannot be looked up (nothing is sent then), or None."""
        field = partner._fields["vat"]._description_string(self.env)
        if not partner.vat:
            return self.env._(
                "No CUIT in the field %(field)s; AFIP was not asked.",
                field=field,
            )
        try:
            validate_cuit(partner.vat)
        except ValueError as error:
            return self.env._(
                "The CUIT in the field %(field)s is not valid (%(error)s); AFIP was "
                "not asked.",
                field=field,
                error=error,
            )
        return None

    def _get_partner_lines(self, partner, data):
        proposals, warnings = self._get_proposals(data)
        warnings += self._get_answer_warnings(data)
        lines = [
            self._get_change_values(partner, name, value)
            for name, value in proposals.items()
        ]
        status = data.get("estado") or "-"
        lines.append(
            {
                "kind": "info",
                "partner_id": partner.id,
                "field_label": self.env._("AFIP status"),
                "new_value": status,
            }
        )
        if text_key(status) != PADRON_ACTIVE:
            warnings.append(
                self.env._(
                    "AFIP status is %(status)s, not ACTIVO: check the taxpayer "
                    "before invoicing.",
                    status=status,
                )
            )
        return lines + [
            self._get_notice_values(partner, "warning", text) for text in warnings
        ]

    def _get_answer_warnings(self, data):
        """An answer with data and "error" "S": the padrón page's CUIT
        registered in no tax, whose VAT condition TusFacturas cannot tell.
        Its data is shown; its messages are a warning, not an error."""
        if str(data.get("error") or "").strip().upper() != "S":
            return []
        texts = [str(m).strip() for m in data.get("errores") or [] if str(m).strip()]
        return [
            self.env._(
                "AFIP returned this taxpayer's data with an error: %(errors)s "
                "A CUIT registered in no tax has no VAT condition to tell: check "
                "the customer's AFIP responsibility before invoicing.",
                errors=" | ".join(texts) or "-",
            )
        ]

    def _get_proposals(self, data):
        """({field: AFIP value (text or record)}, [warnings]) from an answer."""
        proposals = {
            "name": data.get("razon_social"),
            "street": data.get("direccion"),
            "city": data.get("localidad"),
            "zip": data.get("codigopostal"),
        }
        proposals = {name: str(v).strip() for name, v in proposals.items() if v}
        relations, warnings = self._get_relation_proposals(data)
        proposals.update(relations)
        proposals["l10n_latam_identification_type_id"] = self.env.ref("l10n_ar.it_cuit")
        return proposals, warnings

    @api.model
    def _get_relation_proposals(self, data):
        """Province and AFIP responsibility as Odoo records, or warnings."""
        proposals, warnings = {}, []
        province = data.get("provincia")
        state = self._find_state(province)
        if state:
            proposals["state_id"] = state
        elif province:
            warnings.append(
                self.env._(
                    "Province %(province)s matches no Argentine state in Odoo.",
                    province=province,
                )
            )
        condition = data.get("condicion_impositiva")
        responsibility = self._find_responsibility(condition)
        if responsibility:
            proposals["l10n_ar_afip_responsibility_type_id"] = responsibility
        elif condition:
            warnings.append(
                self.env._(
                    "AFIP condition %(condition)s matches no AFIP responsibility "
                    "type in Odoo.",
                    condition=condition,
                )
            )
        return proposals, warnings

    @api.model
    def _find_state(self, province):
        key = text_key(province)
        if not key:
            return self.env["res.country.state"]
        states = self.env["res.country.state"].search(
            [("country_id", "=", self.env.ref("base.ar").id)]
        )
        code = tables.PADRON_PROVINCE_ALIASES.get(key)
        if code:
            return states.filtered(lambda state: state.code == code)[:1]
        return states.filtered(lambda state: text_key(state.name) == key)[:1]

    @api.model
    def _find_responsibility(self, condition):
        code = tables.PADRON_RESPONSIBILITIES.get(text_key(condition))
        if not code:
            return self.env["l10n_ar.afip.responsibility.type"]
        return self.env["l10n_ar.afip.responsibility.type"].search(
            [("code", "=", code)], limit=1
        )

    @api.model
    def _get_change_values(self, partner, name, value):
        """A line comparing ``partner[name]`` with the AFIP ``value``; chosen
        when it differs, unless only in case or accents (AFIP writes in
        capitals, without accents: the partner's spelling is kept unless the
        user chooses AFIP's)."""
        current = partner[name]
        if isinstance(value, models.BaseModel):
            differs = apply = current != value
            current_text, new_text, raw = (
                current.display_name,
                value.display_name,
                str(value.id),
            )
        else:
            current_text, new_text, raw = current or "", value, value
            differs = current_text.strip() != value
            apply = spelling_key(current_text) != spelling_key(value)
        return {
            "kind": "change",
            "partner_id": partner.id,
            "field_name": name,
            "field_label": partner._fields[name]._description_string(self.env),
            "current_value": current_text,
            "new_value": new_text,
            "value_to_write": raw,
            "differs": differs,
            "apply": apply,
        }

    @api.model
    def _get_notice_values(self, partner, kind, message):
        return {
            "kind": kind,
            "partner_id": partner.id,
            # The list shows the partner beside the message: not named twice.
            "message": message,
        }
