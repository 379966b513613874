"""`make screenshots`: pictures of the real UI for the README, taken by
headless Chromium against the sandbox. Not part of `make test` (tagged
``-standard``); the PNGs go to doc/screenshots/."""

import base64
from pathlib import Path

from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .test_tours import INVOICES, SETTINGS, TusFacturasTourCommon

REFERENCE_CHECK = (
    "/web#action=l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_reference_check"
)
QUEUE = "/web#action=l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_queue"
MODULES = [
    "base",
    "web",
    "account",
    "l10n_latam_invoice_document",
    "l10n_ar",
    "l10n_ar_tusfacturas",
]

# Small DOM helpers run in the page before each scenario's steps.
HELPERS = """
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
async function waitFor(selector, timeout = 30000) {
    const end = Date.now() + timeout;
    while (Date.now() < end) {
        const node = document.querySelector(selector);
        if (node && node.offsetParent !== null) { return node; }
        await sleep(200);
    }
    throw new Error(`screenshot: nothing matches ${selector}`);
}
async function click(selector) { (await waitFor(selector)).click(); await sleep(800); }
async function clickText(selector, text) {
    const end = Date.now() + 30000;
    while (Date.now() < end) {
        const node = [...document.querySelectorAll(selector)].find(
            (n) => n.textContent.includes(text) && n.offsetParent !== null
        );
        if (node) { node.click(); await sleep(800); return; }
        await sleep(200);
    }
    throw new Error(`screenshot: no ${selector} says ${text}`);
}
async function type(selector, text) {
    const input = await waitFor(selector);
    input.value = text;
    input.dispatchEvent(new Event("input", { bubbles: true }));
    input.dispatchEvent(new Event("change", { bubbles: true }));
    await sleep(500);
}
"""


@tagged("post_install", "-at_install", "-standard", "tusfacturas_screenshots")
class TestScreenshots(TusFacturasTourCommon):
    browser_size = "1366x900"  # a common laptop: no column a person reads is cut

    def _capture(self, name, url, steps, login):
        """Open ``url`` as ``login``, run the JS ``steps`` (awaited), save
        the page as doc/screenshots/<name>.png."""
        target = Path(get_module_path("l10n_ar_tusfacturas")) / "doc" / "screenshots"
        target.mkdir(parents=True, exist_ok=True)
        browser = ChromeBrowser(self)
        try:
            self.authenticate(login, login, browser=browser)
            self.cr.flush()
            self.cr.clear()
            browser.navigate_to(f"{self.base_url()}{url}", wait_stop=True)
            self.assertTrue(browser._wait_ready())
            code = (
                f"{HELPERS}\n(async () => {{ {steps}\n await sleep(1500); }})()"
                ".then(() => console.log('test successful'))"
                ".catch((error) => console.error(error.message))"
            )
            browser._wait_code_ok(code, timeout=90)
            shot = browser._websocket_request(
                "Page.captureScreenshot", params={"format": "png"}, timeout=30
            )
            (target / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
        finally:
            browser.stop()
            self._wait_remaining_requests()

    def test_screenshots(self):
        self.company_ri.tax_exigibility = True  # see TestTourSettings
        self._capture(
            "settings",
            SETTINGS,
            """await type(".o_searchview_input", "TusFacturas");
            await click("button[name=action_l10n_ar_tusfacturas_test_connection]");
            await waitFor(".o_notification");""",
            self.env.user.login,
        )
        invoice = self._invoice(self.res_partner_adhoc)
        invoice.action_post()
        self.assertAuthorized(invoice)
        self._capture(
            "invoice_authorized",
            f"{INVOICES}&model=account.move&id={invoice.id}",
            """await clickText(".o_notebook_headers a", "TusFacturas");
            await waitFor("[name=l10n_ar_tusfacturas_cae]");""",
            "tf_invoicer",
        )
        draft = self._invoice(self.partner_ri)
        self._capture(
            "next_numbers",
            f"{INVOICES}&model=account.move&id={draft.id}",
            """await clickText(".o_form_statusbar button", "Next numbers");
            await waitFor(".modal .o_data_row");""",
            "tf_invoicer",
        )
        partner = self.res_partner_adhoc.copy(
            {"name": "Distribuidora Modelo", "vat": "30712345671"}
        )
        self._capture(
            "padron",
            f"/web#model=res.partner&view_type=form&id={partner.id}",
            """await click("button[name=action_l10n_ar_tusfacturas_padron]");
            await waitFor(".modal .o_data_row");""",
            "tf_invoicer",
        )

    def _warm_up(self, login):
        """The first page in a language compiles its templates: before the
        browser, which waits at most 20 s for a page."""
        self.authenticate(login, login)
        self.assertEqual(self.url_open("/web", timeout=120).status_code, 200)

    def test_lists_in_spanish(self):
        """The lists whose columns were once cut, as a Spanish user sees them."""
        self.env["res.lang"]._activate_lang("es_419")
        self.env["ir.module.module"]._load_module_terms(MODULES, ["es_419"])
        manager = self.env.ref("l10n_ar_tusfacturas.group_tusfacturas_manager")
        spanish = self._user("tf_es", lang="es_419")
        spanish.groups_id |= manager
        self._queue_some()
        self.sandbox.set_table(
            "alicuotas_iva",
            [
                {"id": code, "descripcion": name}
                for code, name in (("21", "21%"), ("10.5", "10.5%"), ("5", "5%"))
            ],
        )
        self._issue_outside_odoo(self._invoice(self.partner_cf))
        # Customers abroad, a company and a person: lines of CUIT país.
        self._export_goods()
        self.res_partner_barcelona_food.copy(
            {"name": "Jordi Puig i Vilanova", "is_company": False, "customer_rank": 1}
        )
        draft = self._invoice(self.partner_ri)
        next_numbers = self.env.ref(
            "l10n_ar_tusfacturas.action_l10n_ar_tusfacturas_next_number_move"
        ).id
        self._warm_up("tf_es")
        self._capture(
            "queue_es",
            QUEUE,
            """await waitFor(".o_group_header");
            const closed = ".o_group_header:not(.o_group_open)";
            while (document.querySelector(closed)) {
                document.querySelector(closed).click(); await sleep(800);
            }
            await waitFor(".o_data_row");""",
            "tf_es",
        )
        self._capture(
            "reference_check_es",
            REFERENCE_CHECK,
            """await click(".modal .modal-footer button[name=action_check]");
            await click(".o_searchview_facet .o_facet_remove");
            await waitFor(".o_data_row");""",
            "tf_es",
        )
        self._capture(
            "next_numbers_es",
            f"{INVOICES}&model=account.move&id={draft.id}",
            f"""await click(".o_form_statusbar button[name='{next_numbers}']");
            await waitFor(".modal .o_data_row");
            document.querySelector(".modal .o_data_row").scrollIntoView();""",
            "tf_es",
        )

    def _queue_some(self):
        """Invoices waiting in the queue, one of them refused."""
        self.company_ri.l10n_ar_tusfacturas_spacing = 60
        partner = self.res_partner_adhoc.copy(
            {"name": "Distribuidora Modelo del Litoral S.R.L."}
        )
        drafts = self.env["account.move"]
        for customer in (self.res_partner_adhoc, partner, partner):
            drafts |= self._invoice(customer)
        drafts.action_post()
        drafts[0]._l10n_ar_tusfacturas_write(
            {
                "l10n_ar_tusfacturas_state": "error",
                "l10n_ar_tusfacturas_message": (
                    "TusFacturas refused it: El campo cliente.documento_nro no es "
                    "valido para el tipo de documento indicado (CUIT). Correct the "
                    "customer's CUIT, then press Retry sending."
                ),
            }
        )

    def _issue_outside_odoo(self, draft):
        """Its number issued straight through the client (as TusFacturas'
        website would): TusFacturas is ahead for its document type."""
        payload = draft._l10n_ar_tusfacturas_prepare_payload()
        payload["comprobante"]["numero"] = 1
        self.company_ri._l10n_ar_tusfacturas_get_client(self.journal).issue(payload)
        draft.unlink()
