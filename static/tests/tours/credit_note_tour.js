/** @odoo-module **/
// A credit note from an authorized invoice, through the reversal wizard.
import { registry } from "@web/core/registry";
import { checkAuthorized, confirm, field } from "./tour_utils";

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_credit_note", {
    steps: () => [
        {
            content: "Credit Note",
            trigger: ".o_form_statusbar button[name=action_reverse]:visible",
            run: "click",
        },
        {
            content: "Reason",
            trigger: `.modal ${field("reason")} input`,
            run: "edit Devolución de mercadería",
        },
        {
            content: "Reverse",
            trigger: ".modal button[name=refund_moves]",
            run: "click",
        },
        {
            content: "The draft credit note is open",
            trigger: "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current[data-value=draft]",
        },
        {
            content: "The first credit note of this point of sale: l10n_ar asks its number",
            trigger: `${field("l10n_latam_document_number")} input`,
            run: "edit 00003-00000001",
        },
        ...confirm(),
        ...checkAuthorized({ authorization: "AFIP authorization", authorized: "Authorized" }),
    ],
});
