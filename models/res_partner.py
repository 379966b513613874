import hashlib
import re

from odoo import models

from ..tusfacturas import afip_tables as tables
from ..tusfacturas.validation import is_valid_cuit


class ResPartner(models.Model):
    _inherit = "res.partner"

    def action_l10n_ar_tusfacturas_padron(self):
        """Compare these partners with the AFIP padrón (through TusFacturas)."""
        return self.env["l10n_ar.tusfacturas.padron"]._open_for_partners(self)

    def action_l10n_ar_tusfacturas_customer_account(self):
        """TusFacturas' cuenta corriente and the ARBA rates of this customer."""
        self.ensure_one()
        wizard = self.env["l10n_ar.tusfacturas.customer.account"]
        return wizard._open_for_partner(self)

    def _l10n_ar_tusfacturas_is_abroad(self):
        """A customer abroad (AFIP "Cliente del Exterior"): identified through
        the export block, with TusFacturas' foreign province."""
        responsibility = self.commercial_partner_id.l10n_ar_afip_responsibility_type_id
        return responsibility.code == "9"

    def _l10n_ar_tusfacturas_get_code(self, doc_type, doc_number, iva):
        """TusFacturas' client "codigo" (at most 50, should be unique): the
        partner id (a free "ref" may repeat across partners and would merge
        them in TusFacturas) and a digest of its identification. The field
        reference: an existing client is updated "con excepción de los campos:
        tipo de documento, número de documento y condición ante el IVA", so a
        customer whose identification changed is another client there."""
        identity = f"{doc_type}|{doc_number}|{iva}".encode()
        digest = hashlib.sha1(identity, usedforsecurity=False).hexdigest()[:8]
        return f"ODOO-{self.commercial_partner_id.id}-{digest}"

    def _l10n_ar_tusfacturas_get_document(self, iva):
        """TusFacturas' (documento_tipo, documento_nro) of this customer."""
        partner = self.commercial_partner_id
        if partner._l10n_ar_tusfacturas_is_abroad():
            # "Campo numérico, sin puntos ni guiones": digits only.
            return "OTRO", re.sub(r"\D", "", partner.vat or "") or "0"
        id_code = partner.l10n_latam_identification_type_id.l10n_ar_afip_code
        doc_type = tables.DOCUMENT_TYPES[id_code]
        if doc_type == "OTRO":
            return doc_type, "0"
        return doc_type, str(partner._get_id_number_sanitize())

    def _l10n_ar_tusfacturas_get_document_error(self):
        """Why TusFacturas could not identify this customer, or False.

        For customers in Argentina (abroad, the export data identifies them).
        """
        partner = self.commercial_partner_id
        id_type = partner.l10n_latam_identification_type_id
        doc_type = tables.DOCUMENT_TYPES.get(id_type.l10n_ar_afip_code)
        number = partner.vat or ""
        if not doc_type:
            return self.env._(
                "identification type %(type)s is not accepted by TusFacturas (CUIT, "
                "CUIL, DNI, passport or unidentified).",
                type=id_type.name or "-",
            )
        if doc_type == "CUIT" and not is_valid_cuit(number):
            return self.env._(
                "CUIT %(vat)s is not valid (check digit).", vat=number or "-"
            )
        if doc_type in ("DNI", "PASAPORTE") and not number.isdigit():
            return self.env._("the document number must be digits only.")
        return False
