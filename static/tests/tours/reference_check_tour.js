/** @odoo-module **/
// Check reference tables after TusFacturas changed its VAT rates (27 % gone,
// 5 % new): the dropped rate is a problem saying what to do; the new one only
// shows among the differences.
import { registry } from "@web/core/registry";

const row = (status, text) =>
    `.o_data_row:has([name=table]:contains(VAT rate)):has([name=status]:contains(${status})):has([name=note]:contains(${text}))`;

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_reference_check", {
    steps: () => [
        {
            content: "The tool says what it compares",
            trigger: ".modal:contains(VAT rates, IVA conditions, currencies)",
        },
        {
            content: "Check",
            trigger: ".modal .modal-footer button[name=action_check]",
            run: "click",
        },
        {
            content: "TusFacturas no longer lists VAT 27: a problem, with what to do",
            trigger: `body:not(:has(.modal)) ${row("Unknown to TusFacturas", "no longer lists 27")}`,
        },
        {
            content: "A rate only TusFacturas lists is not a problem",
            trigger: `body:not(:has(${row("Only in TusFacturas", "")}))`,
        },
        {
            content: "Open the search options",
            trigger: ".o_searchview_dropdown_toggler",
            run: "click",
        },
        {
            content: "Show the differences too",
            trigger: ".o_filter_menu .o_menu_item:contains(Differences)",
            run: "click",
        },
        {
            content: "The new rate: nothing fails, the addon needs an update",
            trigger: row("Only in TusFacturas", "which the addon never sends"),
        },
    ],
});
