from odoo import Command, fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import config

from .common import TusFacturasCommon


class RollbackError(Exception):
    pass


@tagged("post_install_l10n", "post_install", "-at_install")
class TestFaults(TusFacturasCommon):
    """Whatever fails, a comprobante is never issued twice and a CAE never lost."""

    def test_timeout_after_issue_then_verify_adopts(self):
        self.sandbox.set_fault(
            "timeout_after_issue", endpoints=["facturacion/nuevo"], seconds=6
        )
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertFalse(move.l10n_ar_tusfacturas_cae)
        with self.assertRaises(UserError) as caught:
            move.button_draft()
        self.assertIn("reset to draft", str(caught.exception))
        move.action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1, "issued exactly once")

    def test_cron_resolves_unknown(self):
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self._lost_answer_grace_over(move)
        self.env["account.move"]._cron_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1)

    def test_unknown_and_never_issued_is_sent_again_with_same_number(self):
        self.sandbox.set_fault("drop_connection", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        name = move.name
        self._lost_answer_grace_over(move)
        move.action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(move)
        self.assertEqual(move.name, name)

    def test_http_500_is_unknown_and_not_retried(self):
        self.sandbox.set_fault("http_500", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertEqual(len(self._sent()), 1, "the client never retries nuevo")

    def test_verify_several_adopts_what_is_there_and_resends_the_rest(self):
        """Verify on two invoices: the one TusFacturas has is adopted; the
        other, which never reached it, is sent again with its number."""
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        issued = self._invoice(self.res_partner_adhoc)
        issued.action_post()
        self.sandbox.set_fault("drop_connection", endpoints=["facturacion/nuevo"])
        pending = self._invoice(self.partner_cf)  # a B: another sequence
        pending.action_post()
        self.assertEqual(pending.l10n_ar_tusfacturas_state, "unknown")
        (issued | pending).action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(issued)
        self.assertAuthorized(pending)
        self.assertEqual(len(self._sent()), 3, "only the lost one sent again")
        self.assertEqual(len(self.sandbox.state.records), 2)

    def test_verify_several_while_tusfacturas_is_down_keeps_what_it_adopted(self):
        """The second lookup fails (TusFacturas down): the first invoice's
        adoption is kept and the user is told which one was not checked."""
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        first = self._invoice(self.res_partner_adhoc)
        first.action_post()
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        second = self._invoice(self.partner_cf)  # another sequence
        second.action_post()
        # Down after the first lookup (lookups are retried: down for good).
        self.sandbox.set_fault(
            "http_500", endpoints=["facturacion/consulta_avanzada"], offset=1, times=10
        )
        action = (first | second).action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(first)
        self.assertEqual(second.l10n_ar_tusfacturas_state, "unknown")
        self.assertIn(second.name, action["params"]["message"])
        self.assertEqual(len(self.sandbox.state.records), 2, "nothing sent again")

    def test_html_page_and_invalid_json_are_unknown(self):
        for kind in ("html_error", "invalid_json"):
            with self.subTest(kind=kind):
                self.sandbox.clear_faults()
                self.sandbox.set_fault(kind, endpoints=["facturacion/nuevo"])
                move = self._invoice(self.res_partner_adhoc)
                move.action_post()
                self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
                self._lost_answer_grace_over(move)
                move.action_l10n_ar_tusfacturas_verify()
                self.assertAuthorized(move)

    def test_rollback_after_success_adopts_existing(self):
        """The answer arrived but Odoo's transaction was lost: adopt, not re-issue."""
        move = self._invoice(self.res_partner_adhoc)
        try:
            with self.env.cr.savepoint():
                move.action_post()
                self.assertEqual(move.l10n_ar_tusfacturas_state, "authorized")
                raise RollbackError
        except RollbackError:
            pass
        self.env.invalidate_all()
        self.assertEqual(move.state, "draft")
        self.assertEqual(self.sandbox.requests_to("facturacion/consulta_avanzada"), [])
        # The attempt marker, committed apart, survived: it is looked up first.
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1)
        self.assertEqual(
            len(self.sandbox.requests_to("facturacion/consulta_avanzada")), 1
        )

    def test_rejection_keeps_draft_and_shows_codes(self):
        # Another system issued number 1 on this point of sale meanwhile.
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        client.issue(self._foreign_payload())
        move = self._invoice(self.res_partner_adhoc)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("rejected", str(caught.exception))
        self.assertIn("00000002", str(caught.exception))
        self.assertEqual(move.state, "draft")
        self.assertFalse(move.l10n_ar_tusfacturas_state)
        self.assertEqual(len(self._sent()), 2)

    def _foreign_payload(self):
        return {
            "cliente": {
                "documento_tipo": "CUIT",
                "documento_nro": "30714295698",
                "razon_social": "ADHOC SA",
                "email": "",
                "domicilio": "Ovidio Lagos 41",
                "provincia": "21",
                "envia_por_mail": "N",
                "condicion_pago": "201",
                "condicion_iva": "RI",
                "codigo": "X1",
                "rg5329": "N",
            },
            "comprobante": {
                "fecha": fields.Date.today().strftime("%d/%m/%Y"),
                # services: due date and period are required (facturacion/nuevo)
                "vencimiento": fields.Date.today().strftime("%d/%m/%Y"),
                "periodo_facturado_desde": fields.Date.today().strftime("%d/%m/%Y"),
                "periodo_facturado_hasta": fields.Date.today().strftime("%d/%m/%Y"),
                "tipo": "FACTURA A",
                "operacion": "V",
                "idioma": "1",
                "punto_venta": 3,
                "numero": 1,
                "moneda": "PES",
                "cotizacion": "1",
                "rubro": "Ventas",
                "rubro_grupo_contable": "Ventas",
                "detalle": [
                    {
                        "cantidad": "1.00",
                        "afecta_stock": "N",
                        "bonificacion_porcentaje": "0.00",
                        "producto": {
                            "descripcion": "Otro sistema",
                            "unidad_bulto": "1",
                            "lista_precios": "Otro",
                            "codigo": "",
                            "precio_unitario_sin_iva": "100.00",
                            "alicuota": "21",
                            "unidad_medida": "7",
                            "actualiza_precio": "N",
                            "rg5329": "N",
                        },
                        "leyenda": "",
                    }
                ],
                "total": "121.00",
            },
        }

    def test_maintenance_is_explained(self):
        """On the comprobante, then on the lookup that a second attempt makes
        first (the first one reached TusFacturas): said, nothing issued."""
        move = self._invoice(self.res_partner_adhoc)
        for endpoint in ("facturacion/nuevo", "facturacion/consulta_avanzada"):
            self.sandbox.set_fault("maintenance", endpoints=[endpoint])
            with self.assertRaises(UserError) as caught:
                move.action_post()
            self.assertIn("maintenance", str(caught.exception))
            self.assertEqual(move.state, "draft")
        self.assertEqual(len(self._sent()), 1, "the second attempt asked first")
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(
            len(self.sandbox.requests_to("facturacion/consulta_avanzada")), 2
        )

    def test_service_unreachable_sends_nothing(self):
        self.company_ri.l10n_ar_tusfacturas_api_url = "http://127.0.0.1:9/app/api/v2"
        move = self._invoice(self.res_partner_adhoc)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("Nothing was sent", str(caught.exception))
        self.assertIn("could not be reached", str(caught.exception))
        self.assertEqual(move.state, "draft")

    def test_latency_within_timeout_is_fine(self):
        self.sandbox.set_fault("latency", endpoints=["facturacion/nuevo"], seconds=1)
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)

    def test_pdf_failure_keeps_cae(self):
        self.sandbox.set_fault("http_500", endpoints=["comprobantes/pdf"], times=None)
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertFalse(move.l10n_ar_tusfacturas_pdf_id)
        self.assertTrue(move.l10n_ar_tusfacturas_qr_id)
        self.sandbox.clear_faults()
        move.action_l10n_ar_tusfacturas_download_pdf()
        self.assertTrue(move.l10n_ar_tusfacturas_pdf_id.raw.startswith(b"%PDF-"))

    def test_pdf_without_link_is_fetched_with_a_fresh_one(self):
        """An adopted comprobante may come without a PDF link, and links expire."""
        self.sandbox.set_fault("http_500", endpoints=["comprobantes/pdf"], times=None)
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertFalse(move.l10n_ar_tusfacturas_pdf_id)
        move._l10n_ar_tusfacturas_write({"l10n_ar_tusfacturas_pdf_url": False})
        self.sandbox.clear_faults()
        move.action_l10n_ar_tusfacturas_download_pdf()
        self.assertTrue(move.l10n_ar_tusfacturas_pdf_id.raw.startswith(b"%PDF-"))
        (query,) = self.sandbox.requests_to("facturacion/consulta")
        self.assertEqual(
            int(query["comprobante"]["numero"]), move.l10n_ar_tusfacturas_number
        )
        self.assertTrue(move.l10n_ar_tusfacturas_pdf_url)

    def test_verify_during_maintenance_keeps_unknown_and_locked(self):
        """Maintenance proves nothing about the lost comprobante: stay locked."""
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.sandbox.set_fault(
            "maintenance", endpoints=["facturacion/consulta_avanzada"], times=None
        )
        with self.assertRaises(UserError) as caught:
            move.action_l10n_ar_tusfacturas_verify()
        self.assertIn("maintenance", str(caught.exception))
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        with self.assertRaises(UserError):
            move.button_draft()
        self.sandbox.clear_faults()
        move.action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1)

    def test_unknown_then_rejected_on_resend_is_error_and_unlocked(self):
        self.sandbox.set_fault("drop_connection", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        # A validation refused by ARCA (a specific code, not its generic Cod: 0).
        self.sandbox.set_fault(
            "afip_reject",
            endpoints=["facturacion/nuevo"],
            message="AFIP Factura electronica, rechazo el comprobante - ERROR: El "
            "campo FchVtoPago no puede ser anterior a la fecha del comprobante. "
            "Cod: 10036",
        )
        self._lost_answer_grace_over(move)
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "error")
        self.assertIn("rejected", move.l10n_ar_tusfacturas_message)
        move.button_draft()
        self.assertEqual(move.state, "draft")

    def test_attempt_markers_of_done_moves_are_forgotten(self):
        """Markers of moves authorized (or deleted) a month ago go; those of
        moves that may still be sent stay, as do recent ones."""
        done, pending, recent = (self._invoice(self.res_partner_adhoc) for _i in "123")
        (done | recent)._l10n_ar_tusfacturas_write(
            {"l10n_ar_tusfacturas_state": "authorized"}
        )
        gone = max((done | pending | recent).ids) + 1000
        old = fields.Datetime.subtract(fields.Datetime.now(), days=31)
        markers = self.env["l10n_ar.tusfacturas.attempt"].sudo()
        for move_id, when in [
            (done.id, old),
            (pending.id, old),
            (recent.id, fields.Datetime.now()),
            (gone, old),
        ]:
            # Written in the test's transaction: nothing is sent for them.
            self.env.cr.execute(
                "INSERT INTO l10n_ar_tusfacturas_attempt (move_id, create_date) "
                "VALUES (%s, %s)",
                [move_id, when],
            )
        markers._gc_done()
        self.env.cr.execute(
            "SELECT move_id FROM l10n_ar_tusfacturas_attempt WHERE move_id IN %s",
            [(done.id, pending.id, recent.id, gone)],
        )
        kept = {row[0] for row in self.env.cr.fetchall()}
        self.assertEqual(kept, {pending.id, recent.id})


@tagged("post_install_l10n", "post_install", "-at_install")
class TestTransientError(TusFacturasCommon):
    """One HTTP 500 (nothing processed) on a numbered point of sale does not
    hold it: the number travels with the request, so a resend cannot make a
    second comprobante."""

    def test_verify_resends_at_once(self):
        self.sandbox.set_fault("http_500", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertTrue(move.action_l10n_ar_tusfacturas_verify())  # no warning
        self.assertAuthorized(move)
        self.assertEqual(len(self.sandbox.state.records), 1)

    def test_later_invoices_go_out_at_the_next_run(self):
        self.sandbox.set_fault("http_500", endpoints=["facturacion/nuevo"])
        first = self._invoice(self.res_partner_adhoc)
        first.action_post()
        later = self._invoice(self.res_partner_adhoc) + self._invoice(
            self.res_partner_adhoc
        )
        for move in later:
            move.action_post()
        self.assertEqual(set(later.mapped("l10n_ar_tusfacturas_state")), {"queued"})
        self.assertTrue(self._cron_triggers("ir_cron_send_queue"))
        self._run_queue()
        for move in first + later:
            self.assertAuthorized(move)
        numbers = sorted(r.numero for r in self.sandbox.state.records)
        self.assertEqual(numbers, [1, 2, 3], "each issued once, no gap")

    def test_resend_refused_for_its_number_adopts_the_first(self):
        """The lost request was issued after all (processed in background):
        the resend is refused for its number and the first is adopted."""
        self.sandbox.set_fault(
            "background_524", endpoints=["facturacion/nuevo"], seconds=1
        )
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        # The lookup before the resend misses it: the resend arrives (slowly)
        # after TusFacturas issued the first in background, and is refused
        # for its number; a second lookup adopts the first.
        self.sandbox.set_fault("latency", endpoints=["facturacion/nuevo"], seconds=2)
        move.action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(move)
        self.assertEqual(len(self.sandbox.state.records), 1)
        self.assertEqual(len(self._sent()), 2)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestExternalReference(TusFacturasCommon):
    def test_stored_before_the_first_request_and_read_from_the_move(self):
        """A restored copy of the database (another uuid) still finds what
        it sent: the reference is the one stored on the move."""
        self.sandbox.set_fault("drop_after_issue", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        sent = self._sent()[0]["comprobante"]["external_reference"]
        self.assertEqual(move.l10n_ar_tusfacturas_external_reference, sent)
        self.env["ir.config_parameter"].sudo().set_param(
            "database.uuid", "ffffffff-restored-copy"
        )
        move.action_l10n_ar_tusfacturas_verify()
        self.assertAuthorized(move)
        self.assertEqual(len(self._sent()), 1, "found by its stored reference")


@tagged("post_install_l10n", "post_install", "-at_install")
class TestCronIsolation(TusFacturasCommon):
    def test_one_company_failing_stops_no_other(self):
        """The monotributo company's credentials are removed while it has
        invoices queued: the RI company's queue is still sent, the cron does
        not fail, and the other invoices say why they wait."""
        journal = self._monotributo_journal("2222", "mono-queue")
        mono = journal.company_id
        self.env.user.company_ids |= mono
        mono_moves = self.env["account.move"]
        for _index in range(2):
            mono_moves |= (
                self.env["account.move"]
                .with_company(mono)
                .create(
                    {
                        "move_type": "out_invoice",
                        "partner_id": self.partner_cf.id,
                        "journal_id": journal.id,
                        "company_id": mono.id,
                        "invoice_date": fields.Date.today(),
                        "invoice_line_ids": [
                            Command.create(
                                {
                                    "name": "Servicio de diseno",
                                    "price_unit": 150.0,
                                    "quantity": 1,
                                    "tax_ids": [Command.clear()],
                                }
                            )
                        ],
                    }
                )
            )
        mono_moves.action_post()  # together: queued
        ri_moves = self._invoice(self.res_partner_adhoc) + self._invoice(
            self.res_partner_adhoc
        )
        ri_moves.action_post()
        self.assertEqual(
            set((mono_moves | ri_moves).mapped("l10n_ar_tusfacturas_state")),
            {"queued"},
        )
        mono.l10n_ar_tusfacturas_apikey = False
        logger = "odoo.addons.l10n_ar_tusfacturas.models.account_move_queue"
        with self.assertLogs(logger, "WARNING") as logs:
            self._run_queue()
        self.assertIn("not processed", logs.output[0])
        for move in ri_moves:
            self.assertAuthorized(move)
        for move in mono_moves:
            self.assertEqual(move.l10n_ar_tusfacturas_state, "queued")
            self.assertIn("not configured", move.l10n_ar_tusfacturas_message)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestWorkerLimit(TusFacturasCommon):
    def test_issuing_timeout_ends_before_the_worker_limit(self):
        """Odoo kills a worker after limit_time_real (120 s by default, the
        company's default timeout too): the request must end first, so that
        the posting records Outcome unknown instead of nothing."""
        self.company_ri.l10n_ar_tusfacturas_timeout = 120
        limit = config["limit_time_real"]
        self.addCleanup(config.__setitem__, "limit_time_real", limit)
        config["limit_time_real"] = 120
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        self.assertEqual(client.read_timeout, 100)
        config["limit_time_real"] = 0  # no limit (threaded server)
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        self.assertEqual(client.read_timeout, 120)
        self.company_ri.l10n_ar_tusfacturas_timeout = 60
        config["limit_time_real"] = 120
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        self.assertEqual(client.read_timeout, 60)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestDraftMaybeIssued(TusFacturasCommon):
    """A confirmation that reached TusFacturas and was then undone in Odoo
    (its transaction rolled back) leaves a draft TusFacturas may have issued."""

    def _undone_confirmation(self, fault=None):
        move = self._invoice(self.res_partner_adhoc)
        if fault:
            self.sandbox.set_fault(fault, endpoints=["facturacion/nuevo"])
        try:
            with self.env.cr.savepoint():
                move.action_post()
                raise RollbackError
        except RollbackError:
            pass
        self.env.invalidate_all()
        self.assertEqual(move.state, "draft")
        return move

    def test_issued_draft_is_neither_changed_nor_deleted(self):
        move = self._undone_confirmation()
        self.assertEqual(len(self.sandbox.state.records), 1)
        with self.assertRaisesRegex(UserError, "TusFacturas has issued"):
            move.partner_id = self.partner_ri
        with self.assertRaisesRegex(UserError, "TusFacturas has issued"):
            move.unlink()
        move.action_post()  # unchanged: adopted, not issued again
        self.assertAuthorized(move)
        self.assertEqual(len(self.sandbox.state.records), 1)

    def test_draft_tusfacturas_does_not_have_is_free_again(self):
        move = self._undone_confirmation("drop_connection")
        self.assertEqual(self.sandbox.state.records, [])
        move.partner_id = self.partner_ri  # looked up: absent, marker gone
        lookups = self._lookups()
        move.partner_id = self.res_partner_adhoc
        self.assertEqual(self._lookups(), lookups, "asked once")
        move.unlink()


@tagged("post_install_l10n", "post_install", "-at_install")
class TestSeveralUnderOneReference(TusFacturasCommon):
    def test_held_for_a_person_never_reduced_to_one(self):
        self.sandbox.set_fault("drop_connection", endpoints=["facturacion/nuevo"])
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        payload = move._l10n_ar_tusfacturas_prepare_payload()
        client = self.company_ri._l10n_ar_tusfacturas_get_client(self.journal)
        for numero in (1, 2):  # as another system could, under one reference
            payload["comprobante"]["numero"] = numero
            client.issue(payload)
        with self.assertRaises(UserError) as caught:
            move.action_l10n_ar_tusfacturas_verify()
        self.assertIn("a person must decide", str(caught.exception))
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertFalse(move.l10n_ar_tusfacturas_cae)
