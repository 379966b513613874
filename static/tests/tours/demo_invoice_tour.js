/** @odoo-module **/
// `make run`'s demo (issue 17): beside the demo drafts, admin creates a new
// invoice on the default journal (TusFacturas sandbox, point of sale 5) and
// confirms it first. It is the first comprobante of the point of sale, gets its
// CAE, and ends on the official PDF the sandbox served.
import { registry } from "@web/core/registry";
import { checkAuthorized, createAndConfirmInvoice } from "./tour_utils";

// The first FACTURA A of point of sale 5: its official PDF's name.
const OFFICIAL_PDF = "FA-A_00005-00000001.pdf";

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_demo_invoice", {
    steps: () => [
        {
            content: "The demo drafts are listed",
            trigger: ".o_list_renderer .o_data_row:contains(Distribuidora Modelo)",
        },
        {
            content: "New invoice",
            trigger: ".o_list_button_add",
            run: "click",
        },
        ...createAndConfirmInvoice("Distribuidora Modelo", "Software consulting", "25,000.00"),
        ...checkAuthorized({ authorization: "AFIP authorization", authorized: "Authorized" }),
        {
            content: "Number 1 of point of sale 5",
            trigger: ".oe_title .o_field_widget[name=name]:contains(FA-A 00005-00000001)",
        },
        {
            content: "Open the official PDF from the chatter",
            trigger: `.o-mail-Message .o-mail-AttachmentCard[title='${OFFICIAL_PDF}']`,
            run: "click",
        },
        {
            content: "The official PDF is shown",
            trigger: `.o-FileViewer:has(.o-FileViewer-header:contains(${OFFICIAL_PDF})) iframe.o-FileViewer-view`,
        },
    ],
});
