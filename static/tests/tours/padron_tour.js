/** @odoo-module **/
// The AFIP padrón on a partner: only the city is applied.
import { registry } from "@web/core/registry";
import { field } from "./tour_utils";

function untick(newValue) {
    return {
        content: `Do not apply ${newValue}`,
        trigger: `.modal .o_data_row:has([name=new_value]:contains(${newValue})) [name=apply] input:checked`,
        run: "click",
    };
}

registry.category("web_tour.tours").add("l10n_ar_tusfacturas_padron", {
    steps: () => [
        {
            content: "AFIP padrón",
            trigger: "button[name=action_l10n_ar_tusfacturas_padron]",
            run: "click",
        },
        {
            content: "Odoo's and AFIP's values side by side",
            trigger: ".modal .o_data_row:has([name=current_value]:contains(Rosario)):has([name=new_value]:contains(CASTELAR))",
        },
        untick("DISTRIBUIDORA MODELO S.A."),
        untick("Buenos Aires"),
        {
            content: "Only the city stays chosen",
            trigger: ".modal .o_data_row:has([name=new_value]:contains(CASTELAR)) [name=apply] input:checked",
        },
        {
            content: "Apply",
            trigger: ".modal button[name=action_apply]",
            run: "click",
        },
        {
            content: "The partner shows AFIP's city",
            trigger: `body:not(:has(.modal)) ${field("city")} input:value(CASTELAR)`,
        },
    ],
});
