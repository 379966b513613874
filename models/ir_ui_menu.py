from odoo import models


class IrUiMenu(models.Model):
    _inherit = "ir.ui.menu"

    def _l10n_ar_tusfacturas_path(self):
        """The menu's path as the user reads it ("Invoicing > Customers > ..."
        in Community, Accounting in Enterprise, translated): from the names in
        the context's language (the stored complete name may be another's)."""
        self.ensure_one()
        return self._get_full_name().replace("/", " > ")
