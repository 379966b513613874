/** @odoo-module **/
// An administrator finds the TusFacturas block by searching Settings, types
// the credentials, saves, tests the connection and reads the sticky answer.
import { registry } from "@web/core/registry";
import { TOUR_SANDBOX_URL_KEY, field, waitLongerThanANotification } from "./tour_utils";

export const TOUR_CREDENTIALS = {
    apikey: "7777",
    apitoken: "tour-apitoken",
    usertoken: "tour-usertoken",
};

function searchTusFacturas() {
    return [
        {
            content: "Search the settings for TusFacturas",
            trigger: ".o_searchview_input",
            run: "edit TusFacturas",
        },
        {
            content: "The TusFacturas block is displayed",
            trigger: ".o_settings_container #l10n_ar_tusfacturas_credentials:visible",
        },
    ];
}

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_settings", {
    steps: () => [
        ...searchTusFacturas(),
        {
            trigger: "h2:contains(TusFacturas.app)",
        },
        {
            content: "API key",
            trigger: `${field("l10n_ar_tusfacturas_apikey")} input`,
            run: `edit ${TOUR_CREDENTIALS.apikey}`,
        },
        {
            content: "API token",
            trigger: `${field("l10n_ar_tusfacturas_apitoken")} input`,
            run: `edit ${TOUR_CREDENTIALS.apitoken}`,
        },
        {
            content: "User token",
            trigger: `${field("l10n_ar_tusfacturas_usertoken")} input`,
            run: `edit ${TOUR_CREDENTIALS.usertoken}`,
        },
        {
            content: "API URL: the sandbox",
            trigger: `${field("l10n_ar_tusfacturas_api_url")} input`,
            run: `edit ${localStorage.getItem(TOUR_SANDBOX_URL_KEY)}`,
        },
        {
            content: "RG 5616: foreign-currency invoices are paid in their currency",
            trigger: `${field("l10n_ar_tusfacturas_pays_same_currency")} input[type=checkbox]:not(:checked)`,
            run: "click",
        },
        {
            content: "Mark the page: saving reloads it",
            trigger: "body",
            run() {
                document.body.dataset.tfBeforeReload = "1";
            },
        },
        {
            content: "Save the settings",
            trigger: ".o_form_button_save:enabled",
            run: "click",
        },
        {
            content: "Saved: the page was reloaded",
            trigger: "body:not([data-tf-before-reload]) .o_settings_container",
        },
        ...searchTusFacturas(),
        {
            content: "The saved URL is shown",
            trigger: `${field("l10n_ar_tusfacturas_api_url")} input:value("${localStorage.getItem(TOUR_SANDBOX_URL_KEY)}")`,
        },
        {
            content: "Test the connection",
            trigger: "button[name=action_l10n_ar_tusfacturas_test_connection]",
            run: "click",
        },
        {
            content: "TusFacturas accepted the credentials",
            trigger: ".o_notification:contains(Credentials accepted)",
            run: waitLongerThanANotification,
        },
        {
            content: "The answer is still there to be read (sticky)",
            trigger: ".o_notification:contains(Credentials accepted):contains(AFIP invoicing service: OK)",
        },
    ],
});
