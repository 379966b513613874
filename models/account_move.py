import base64
import logging
from decimal import Decimal

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import html2plaintext

from ..tusfacturas import (
    Comprobante,
    TusFacturasError,
    TusFacturasMaintenance,
    TusFacturasOutcomeUnknown,
    TusFacturasRejected,
    encode_text,
    format_amount,
    format_date,
    qr_png,
)
from ..tusfacturas import afip_tables as tables
from ..tusfacturas.validation import is_valid_cuit

_logger = logging.getLogger(__name__)

MAX_LINES = 130
CENT = Decimal("0.01")
# Moves whose comprobante may exist at TusFacturas: never back to draft.
LOCKED_STATES = ("authorized", "unknown", "sending")
FCE_REGIME = "Factura de Crédito Electrónica MiPyMEs (FCE)"
EXPORT_TYPES_BY_CONCEPT = {"1": "1", "2": "2", "3": "2", "4": "4"}


class AccountMove(models.Model):
    _inherit = "account.move"

    l10n_ar_tusfacturas_state = fields.Selection(
        [
            ("queued", "Queued"),
            ("sending", "Being sent"),
            ("authorized", "Authorized"),
            ("testing", "Testing (not valid)"),
            ("unknown", "Outcome unknown"),
            ("error", "Error"),
        ],
        string="TusFacturas status",
        copy=False,
        readonly=True,
        tracking=True,
        help="Authorized: AFIP granted a CAE. Testing: issued by TusFacturas in "
        "testing mode, without CAE. Outcome unknown: TusFacturas did not answer; "
        "press Verify before anything else. Error: rejected, see the message.",
    )
    l10n_ar_tusfacturas_message = fields.Text(
        string="TusFacturas message", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_cae = fields.Char(string="CAE", copy=False, readonly=True)
    l10n_ar_tusfacturas_cae_due_date = fields.Date(
        string="CAE due date", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_pos_number = fields.Integer(
        string="TusFacturas point of sale", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_number = fields.Integer(
        string="TusFacturas number", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_letter = fields.Char(
        string="TusFacturas letter", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_type = fields.Char(
        string="TusFacturas comprobante type", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_external_reference = fields.Char(
        string="TusFacturas external reference", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_qr_payload = fields.Char(
        string="AFIP QR", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_pdf_url = fields.Char(
        string="TusFacturas PDF URL", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_pdf_id = fields.Many2one(
        "ir.attachment", string="Official PDF", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_qr_id = fields.Many2one(
        "ir.attachment", string="AFIP QR image", copy=False, readonly=True
    )
    l10n_ar_tusfacturas_is_enabled = fields.Boolean(
        related="journal_id.l10n_ar_tusfacturas_enabled"
    )
    l10n_ar_tusfacturas_period_from = fields.Date(
        string="Associated period from",
        copy=False,
        help="For a credit or debit note without an origin invoice: the period "
        "of the comprobantes it adjusts.",
    )
    l10n_ar_tusfacturas_period_to = fields.Date(
        string="Associated period to", copy=False
    )
    l10n_ar_tusfacturas_fce_transmission = fields.Selection(
        [
            ("SCA", "SCA - Open circulation system"),
            ("ADC", "ADC - Collective deposit agent"),
        ],
        string="FCE transmission",
        default="SCA",
        help="MiPyME credit invoice: how it is transmitted (RG 4919).",
    )
    l10n_ar_tusfacturas_fce_cancellation = fields.Boolean(
        string="FCE cancellation",
        copy=False,
        help="MiPyME credit or debit note that cancels the origin comprobante "
        "(rejected by the buyer).",
    )

    # ------------------------------------------------------------------
    # CRUD and standard actions
    # ------------------------------------------------------------------

    @api.ondelete(at_uninstall=False)
    def _unlink_except_l10n_ar_tusfacturas_issued(self):
        if self.filtered(lambda m: m.l10n_ar_tusfacturas_state in LOCKED_STATES):
            raise UserError(
                self.env._(
                    "A comprobante issued through TusFacturas cannot be deleted."
                )
            )

    def button_draft(self):
        locked = self.filtered(lambda m: m.l10n_ar_tusfacturas_state in LOCKED_STATES)
        if locked:
            raise UserError(
                self.env._(
                    "These comprobantes were sent to AFIP through TusFacturas and "
                    "cannot be reset to draft: %(moves)s. Cancel them with a credit "
                    "note instead (or press Verify when their outcome is unknown).",
                    moves=", ".join(locked.mapped("display_name")),
                )
            )
        return super().button_draft()

    def _post(self, soft=True):
        to_send = self.filtered(lambda m: m._l10n_ar_tusfacturas_needs_sending())
        to_send._l10n_ar_tusfacturas_raise_if_invalid()
        to_send._l10n_ar_tusfacturas_prepare_sending()
        posted = super()._post(soft=soft)
        (posted & to_send)._l10n_ar_tusfacturas_dispatch()
        return posted

    def action_l10n_ar_tusfacturas_verify(self):
        """Resolve an unknown outcome: adopt the comprobante TusFacturas has,
        or send again with the same number when it has none (queued when the
        CUIT's spacing does not allow it yet)."""
        self._l10n_ar_tusfacturas_verify_unknown()
        return True

    def action_l10n_ar_tusfacturas_download_pdf(self):
        """Fetch the official PDF again; its link only lasts the day it was
        issued, so a fresh one is asked first."""
        for move in self.filtered(
            lambda m: m.l10n_ar_tusfacturas_state in ("authorized", "testing")
        ):
            client = move._l10n_ar_tusfacturas_client()
            try:
                move._l10n_ar_tusfacturas_refresh_pdf_url(client)
                move._l10n_ar_tusfacturas_store_pdf(client)
            except TusFacturasError as error:
                raise UserError(move._l10n_ar_tusfacturas_pdf_failure(error)) from error
            move.message_post(
                body=self.env._("The official PDF is attached."),
                attachment_ids=move.l10n_ar_tusfacturas_pdf_id.ids,
            )
        return True

    def action_l10n_ar_tusfacturas_update_rate(self):
        """Use AFIP's exchange rate of the invoice date (from TusFacturas)."""
        for move in self:
            if move.state != "draft" or not move._l10n_ar_tusfacturas_needs_sending():
                raise UserError(
                    self.env._(
                        "%(move)s: AFIP's exchange rate is only taken by a draft "
                        "customer invoice or note issued through TusFacturas.",
                        move=move.display_name,
                    )
                )
        self._l10n_ar_tusfacturas_update_rate()
        return True

    @api.model
    def _cron_l10n_ar_tusfacturas_verify(self):
        """Unknown outcomes are resolved by the queue, before anything is sent."""
        self._cron_l10n_ar_tusfacturas_send_queue()

    # ------------------------------------------------------------------
    # Sending
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_prepare_sending(self):
        """Before anything is numbered: AFIP must be working and, when the company
        asks for it, foreign-currency invoices take AFIP's rate of their date."""
        for company, moves in self.grouped("company_id").items():
            if company.l10n_ar_tusfacturas_check_service:
                company._l10n_ar_tusfacturas_check_service(moves.journal_id[:1])
        self.filtered(
            "company_id.l10n_ar_tusfacturas_auto_rate"
        )._l10n_ar_tusfacturas_update_rate()

    def _l10n_ar_tusfacturas_update_rate(self):
        """One AFIP rate per company, currency and day, saved and applied."""
        foreign = self.filtered(lambda m: m.currency_id != m.company_id.currency_id)
        for move in foreign.filtered(lambda m: not m.currency_id.l10n_ar_afip_code):
            raise UserError(
                self.env._(
                    "%(move)s: currency %(currency)s has no AFIP code, so AFIP's "
                    "exchange rate cannot be asked.",
                    move=move.display_name,
                    currency=move.currency_id.name,
                )
            )
        groups = foreign.grouped(
            lambda m: (
                m.company_id,
                m.currency_id,
                m.invoice_date or fields.Date.context_today(m),
            )
        )
        for (company, currency, day), moves in groups.items():
            rate = company._l10n_ar_tusfacturas_call(
                lambda client, c=currency, d=day: client.exchange_rate(
                    c.l10n_ar_afip_code, fecha=d
                ),
                moves.journal_id[:1],
            )
            company._l10n_ar_tusfacturas_save_rate(currency, day, rate)
            moves._compute_invoice_currency_rate()
            for move in moves:
                move.message_post(
                    body=self.env._(
                        "AFIP exchange rate of %(currency)s on %(day)s: %(rate)s "
                        "(from TusFacturas).",
                        currency=currency.name,
                        day=format_date(day),
                        rate=rate,
                    )
                )

    def _l10n_ar_tusfacturas_needs_sending(self):
        self.ensure_one()
        return (
            self.is_sale_document()
            and self.journal_id.l10n_ar_tusfacturas_enabled
            and self.l10n_latam_use_documents
            and self.l10n_ar_tusfacturas_state not in ("authorized", "testing")
        )

    def _l10n_ar_tusfacturas_client(self):
        return self.company_id._l10n_ar_tusfacturas_get_client(self.journal_id)

    def _l10n_ar_tusfacturas_get_external_reference(self):
        """Stable across attempts and rollbacks: derived from committed data."""
        self.ensure_one()
        dbuuid = self.env["ir.config_parameter"].sudo().get_param("database.uuid", "")
        return f"odoo-{dbuuid[:8]}-{self.id}"

    def _l10n_ar_tusfacturas_transmit(self):
        """Send one posted move, or adopt the comprobante TusFacturas already has.

        Asking first by external reference makes every attempt idempotent: a
        comprobante issued by an attempt whose answer (or whose database
        transaction) was lost is found and adopted, never issued twice.
        """
        self.ensure_one()
        client = self._l10n_ar_tusfacturas_client()
        payload = self._l10n_ar_tusfacturas_prepare_payload()
        reference = payload["comprobante"]["external_reference"]
        try:
            comprobante = client.find_by_external_reference(reference)
        except TusFacturasError as error:
            # Nothing was issued by this attempt: the state stays as it was.
            self._l10n_ar_tusfacturas_raise_not_sent(error)
        if not comprobante:
            try:
                comprobante = client.issue(payload)
            except TusFacturasOutcomeUnknown as error:
                self._l10n_ar_tusfacturas_set_unknown(error)
                return
            except TusFacturasError as error:
                self._l10n_ar_tusfacturas_handle_refusal(error)
                return
        self._l10n_ar_tusfacturas_apply(client, comprobante)

    def _l10n_ar_tusfacturas_handle_refusal(self, error):
        """``issue`` was refused, so no comprobante exists for this attempt."""
        is_rejection = isinstance(error, TusFacturasRejected) and not isinstance(
            error, TusFacturasMaintenance
        )
        if is_rejection and self.l10n_ar_tusfacturas_state == "unknown":
            # Already posted with its number: keep it, show why it failed.
            self.write(
                {
                    "l10n_ar_tusfacturas_state": "error",
                    "l10n_ar_tusfacturas_message": self._l10n_ar_tusfacturas_format(
                        error
                    ),
                }
            )
            return
        self._l10n_ar_tusfacturas_raise_not_sent(error)

    def _l10n_ar_tusfacturas_raise_not_sent(self, error):
        if isinstance(error, TusFacturasRejected):
            raise UserError(self._l10n_ar_tusfacturas_format(error)) from error
        raise UserError(
            self.env._(
                "%(move)s was not sent to TusFacturas: %(error)s",
                move=self.display_name,
                error=error,
            )
        ) from error

    def _l10n_ar_tusfacturas_format(self, error):
        if isinstance(error, TusFacturasMaintenance):
            header = self.env._(
                "TusFacturas is under maintenance until %(until)s; %(move)s was not "
                "sent. Try again later.",
                until=error.until_text,
                move=self.display_name,
            )
        else:
            header = self.env._(
                "TusFacturas rejected %(move)s; it was not issued:",
                move=self.display_name,
            )
        codes = getattr(error, "error_codes", []) or []
        lines = [f"- {message}" for message in error.messages]
        if codes:
            lines.append(self.env._("Codes: %(codes)s", codes=", ".join(codes)))
        return "\n".join([header, *lines])

    def _l10n_ar_tusfacturas_set_unknown(self, error):
        message = self.env._(
            "TusFacturas did not answer (%(reason)s). %(move)s stays posted with its "
            "number until its outcome is known: press Verify (it runs "
            "automatically too). It will not be issued twice.",
            reason=error,
            move=self.display_name,
        )
        self.write(
            {
                "l10n_ar_tusfacturas_state": "unknown",
                "l10n_ar_tusfacturas_message": message,
                "l10n_ar_tusfacturas_external_reference": (
                    self._l10n_ar_tusfacturas_get_external_reference()
                ),
            }
        )
        self.message_post(body=message)

    def _l10n_ar_tusfacturas_apply(self, client, comprobante: Comprobante):
        self._l10n_ar_tusfacturas_adopt_number(comprobante)
        self.write(self._l10n_ar_tusfacturas_get_result_values(comprobante))
        self._l10n_ar_tusfacturas_store_qr(comprobante)
        try:
            self._l10n_ar_tusfacturas_store_pdf(client)
            pdf_note = self.env._("The official PDF is attached.")
        except TusFacturasError as error:
            # The CAE is what matters; the PDF can be fetched again today.
            pdf_note = self._l10n_ar_tusfacturas_pdf_failure(error)
        attachments = self.l10n_ar_tusfacturas_pdf_id | self.l10n_ar_tusfacturas_qr_id
        self.message_post(
            body=self._l10n_ar_tusfacturas_success_message(comprobante, pdf_note),
            attachment_ids=attachments.ids,
        )

    def _l10n_ar_tusfacturas_get_result_values(self, comprobante):
        testing = comprobante.is_testing
        message = (
            self.env._(
                "Issued in TusFacturas' testing mode: this comprobante has no CAE."
            )
            if testing
            else False
        )
        return {
            "l10n_ar_tusfacturas_state": "testing" if testing else "authorized",
            "l10n_ar_tusfacturas_message": message,
            "l10n_ar_tusfacturas_cae": comprobante.cae or False,
            "l10n_ar_tusfacturas_cae_due_date": comprobante.cae_due_date,
            "l10n_ar_tusfacturas_pos_number": comprobante.punto_venta,
            "l10n_ar_tusfacturas_number": comprobante.numero,
            "l10n_ar_tusfacturas_letter": (
                self.l10n_latam_document_type_id.l10n_ar_letter
            ),
            "l10n_ar_tusfacturas_type": comprobante.tipo,
            "l10n_ar_tusfacturas_qr_payload": comprobante.afip_qr or False,
            "l10n_ar_tusfacturas_pdf_url": comprobante.pdf_url or False,
            "l10n_ar_tusfacturas_external_reference": (
                comprobante.external_reference
                or self._l10n_ar_tusfacturas_get_external_reference()
            ),
        }

    def _l10n_ar_tusfacturas_adopt_number(self, comprobante):
        """The Odoo number always equals TusFacturas' number."""
        parts = self._l10n_ar_tusfacturas_get_number_parts()
        if (parts["point_of_sale"], parts["invoice_number"]) == (
            comprobante.punto_venta,
            comprobante.numero,
        ):
            return
        self.name = self._get_formatted_sequence(comprobante.numero)
        self.message_post(
            body=self.env._(
                "Number aligned with the comprobante TusFacturas already had: "
                "%(name)s.",
                name=self.name,
            )
        )

    def _l10n_ar_tusfacturas_success_message(self, comprobante, pdf_note):
        if comprobante.is_testing:
            head = self.env._("Issued in TusFacturas' testing mode (no CAE).")
        else:
            head = self.env._(
                "Authorized by AFIP through TusFacturas. CAE %(cae)s, due %(due)s.",
                cae=comprobante.cae,
                due=comprobante.cae_due_date and format_date(comprobante.cae_due_date),
            )
        return f"{head} {pdf_note}"

    def _l10n_ar_tusfacturas_pdf_failure(self, error):
        return self.env._(
            "The official PDF could not be downloaded (%(error)s). Its link only "
            "lasts today: press Download official PDF.",
            error=error,
        )

    def _l10n_ar_tusfacturas_refresh_pdf_url(self, client):
        comprobante = client.get_comprobante(
            self.l10n_ar_tusfacturas_type,
            self.l10n_ar_tusfacturas_pos_number,
            self.l10n_ar_tusfacturas_number,
        )
        if comprobante and comprobante.pdf_url:
            self.l10n_ar_tusfacturas_pdf_url = comprobante.pdf_url

    def _l10n_ar_tusfacturas_store_pdf(self, client):
        content = client.download_pdf(self.l10n_ar_tusfacturas_pdf_url)
        self.l10n_ar_tusfacturas_pdf_id = self._l10n_ar_tusfacturas_attach(
            f"{self.name.replace(' ', '_')}.pdf", content, "application/pdf"
        )

    def _l10n_ar_tusfacturas_store_qr(self, comprobante):
        if not comprobante.afip_qr:
            return
        self.l10n_ar_tusfacturas_qr_id = self._l10n_ar_tusfacturas_attach(
            f"{self.name.replace(' ', '_')}_QR.png",
            qr_png(comprobante.afip_qr),
            "image/png",
        )

    def _l10n_ar_tusfacturas_attach(self, name, content, mimetype):
        return self.env["ir.attachment"].create(
            {
                "name": name,
                "raw": content,
                "mimetype": mimetype,
                "res_model": self._name,
                "res_id": self.id,
            }
        )

    def _l10n_ar_tusfacturas_qr_image_src(self):
        """Data URI of the stored QR for the printed invoice."""
        self.ensure_one()
        if not self.l10n_ar_tusfacturas_qr_id:
            return False
        data = base64.b64encode(self.l10n_ar_tusfacturas_qr_id.raw).decode()
        return f"data:image/png;base64,{data}"

    # ------------------------------------------------------------------
    # Checks made before anything is sent
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_raise_if_invalid(self):
        errors = []
        for move in self:
            errors += [
                self.env._("%(move)s: %(error)s", move=move.display_name, error=error)
                for error in move._l10n_ar_tusfacturas_get_errors()
            ]
        if errors:
            raise UserError(
                self.env._("Nothing was sent to TusFacturas. Please fix:")
                + "\n"
                + "\n".join(errors)
            )

    def _l10n_ar_tusfacturas_get_errors(self):
        self.ensure_one()
        return (
            self._l10n_ar_tusfacturas_get_document_errors()
            + self._l10n_ar_tusfacturas_get_partner_errors()
            + self._l10n_ar_tusfacturas_get_line_errors()
            + self._l10n_ar_tusfacturas_get_origin_errors()
            + self._l10n_ar_tusfacturas_get_export_errors()
        )

    def _l10n_ar_tusfacturas_get_document_errors(self):
        errors = []
        doc_type = self.l10n_latam_document_type_id
        if doc_type.code not in tables.COMPROBANTE_TYPES:
            errors.append(
                self.env._(
                    "document type %(type)s cannot be issued through TusFacturas.",
                    type=doc_type.display_name,
                )
            )
        if not self.currency_id.l10n_ar_afip_code:
            errors.append(
                self.env._(
                    "currency %(currency)s has no AFIP code.",
                    currency=self.currency_id.name,
                )
            )
        if not self.company_id.partner_id.vat or not is_valid_cuit(
            self.company_id.partner_id.vat
        ):
            errors.append(
                self.env._(
                    "company %(company)s has no valid CUIT.",
                    company=self.company_id.name,
                )
            )
        if doc_type.code in tables.FCE_CODES and not self._l10n_ar_tusfacturas_cbu():
            errors.append(
                self.env._(
                    "a MiPyME credit invoice needs the company's CBU in the field "
                    "Recipient Bank."
                )
            )
        return errors

    def _l10n_ar_tusfacturas_get_partner_errors(self):
        partner = self.commercial_partner_id
        errors = []
        id_code = partner.l10n_latam_identification_type_id.l10n_ar_afip_code
        doc_type = tables.DOCUMENT_TYPES.get(id_code)
        iva = tables.IVA_CONDITIONS.get(
            partner.l10n_ar_afip_responsibility_type_id.code
        )
        name = partner.display_name
        if not iva:
            errors.append(
                self.env._(
                    "customer %(partner)s: set a supported AFIP responsibility.",
                    partner=name,
                )
            )
        elif (
            self.l10n_latam_document_type_id.l10n_ar_letter
            not in (tables.LETTERS_BY_IVA_CONDITION[iva])
        ):
            errors.append(
                self.env._(
                    "letter %(letter)s cannot be issued to customer %(partner)s "
                    "(%(responsibility)s).",
                    letter=self.l10n_latam_document_type_id.l10n_ar_letter,
                    partner=name,
                    responsibility=partner.l10n_ar_afip_responsibility_type_id.name,
                )
            )
        if iva == "CDEX":
            return errors  # abroad: identified through the export block
        document_error = partner._l10n_ar_tusfacturas_get_document_error()
        if document_error:
            errors.append(
                self.env._(
                    "customer %(partner)s: %(error)s",
                    partner=name,
                    error=document_error,
                )
            )
        if doc_type != "OTRO":
            if not partner.street:
                errors.append(
                    self.env._(
                        "customer %(partner)s: the address (street) is missing.",
                        partner=name,
                    )
                )
            if partner.state_id.code not in tables.PROVINCES or (
                partner.country_id.code != "AR"
            ):
                errors.append(
                    self.env._(
                        "customer %(partner)s: set an Argentine province (state).",
                        partner=name,
                    )
                )
        return errors

    def _l10n_ar_tusfacturas_get_line_errors(self):
        lines = self._l10n_ar_tusfacturas_product_lines()
        errors = []
        if not lines:
            errors.append(self.env._("the invoice has no lines."))
        if len(lines) > MAX_LINES:
            errors.append(
                self.env._(
                    "%(count)s lines: TusFacturas accepts at most %(max)s.",
                    count=len(lines),
                    max=MAX_LINES,
                )
            )
        for line in lines:
            errors += [
                self.env._(
                    "line '%(line)s': %(error)s", line=line.name or "", error=error
                )
                for error in self._l10n_ar_tusfacturas_get_single_line_errors(line)
            ]
        unsupported = self.line_ids.tax_line_id.filtered(
            lambda t: (
                not t.tax_group_id.l10n_ar_vat_afip_code
                and not t.tax_group_id.l10n_ar_tribute_afip_code
            )
        )
        errors += [
            self.env._(
                "tax %(tax)s has no AFIP code: it cannot be reported.", tax=tax.name
            )
            for tax in unsupported
        ]
        perceptions = self.line_ids.tax_line_id.filtered(
            lambda t: (
                t.tax_group_id.l10n_ar_tribute_afip_code
                and t.tax_group_id.l10n_ar_tribute_afip_code != "04"
                and not t.l10n_ar_tusfacturas_regime
            )
        )
        errors += [
            self.env._(
                "tax %(tax)s: set its TusFacturas perception regime (tax form).",
                tax=tax.name,
            )
            for tax in perceptions
        ]
        return errors

    def _l10n_ar_tusfacturas_get_single_line_errors(self, line):
        errors = []
        description = encode_text(line.name or "")
        if not 4 <= len(description) <= 255:
            errors.append(self.env._("the description must have 4 to 255 characters."))
        if len(line.product_id.default_code or "") > 10:
            errors.append(
                self.env._(
                    "the product code %(code)s is longer than 10 characters.",
                    code=line.product_id.default_code,
                )
            )
        if line.quantity <= 0 or line.price_unit < 0:
            errors.append(self.env._("quantity and price must be positive."))
        if line.product_uom_id and not line.product_uom_id.l10n_ar_afip_code:
            errors.append(
                self.env._(
                    "unit of measure %(uom)s has no AFIP code.",
                    uom=line.product_uom_id.name or "-",
                )
            )
        vat_taxes = line.tax_ids.filtered("tax_group_id.l10n_ar_vat_afip_code")
        letter = self.l10n_latam_document_type_id.l10n_ar_letter
        if letter != "C" and (
            len(vat_taxes) != 1
            or vat_taxes.tax_group_id.l10n_ar_vat_afip_code not in tables.VAT_RATES
        ):
            errors.append(self.env._("it needs exactly one supported VAT tax."))
        return errors

    def _l10n_ar_tusfacturas_get_origin_errors(self):
        if (
            not self._l10n_ar_tusfacturas_is_note()
            or self._l10n_ar_tusfacturas_origin()
        ):
            return []
        if self._l10n_ar_tusfacturas_has_period():
            return []
        origin = self.reversed_entry_id or self.debit_origin_id
        if origin:
            return [
                self.env._(
                    "its origin %(origin)s was not authorized through TusFacturas: "
                    "give the associated period (from and to dates) instead.",
                    origin=origin.display_name,
                )
            ]
        return [
            self.env._(
                "a credit or debit note needs its origin invoice or the "
                "associated period (from and to dates)."
            )
        ]

    def _l10n_ar_tusfacturas_has_period(self):
        return bool(
            self.l10n_ar_tusfacturas_period_from and self.l10n_ar_tusfacturas_period_to
        )

    def _l10n_ar_tusfacturas_get_export_errors(self):
        if self.l10n_latam_document_type_id.l10n_ar_letter != "E":
            return []
        country = self.commercial_partner_id.country_id
        errors = []
        if not country.l10n_ar_afip_code:
            errors.append(
                self.env._(
                    "customer country %(country)s has no AFIP code.",
                    country=country.name or "-",
                )
            )
        if not self._l10n_ar_tusfacturas_country_cuit():
            errors.append(
                self.env._(
                    "customer country %(country)s has no AFIP CUIT (legal entity or "
                    "natural person).",
                    country=country.name or "-",
                )
            )
        if not self.invoice_incoterm_id:
            errors.append(self.env._("an export invoice needs an incoterm."))
        return errors

    # ------------------------------------------------------------------
    # Payload, built in small steps
    # ------------------------------------------------------------------

    def _l10n_ar_tusfacturas_prepare_payload(self):
        """The facturacion/nuevo body (without credentials)."""
        self.ensure_one()
        payload = {
            "cliente": self._l10n_ar_tusfacturas_get_cliente_values(),
            "comprobante": self._l10n_ar_tusfacturas_get_comprobante_values(),
        }
        self._l10n_ar_tusfacturas_check_total(payload["comprobante"])
        return payload

    def _l10n_ar_tusfacturas_product_lines(self):
        return self.invoice_line_ids.filtered(
            lambda line: line.display_type == "product"
        )

    def _l10n_ar_tusfacturas_is_note(self):
        return self.l10n_latam_document_type_id.internal_type in (
            "credit_note",
            "debit_note",
        )

    def _l10n_ar_tusfacturas_origin(self):
        """The origin comprobante to associate: only one TusFacturas authorized."""
        origin = self.reversed_entry_id or self.debit_origin_id
        return origin.filtered(lambda m: m.l10n_ar_tusfacturas_state == "authorized")

    def _l10n_ar_tusfacturas_get_number_parts(self):
        return self._l10n_ar_get_document_number_parts(
            self.l10n_latam_document_number, self.l10n_latam_document_type_id.code
        )

    def _l10n_ar_tusfacturas_get_comprobante_values(self):
        company = self.company_id
        values = {
            "fecha": format_date(self.invoice_date),
            "tipo": tables.COMPROBANTE_TYPES[self.l10n_latam_document_type_id.code],
            "operacion": "V",
            "idioma": company.l10n_ar_tusfacturas_pdf_language or "1",
            "punto_venta": self.journal_id.l10n_ar_afip_pos_number,
            "numero": self._l10n_ar_tusfacturas_get_number_parts()["invoice_number"],
            "moneda": self.currency_id.l10n_ar_afip_code,
            "cotizacion": self._l10n_ar_tusfacturas_get_rate(),
            "vencimiento": format_date(self.invoice_date_due or self.invoice_date),
            "rubro": company.l10n_ar_tusfacturas_rubro or "Ventas",
            "rubro_grupo_contable": (
                company.l10n_ar_tusfacturas_rubro_grupo_contable or "Ventas"
            ),
            "external_reference": self._l10n_ar_tusfacturas_get_external_reference(),
            "detalle": [
                self._l10n_ar_tusfacturas_get_detalle_values(line)
                for line in self._l10n_ar_tusfacturas_product_lines()
            ],
            "total": format_amount(abs(self.amount_total)),
        }
        values.update(self._l10n_ar_tusfacturas_get_period_values())
        values.update(self._l10n_ar_tusfacturas_get_tax_values())
        values.update(self._l10n_ar_tusfacturas_get_associated_values())
        values.update(self._l10n_ar_tusfacturas_get_fex_values())
        values.update(self._l10n_ar_tusfacturas_get_rg_especiales_values())
        legend = html2plaintext(self.narration or "").strip()
        if legend:
            values["leyenda_gral"] = encode_text(legend)[:500]
        return values

    def _l10n_ar_tusfacturas_get_rate(self):
        if self.currency_id == self.company_id.currency_id:
            return "1"
        rate = Decimal(str(1 / self.invoice_currency_rate))
        return str(rate.quantize(Decimal("0.001")))

    def _l10n_ar_tusfacturas_get_period_values(self):
        if self.l10n_ar_afip_concept not in ("2", "3", "4") or not (
            self.l10n_ar_afip_service_start
        ):
            return {}
        return {
            "periodo_facturado_desde": format_date(self.l10n_ar_afip_service_start),
            "periodo_facturado_hasta": format_date(self.l10n_ar_afip_service_end),
        }

    def _l10n_ar_tusfacturas_get_cliente_values(self):
        partner = self.commercial_partner_id
        iva = tables.IVA_CONDITIONS[partner.l10n_ar_afip_responsibility_type_id.code]
        doc_type, doc_number = partner._l10n_ar_tusfacturas_get_document(iva)
        values = {
            "documento_tipo": doc_type,
            "documento_nro": doc_number,
            "razon_social": encode_text(partner.name)[:255],
            "email": partner.email or "",
            "domicilio": encode_text(self._l10n_ar_tusfacturas_get_address(partner)),
            "provincia": self._l10n_ar_tusfacturas_get_province(partner, iva),
            "envia_por_mail": (
                "S"
                if self.company_id.l10n_ar_tusfacturas_send_email and partner.email
                else "N"
            ),
            "condicion_iva": iva,
            "codigo": partner.ref or f"ODOO-{partner.id}",
            "rg5329": "N",
        }
        values.update(self._l10n_ar_tusfacturas_get_payment_condition())
        return values

    @api.model
    def _l10n_ar_tusfacturas_get_address(self, partner):
        parts = [partner.street, partner.street2, partner.city, partner.zip]
        return ", ".join(p for p in parts if p) or "-"

    @api.model
    def _l10n_ar_tusfacturas_get_province(self, partner, iva):
        if iva == "CDEX":
            return tables.PROVINCE_FOREIGN
        return tables.PROVINCES.get(partner.state_id.code, "26")

    def _l10n_ar_tusfacturas_get_payment_condition(self):
        term = self.invoice_payment_term_id
        days = (
            max(term.line_ids.mapped("nb_days") or [0])
            if term
            else (self.invoice_date_due - self.invoice_date).days
            if self.invoice_date_due
            else 0
        )
        code = tables.PAYMENT_CONDITIONS_BY_DAYS.get(days)
        if code:
            return {"condicion_pago": code}
        label = term.name or self.env._("%(days)s days", days=days)
        return {
            "condicion_pago": tables.PAYMENT_CONDITION_OTHER,
            "condicion_pago_otra": encode_text(label)[:100],
        }

    def _l10n_ar_tusfacturas_get_detalle_values(self, line):
        letter = self.l10n_latam_document_type_id.l10n_ar_letter
        vat_tax = line.tax_ids.filtered("tax_group_id.l10n_ar_vat_afip_code")[:1]
        rate = tables.VAT_RATES.get(vat_tax.tax_group_id.l10n_ar_vat_afip_code, "0")
        return {
            "cantidad": format_amount(line.quantity),
            "afecta_stock": "N",
            "bonificacion_porcentaje": format_amount(line.discount),
            "producto": {
                "descripcion": encode_text(line.name)[:255],
                "unidad_bulto": "1",
                "lista_precios": self.company_id.l10n_ar_tusfacturas_price_list
                or "Odoo",
                "codigo": line.product_id.default_code or "",
                "precio_unitario_sin_iva": format_amount(
                    self._l10n_ar_tusfacturas_get_unit_price(line, letter)
                ),
                "alicuota": "0" if letter == "C" else rate,
                "unidad_medida": self._l10n_ar_tusfacturas_get_uom_code(line),
                "actualiza_precio": "N",
                "rg5329": "N",
            },
            "leyenda": "",
        }

    @api.model
    def _l10n_ar_tusfacturas_get_uom_code(self, line):
        return tables.uom_code(line.product_uom_id.l10n_ar_afip_code)

    def _l10n_ar_tusfacturas_get_unit_price(self, line, letter):
        """Price without VAT for A/B/M/E; final price for C (no VAT shown)."""
        taxes = line.tax_ids.filtered("tax_group_id.l10n_ar_vat_afip_code")
        result = taxes.compute_all(
            line.price_unit,
            currency=self.currency_id,
            quantity=1.0,
            product=line.product_id,
            partner=self.partner_id,
        )
        key = "total_included" if letter == "C" else "total_excluded"
        return result[key]

    def _l10n_ar_tusfacturas_get_tax_values(self):
        tributos, internal, internal_base = [], Decimal(0), Decimal(0)
        for tax_line in self.line_ids.filtered("tax_line_id"):
            tax = tax_line.tax_line_id
            code = tax.tax_group_id.l10n_ar_tribute_afip_code
            amount = Decimal(str(abs(tax_line.amount_currency)))
            if not code:
                continue
            if code == "04":
                internal += amount
                internal_base += Decimal(str(abs(tax_line.tax_base_amount)))
                continue
            tributos.append(
                {
                    "tipo": int(code),
                    "regimen": tax.l10n_ar_tusfacturas_regime,
                    "base_imponible": format_amount(
                        self._l10n_ar_tusfacturas_base(tax_line)
                    ),
                    "alicuota": format_amount(tax.amount),
                    "total": format_amount(amount),
                }
            )
        values = {"tributos": tributos} if tributos else {}
        if internal:
            values["impuestos_internos"] = format_amount(internal)
            values["impuestos_internos_base"] = format_amount(internal_base)
        return values

    def _l10n_ar_tusfacturas_base(self, tax_line):
        """Tax base in the invoice's currency (tax_base_amount is in the company's)."""
        base = abs(tax_line.tax_base_amount)
        if self.currency_id != self.company_id.currency_id:
            base *= self.invoice_currency_rate
        return base

    def _l10n_ar_tusfacturas_get_associated_values(self):
        if not self._l10n_ar_tusfacturas_is_note():
            return {}
        origin = self._l10n_ar_tusfacturas_origin()
        if not origin:
            return {
                "comprobantes_asociados_periodo": {
                    "fecha_desde": format_date(self.l10n_ar_tusfacturas_period_from),
                    "fecha_hasta": format_date(self.l10n_ar_tusfacturas_period_to),
                }
            }
        return {
            "comprobantes_asociados": [
                {
                    "tipo_comprobante": origin.l10n_ar_tusfacturas_type,
                    "punto_venta": origin.l10n_ar_tusfacturas_pos_number,
                    "numero": origin.l10n_ar_tusfacturas_number,
                    "comprobante_fecha": format_date(origin.invoice_date),
                    "cuit": int(origin.company_id.partner_id.ensure_vat()),
                }
            ]
        }

    def _l10n_ar_tusfacturas_country_cuit(self):
        partner = self.commercial_partner_id
        country = partner.country_id
        return tables.country_cuit(
            country.l10n_ar_natural_vat,
            country.l10n_ar_legal_entity_vat,
            partner.is_company,
        )

    def _l10n_ar_tusfacturas_get_fex_values(self):
        if self.l10n_latam_document_type_id.l10n_ar_letter != "E":
            return {}
        fex = {
            "tipo_exportacion": EXPORT_TYPES_BY_CONCEPT.get(
                self.l10n_ar_afip_concept, "4"
            ),
            "permisos_tiene": "N" if self.l10n_ar_afip_concept == "1" else "",
            "pais_comprobante_id": (
                self.commercial_partner_id.country_id.l10n_ar_afip_code
            ),
            "cliente_pais_cuit": self._l10n_ar_tusfacturas_country_cuit(),
            "incoterms_tipo_id": self.invoice_incoterm_id.code,
            "incoterms_nro": "",
        }
        return {"fex": fex}

    def _l10n_ar_tusfacturas_cbu(self):
        return (self.partner_bank_id.acc_number or "").replace(" ", "")

    def _l10n_ar_tusfacturas_get_rg_especiales_values(self):
        if self.l10n_latam_document_type_id.code not in tables.FCE_CODES:
            return {}
        if self._l10n_ar_tusfacturas_is_note():
            datos = [
                {
                    "id": 22,
                    "valor": "S" if self.l10n_ar_tusfacturas_fce_cancellation else "N",
                }
            ]
        else:
            datos = [
                {"id": 2101, "valor": self._l10n_ar_tusfacturas_cbu()},
                {"id": 27, "valor": self.l10n_ar_tusfacturas_fce_transmission or "SCA"},
            ]
        return {"rg_especiales": {"regimen": FCE_REGIME, "datos": datos}}

    def _l10n_ar_tusfacturas_check_total(self, comprobante):
        """TusFacturas does not check sums: the addon does, before sending."""
        computed = self._l10n_ar_tusfacturas_compute_payload_total(comprobante)
        declared = Decimal(comprobante["total"])
        if abs(computed - declared) > CENT:
            raise UserError(
                self.env._(
                    "%(move)s was not sent: its lines add up to %(computed)s for "
                    "TusFacturas (2-decimal prices, half-even rounding) but the "
                    "invoice total is %(total)s. Use prices with at most 2 decimals.",
                    move=self.display_name,
                    computed=computed,
                    total=declared,
                )
            )

    @api.model
    def _l10n_ar_tusfacturas_compute_payload_total(self, comprobante):
        total = Decimal(0)
        for item in comprobante["detalle"]:
            product = item["producto"]
            net = (
                Decimal(item["cantidad"])
                * Decimal(product["precio_unitario_sin_iva"])
                * (1 - Decimal(item["bonificacion_porcentaje"]) / 100)
            ).quantize(CENT, rounding="ROUND_HALF_EVEN")
            rate = max(Decimal(product["alicuota"]), Decimal(0))
            vat = (net * rate / 100).quantize(CENT, rounding="ROUND_HALF_EVEN")
            total += net + vat
        total += sum(
            (Decimal(t["total"]) for t in comprobante.get("tributos", [])), Decimal(0)
        )
        total += Decimal(comprobante.get("impuestos_internos", "0"))
        return total
