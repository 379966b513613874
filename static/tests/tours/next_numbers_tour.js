/** @odoo-module **/
// Next numbers from a draft invoice: TusFacturas is ahead (a comprobante was
// issued outside Odoo); a manager aligns the draft.
import { registry } from "@web/core/registry";
import { field } from "./tour_utils";

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_next_numbers", {
    steps: () => [
        {
            content: "The draft has Odoo's next number",
            trigger: `${field("name")}:contains(00003-00000001), ${field("name")} input:value("FA-A 00003-00000001")`,
        },
        {
            content: "Next numbers",
            trigger: ".o_form_statusbar button:contains(Next numbers)",
            run: "click",
        },
        {
            content: "TusFacturas is ahead for this document type",
            trigger: `.modal .o_data_row:has([name=status]:contains(TusFacturas ahead)):has([name=odoo_next]:contains(1)):has([name=tusfacturas_next]:contains(2))`,
        },
        {
            content: "Align",
            trigger: ".modal .o_data_row:has([name=status]:contains(TusFacturas ahead)) button[name=action_align]",
            run: "click",
        },
        {
            content: "Confirm the alignment",
            trigger: ".modal:contains(this cannot be undone) .modal-footer .btn-primary",
            run: "click",
        },
        {
            content: "Now they match",
            trigger: ".modal .o_data_row:has([name=status]:contains(Match)):has([name=tusfacturas_next]:contains(2))",
        },
        {
            content: "Close",
            trigger: ".modal .modal-footer button:contains(Close)",
            run: "click",
        },
        {
            content: "The draft took TusFacturas' number",
            trigger: `body:not(:has(.modal)) ${field("name")}:contains(00003-00000002), body:not(:has(.modal)) ${field("name")} input:value("FA-A 00003-00000002")`,
        },
    ],
});
