"""The number sent is always the one TusFacturas expects next, whatever
drafts were refused, left aside or deleted before."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import TusFacturasCommon


@tagged("post_install_l10n", "post_install", "-at_install")
class TestNumbering(TusFacturasCommon):
    def _refused_first_draft(self):
        """The journal's first draft (Odoo proposes it 00000001), refused
        before sending for a missing street and kept as a draft."""
        partner = self.res_partner_adhoc.copy({"name": "Sin Calle", "street": False})
        draft = self._invoice(partner)
        self.assertEqual(draft.name, "FA-A 00003-00000001")
        with self.assertRaisesRegex(UserError, "street"):
            draft.action_post()
        self.assertEqual((draft.state, draft.name), ("draft", "FA-A 00003-00000001"))
        return draft

    def test_refused_first_draft_blocks_nothing(self):
        draft = self._refused_first_draft()
        others = [self._invoice(self.res_partner_adhoc) for _ in range(3)]
        for move in others:
            move.action_post()
            self.assertAuthorized(move)
        self.assertEqual([m.l10n_ar_tusfacturas_number for m in others], [1, 2, 3])
        self.assertEqual([b["comprobante"]["numero"] for b in self._sent()], [1, 2, 3])
        self.assertEqual(draft.name, "/")
        # Fixed and confirmed, it takes the next number.
        draft.partner_id.street = "Calle Falsa 123"
        draft.action_post()
        self.assertAuthorized(draft)
        self.assertEqual(draft.name, "FA-A 00003-00000004")

    def test_a_starting_number_typed_on_the_first_draft_is_kept(self):
        """A point of sale with history: the user types its next number on the
        first draft; the invoice sent first takes it, whichever it is."""
        partner = self.res_partner_adhoc.copy({"name": "Sin Calle", "street": False})
        draft = self._invoice(partner)
        draft.l10n_latam_document_number = "00003-00000001"
        new = self._invoice(self.res_partner_adhoc)
        self.assertEqual(new.name, "/")
        new.action_post()
        self.assertAuthorized(new)
        self.assertEqual(new.name, "FA-A 00003-00000001")
        self.assertEqual(draft.name, "/")

    def test_deleted_first_draft(self):
        self._invoice(self.res_partner_adhoc).unlink()
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(move.l10n_ar_tusfacturas_number, 1)

    def test_other_document_types_keep_their_drafts(self):
        """Only the sequence being sent is touched: a letter B draft of the same
        journal keeps the number proposed to it."""
        b_draft = self._invoice(self.partner_cf)
        self.assertEqual(b_draft.name, "FA-B 00003-00000001")
        self._refused_first_draft()
        move = self._invoice(self.res_partner_adhoc)
        move.action_post()
        self.assertAuthorized(move)
        self.assertEqual(b_draft.name, "FA-B 00003-00000001")
