import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

# "codigo_despacho": 16 characters, format 99999AAXX999999A (XX digits or letters).
PERMIT_RE = re.compile(r"^\d{5}[A-Z]{2}[A-Z0-9]{2}\d{6}[A-Z]$")


class TusFacturasExportPermit(models.Model):
    _name = "l10n_ar.tusfacturas.export.permit"
    _description = "Export permit (permiso de embarque) of an export invoice"

    move_id = fields.Many2one(
        "account.move", required=True, ondelete="cascade", index=True
    )
    company_id = fields.Many2one(related="move_id.company_id", store=True)
    name = fields.Char(
        string="Permit (codigo_despacho)",
        required=True,
        size=16,
        help="Customs export permit: 16 characters, 99999AAXX999999A.",
    )
    country_id = fields.Many2one(
        "res.country", string="Destination country", required=True
    )

    @api.constrains("name")
    def _check_name(self):
        for permit in self:
            if not PERMIT_RE.match(permit.name or ""):
                raise ValidationError(
                    self.env._(
                        "Export permit %(permit)s: 16 characters in the format "
                        "99999AAXX999999A (XX letters or digits).",
                        permit=permit.name,
                    )
                )
