"""`make screenshots`: pictures of the real UI for the README, taken by
headless Chromium against the sandbox. Not part of `make test` (tagged
``-standard``); the PNGs go to doc/screenshots/."""

import base64
from pathlib import Path

from odoo.modules.module import get_module_path
from odoo.tests import tagged
from odoo.tests.common import ChromeBrowser

from .test_tours import INVOICES, SETTINGS, TusFacturasTourCommon

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
    browser_size = "1280x1000"

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
