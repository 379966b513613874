from odoo import api, fields, models

from ..tusfacturas import afip_tables as tables

# l10n_ar's IIBB perception tax groups (xml id suffix) -> res.country.state code.
IIBB_GROUP_STATES = {
    "percepcion_iibb_caba": "C",
    "percepcion_iibb_ba": "B",
    "percepcion_iibb_ca": "K",
    "percepcion_iibb_ha": "H",
    "percepcion_iibb_ct": "U",
    "percepcion_iibb_co": "X",
    "percepcion_iibb_rr": "W",
    "percepcion_iibb_er": "E",
    "percepcion_iibb_fo": "P",
    "percepcion_iibb_ju": "Y",
    "percepcion_iibb_lp": "L",
    "percepcion_iibb_lr": "F",
    "percepcion_iibb_za": "M",
    "percepcion_iibb_mi": "N",
    "percepcion_iibb_ne": "Q",
    "percepcion_iibb_rn": "R",
    "percepcion_iibb_sa": "A",
    "percepcion_iibb_nn": "J",
    "percepcion_iibb_sl": "D",
    "percepcion_iibb_az": "Z",
    "percepcion_iibb_sf": "S",
    "percepcion_iibb_se": "G",
    "percepcion_iibb_tf": "V",
    "percepcion_iibb_tn": "T",
}


class AccountTax(models.Model):
    _inherit = "account.tax"

    l10n_ar_tusfacturas_regime = fields.Selection(
        [(value, name) for value, (_tipo, name) in tables.PERCEPTION_REGIMES.items()],
        string="TusFacturas perception regime",
        compute="_compute_l10n_ar_tusfacturas_regime",
        store=True,
        readonly=False,
        help="TusFacturas' perception regime (its table 'tributos_percepciones_"
        "regimenes'), which also gives the perception type sent in 'tributos'. "
        "Required for perception taxes on comprobantes issued through TusFacturas; "
        "an IIBB perception of a province defaults to that province's regime.",
    )

    @api.depends("tax_group_id")
    def _compute_l10n_ar_tusfacturas_regime(self):
        groups = self.tax_group_id.filtered(
            lambda g: g.l10n_ar_tribute_afip_code == "07"
        )
        xml_ids = groups.get_external_id()
        for tax in self:
            if tax.l10n_ar_tusfacturas_regime:
                continue
            xml_id = xml_ids.get(tax.tax_group_id.id, "")
            state = next(
                (
                    code
                    for suffix, code in IIBB_GROUP_STATES.items()
                    if xml_id.endswith("_" + suffix)
                ),
                None,
            )
            tax.l10n_ar_tusfacturas_regime = tables.IIBB_REGIME_BY_STATE.get(state)
