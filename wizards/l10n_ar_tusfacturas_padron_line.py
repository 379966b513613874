from markupsafe import Markup
from odoo import fields, models

# The partner fields the padrón proposes: Apply writes nothing else.
PADRON_FIELDS = frozenset(
    {
        "name",
        "street",
        "city",
        "zip",
        "state_id",
        "l10n_ar_afip_responsibility_type_id",
        "l10n_latam_identification_type_id",
    }
)


class L10nArTusfacturasPadronLine(models.TransientModel):
    """One field of one partner (current vs AFIP), or a message about a partner."""

    _name = "l10n_ar.tusfacturas.padron.line"
    _description = "TusFacturas AFIP padrón lookup line"
    _order = "wizard_id, id"

    wizard_id = fields.Many2one(
        "l10n_ar.tusfacturas.padron", required=True, ondelete="cascade"
    )
    kind = fields.Selection(
        [
            ("change", "Change"),
            ("info", "Information"),
            ("warning", "Warning"),
            ("error", "Error"),
        ],
        required=True,
        default="change",
    )
    partner_id = fields.Many2one("res.partner", required=True, ondelete="cascade")
    field_name = fields.Char(string="Technical field")
    field_label = fields.Char(string="Field")
    current_value = fields.Char()
    new_value = fields.Char(string="AFIP value")
    value_to_write = fields.Char(
        help="What Apply writes: the text, or the id of the record for a relation."
    )
    differs = fields.Boolean()
    apply = fields.Boolean()
    message = fields.Char()

    def _get_write_values(self):
        """Values to write on the (single) partner of these lines."""
        values = {}
        for line in self:
            field = line.partner_id._fields[line.field_name]
            if field.type == "many2one":
                record = self.env[field.comodel_name].browse(int(line.value_to_write))
                values[line.field_name] = record.id
                if line.field_name == "state_id":
                    values["country_id"] = record.country_id.id
            else:
                values[line.field_name] = line.value_to_write
        return values

    def _get_change_note(self):
        """Chatter note listing what these lines changed."""
        items = Markup().join(
            Markup("<li>%s: %s → %s</li>")
            % (line.field_label, line.current_value or "-", line.new_value)
            for line in self
        )
        title = self.env._("Updated from the AFIP padrón (TusFacturas):")
        return Markup("%s<ul>%s</ul>") % (title, items)
