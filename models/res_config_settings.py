from odoo import fields, models

SECRET = "base.group_system"


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    l10n_ar_tusfacturas_apikey = fields.Char(
        related="company_id.l10n_ar_tusfacturas_apikey", readonly=False, groups=SECRET
    )
    l10n_ar_tusfacturas_apitoken = fields.Char(
        related="company_id.l10n_ar_tusfacturas_apitoken",
        readonly=False,
        groups=SECRET,
    )
    l10n_ar_tusfacturas_usertoken = fields.Char(
        related="company_id.l10n_ar_tusfacturas_usertoken",
        readonly=False,
        groups=SECRET,
    )
    l10n_ar_tusfacturas_api_url = fields.Char(
        related="company_id.l10n_ar_tusfacturas_api_url",
        readonly=False,
        groups=SECRET,
    )
    l10n_ar_tusfacturas_timeout = fields.Integer(
        related="company_id.l10n_ar_tusfacturas_timeout", readonly=False
    )
    l10n_ar_tusfacturas_rubro = fields.Char(
        related="company_id.l10n_ar_tusfacturas_rubro", readonly=False
    )
    l10n_ar_tusfacturas_rubro_grupo_contable = fields.Char(
        related="company_id.l10n_ar_tusfacturas_rubro_grupo_contable",
        readonly=False,
    )
    l10n_ar_tusfacturas_send_email = fields.Boolean(
        related="company_id.l10n_ar_tusfacturas_send_email", readonly=False
    )
    l10n_ar_tusfacturas_pdf_language = fields.Selection(
        related="company_id.l10n_ar_tusfacturas_pdf_language", readonly=False
    )
    l10n_ar_tusfacturas_price_list = fields.Char(
        related="company_id.l10n_ar_tusfacturas_price_list", readonly=False
    )
