/** @odoo-module **/
// An invoicing user creates and confirms a customer invoice, then reads the
// CAE, the TusFacturas status and both attachments (in English and Spanish).
import { registry } from "@web/core/registry";
import { checkAuthorized, createAndConfirmInvoice } from "./tour_utils";

const LABELS = {
    en: { authorization: "AFIP authorization", authorized: "Authorized" },
    es_419: { authorization: "Autorización de AFIP", authorized: "Autorizado" },
};

for (const [lang, labels] of Object.entries(LABELS)) {
    const suffix = lang === "en" ? "" : `_${lang}`;
    registry.category("web_tour.tours").add(`l10n_ar_tusfacturas_invoice${suffix}`, {
        steps: () => [
            ...createAndConfirmInvoice("ADHOC SA", "Large Cabinet", "320"),
            ...checkAuthorized(labels),
        ],
    });
}
