from odoo.exceptions import UserError
from odoo.tests import tagged

from ..models.account_move_queue import NOT_ISSUED
from ..tusfacturas import TusFacturasRejected
from .common import NUEVO
from .test_volume import LOTES, VolumeCommon

# A refused lote, in the words of the lotes page (rows counted from 0).
ROW_REFUSAL = (
    "El comprobante enviado en la fila 1 (comenzando en 0) tiene un tipo de "
    "comprobante diferente."
)


@tagged("post_install_l10n", "post_install", "-at_install")
class TestLoteAnswers(VolumeCommon):
    """Every shape and order of a lotes answer the docs allow gives each
    invoice its own CAE; an answer without a CAE is testing only on a testing
    point of sale."""

    def _records_by_reference(self):
        return {r.external_reference: r for r in self.sandbox.state.records}

    def _assert_each_has_its_own(self, moves):
        records = self._records_by_reference()
        for move in moves:
            self.assertAuthorized(move)
            record = records[move.l10n_ar_tusfacturas_external_reference]
            self.assertEqual(move.l10n_ar_tusfacturas_cae, record.cae)
            self.assertEqual(move.l10n_ar_tusfacturas_number, record.numero)

    def test_a_refused_lote_blames_the_row_it_names(self):
        """The row the refusal names is refused; the rows before it were not
        issued and go again; the later ones wait behind it."""
        moves = self._invoices(3)
        error = TusFacturasRejected([ROW_REFUSAL])
        results = moves._l10n_ar_tusfacturas_split_refusal(error)
        self.assertEqual(len(results), 2)
        self.assertIs(results[0], NOT_ISSUED)
        self.assertIs(results[1], error)

    def test_nested_success_shape_of_the_docs(self):
        self.sandbox.set_lotes_answer(shape="nested")
        moves = self._invoices(2)
        moves.action_post()
        self._run_queue()
        self.assertEqual(len(self._lotes()), 1)
        self._assert_each_has_its_own(moves)

    def test_answer_in_another_order_paired_by_reference(self):
        self.sandbox.set_lotes_answer(order="reversed")
        moves = self._invoices(3)
        moves.action_post()
        names = moves.mapped("name")
        self._run_queue()
        self._assert_each_has_its_own(moves)
        self.assertEqual(moves.mapped("name"), names, "no number swapped")

    def test_no_cae_on_a_real_point_of_sale_is_verified_not_testing(self):
        self.sandbox.add_credentials(
            "1111", "sandbox-apitoken", "testing-token", "30111111118", testing=True
        )
        self.company_ri.l10n_ar_tusfacturas_usertoken = "testing-token"
        move = self._invoices(1)
        move.action_post()
        self.assertEqual(move.state, "posted")
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertIn("not a testing one", move.l10n_ar_tusfacturas_message)
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "unknown")
        self.assertEqual(len(self._sent()), 1, "verified, never issued twice")
        self.journal.l10n_ar_tusfacturas_testing = True
        move.action_l10n_ar_tusfacturas_verify()
        self.assertEqual(move.l10n_ar_tusfacturas_state, "testing")
        self.assertEqual(len(self._sent()), 1)

    def test_rate_limited_lote_stays_queued_then_goes(self):
        """HTTP 429 (the docs' RATE LIMIT): nothing was processed, so the
        invoices wait for the next run; none is marked as refused."""
        moves = self._invoices(2)
        moves.action_post()
        self.sandbox.set_fault("http_500", endpoints=[LOTES], status=429)
        self._run_queue()
        self.assertEqual(set(self._states(moves)), {"queued"})
        self.assertIn("429", moves[0].l10n_ar_tusfacturas_message)
        self._run_queue()
        for move in moves:
            self.assertAuthorized(move)
        self.assertEqual(self._issued_count(), 2)

    def test_rate_limited_single_send_is_not_sent(self):
        self.sandbox.set_fault("http_500", endpoints=[NUEVO], status=429)
        move = self._invoices(1)
        with self.assertRaises(UserError) as caught:
            move.action_post()
        self.assertIn("was not sent", str(caught.exception))
        self.assertEqual(move.state, "draft")
        self.assertEqual(self._issued_count(), 0)
