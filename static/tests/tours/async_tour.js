/** @odoo-module **/
// Asynchronous point of sale: an invoicing user confirms an invoice, which
// waits unnumbered for TusFacturas' queue; later, one that TusFacturas' queue
// failed to emit is re-sent from its form.
import { registry } from "@web/core/registry";
import { createAndConfirmInvoice, field } from "./tour_utils";

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_async_confirm", {
    steps: () => [
        ...createAndConfirmInvoice("ADHOC SA", "Large Cabinet", "320"),
        {
            content: "It waits for TusFacturas' queue, and says so",
            trigger: "div[role=alert]:contains(TusFacturas numbers it when it emits it)",
        },
        {
            content: "Still a draft: TusFacturas gives the number when it emits it",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=draft]",
        },
        {
            content: "It cannot be confirmed twice",
            trigger: ".o_form_statusbar:not(:has(button[name=action_post]:visible))",
        },
        {
            content: "It can be taken out of the queue",
            trigger: "button[name=action_l10n_ar_tusfacturas_async_delete]:visible",
        },
        {
            content: "Re-send is not valid yet",
            trigger: ".o_form_statusbar:not(:has(button[name=action_l10n_ar_tusfacturas_async_resend]))",
        },
        {
            content: "Open the TusFacturas tab",
            trigger: ".o_notebook_headers a:contains(TusFacturas)",
            run: "click",
        },
        {
            content: "TusFacturas status",
            trigger: `${field("l10n_ar_tusfacturas_state")}:contains(To be queued at TusFacturas)`,
        },
    ],
});

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_async_resend", {
    steps: () => [
        {
            content: "What TusFacturas' queue said",
            trigger: "div[role=alert]:contains(could not emit):contains(10015)",
        },
        {
            content: "Re-send",
            trigger: "button[name=action_l10n_ar_tusfacturas_async_resend]:visible",
            run: "click",
        },
        {
            content: "Back in TusFacturas' queue",
            trigger: "div[role=alert]:contains(Sent back to processing)",
        },
        {
            content: "Re-send is no longer offered",
            trigger: ".o_form_statusbar:not(:has(button[name=action_l10n_ar_tusfacturas_async_resend]))",
        },
    ],
});
