/** @odoo-module **/
// A customer without a street: confirming shows what to fix, nothing is sent.
import { registry } from "@web/core/registry";
import { createAndConfirmInvoice } from "./tour_utils";

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_bad_input", {
    steps: () => [
        ...createAndConfirmInvoice("Cliente Sin Calle", "Large Cabinet", "320"),
        {
            content: "The error names the customer and the missing street",
            trigger: ".modal:contains(Cliente Sin Calle):contains(street)",
        },
        {
            content: "Close the error",
            trigger: ".modal .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "The invoice stays in draft",
            trigger: "body:not(:has(.modal)) .o_statusbar_status .o_arrow_button_current[data-value=draft]",
        },
    ],
});
