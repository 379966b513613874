/** @odoo-module **/
// An invoicing user confirms several invoices at once from the list: they are
// queued (not sent one by one), with when they will be sent. The user opens
// Accounting > Customers > TusFacturas queue, reads the counts and filters,
// and presses Send now. The Python test checks what the sandbox received.
import { registry } from "@web/core/registry";
import { assertText } from "./tour_utils";

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_queue", {
    steps: () => [
        {
            content: "Three draft invoices in the list",
            trigger: ".o_list_view .o_data_row:nth-child(3)",
        },
        {
            content: "Select them all",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Actions",
            trigger: ".o_cp_action_menus button:contains(Actions)",
            run: "click",
        },
        {
            content: "Confirm Entries",
            trigger: ".o-dropdown--menu .o_menu_item:contains(Confirm Entries)",
            run: "click",
        },
        {
            content: "Confirm",
            trigger: ".modal button[name=validate_move]",
            run: "click",
        },
        {
            content: "The list says Queued for each",
            trigger: ".o_list_view:not(:has(.modal)):has(.o_data_row:nth-child(3) td[name=l10n_ar_tusfacturas_state]:contains(Queued)):not(:has(td[name=l10n_ar_tusfacturas_state]:not(:contains(Queued))))",
        },
        {
            content: "Open the Customers menu",
            trigger: ".o_main_navbar .o_menu_sections button:contains(Customers)",
            run: "click",
        },
        {
            content: "TusFacturas queue",
            trigger: ".o-dropdown--menu .dropdown-item:contains(TusFacturas queue)",
            run: "click",
        },
        {
            content: "Pending ones, grouped by status",
            trigger: ".o_searchview_facet:contains(Not authorized yet)",
        },
        {
            content: "Queued: 3",
            trigger: ".o_group_header:contains(Queued)",
            run: assertText("Queued group", (text) => /\(3\)/.test(text)),
        },
        {
            content: "Open the group",
            trigger: ".o_group_header:contains(Queued)",
            run: "click",
        },
        {
            content: "When each will be sent",
            trigger: ".o_data_row:nth-child(3) td[name=l10n_ar_tusfacturas_send_after]",
            run: assertText("To be sent from", (text) => /\d/.test(text)),
        },
        {
            content: "Open the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "A filter for the failed ones",
            trigger: ".o_filter_menu .o_menu_item:contains(Failed)",
        },
        {
            content: "Close the filters",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Select the queued invoices",
            trigger: ".o_list_view thead .o_list_record_selector input",
            run: "click",
        },
        {
            content: "Send now",
            trigger: ".o_list_selection_container button:contains(Send now)",
            run: "click",
        },
        {
            content: "Told at once from when they will be sent",
            trigger: ".o_notification:contains(Queued for TusFacturas):contains(3 invoice(s) queued)",
        },
    ],
});
