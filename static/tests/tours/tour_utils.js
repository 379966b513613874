/** @odoo-module **/
// Helpers shared by this addon's tours.

// The Python test stores the sandbox's URL (a free port) here before the tour.
export const TOUR_SANDBOX_URL_KEY = "l10n_ar_tusfacturas.tour.sandbox_url";

// A non-sticky notification closes after 4 s.
const NOTIFICATION_DELAY = 4000;

export function field(name) {
    return `.o_field_widget[name=${name}]`;
}

export async function waitLongerThanANotification() {
    await new Promise((resolve) => setTimeout(resolve, NOTIFICATION_DELAY + 1000));
}

/** Fail the tour (console.error) unless ``check`` holds for the anchor. */
export function assertText(selectorContent, check) {
    return function () {
        const text = this.anchor.textContent.trim();
        if (!check(text)) {
            throw new Error(`${selectorContent}: unexpected "${text}"`);
        }
    };
}

/** Steps of an invoicing user filling a new customer invoice and confirming it. */
export function createAndConfirmInvoice(customer, product, amount) {
    return [
        {
            content: `Customer ${customer}`,
            trigger: `${field("partner_id")} input`,
            run: `edit ${customer}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${customer})`,
            run: "click",
        },
        {
            content: "Add a line",
            trigger: `${field("invoice_line_ids")} .o_field_x2many_list_row_add a:first`,
            run: "click",
        },
        {
            content: `Product ${product}`,
            trigger: `${field("invoice_line_ids")} .o_selected_row [name=product_id] input`,
            run: `edit ${product}`,
        },
        {
            trigger: `.o-autocomplete--dropdown-item:contains(${product})`,
            run: "click",
        },
        {
            content: "The line has its amount",
            trigger: `${field("invoice_line_ids")} .o_data_row [name=price_subtotal]:contains(${amount})`,
        },
        ...confirm(),
    ];
}

export function confirm() {
    return [
        {
            content: "Confirm",
            trigger: ".o_form_statusbar button[name=action_post]:visible",
            run: "click",
        },
    ];
}

/** Steps checking what an authorized comprobante shows; ``labels`` are the
 * strings of the user's language. */
export function checkAuthorized(labels) {
    return [
        {
            content: "Posted",
            trigger: ".o_statusbar_status .o_arrow_button_current[data-value=posted]",
        },
        {
            content: "Open the TusFacturas tab",
            trigger: ".o_notebook_headers a:contains(TusFacturas)",
            run: "click",
        },
        {
            trigger: `.o_horizontal_separator:contains(${labels.authorization})`,
        },
        {
            content: "TusFacturas status",
            trigger: `${field("l10n_ar_tusfacturas_state")}:contains(${labels.authorized})`,
        },
        {
            content: "The CAE: 14 digits",
            trigger: `${field("l10n_ar_tusfacturas_cae")}`,
            run: assertText("CAE", (text) => /^\d{14}$/.test(text)),
        },
        {
            content: "The CAE's due date",
            trigger: `${field("l10n_ar_tusfacturas_cae_due_date")}`,
            run: assertText("CAE due date", (text) => /\d/.test(text)),
        },
        {
            content: "The official PDF",
            trigger: `${field("l10n_ar_tusfacturas_pdf_id")}:contains(.pdf)`,
        },
        {
            content: "The AFIP QR",
            trigger: `${field("l10n_ar_tusfacturas_qr_id")}:contains(_QR.png)`,
        },
        {
            content: "Both attached in the chatter",
            trigger: ".o-mail-Message:has(.o-mail-AttachmentCard:contains(.pdf)):has(.o-mail-AttachmentImage[title$='_QR.png'])",
        },
    ];
}
