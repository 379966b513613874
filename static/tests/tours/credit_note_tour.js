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
        // No document number is typed: on a TusFacturas point of sale the
        // sequence gives it (l10n_ar would ask it for a first credit note).
        ...confirm(),
        ...checkAuthorized({ authorization: "AFIP authorization", authorized: "Authorized" }),
    ],
});
