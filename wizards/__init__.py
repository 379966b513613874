from . import l10n_ar_tusfacturas_period_mixin
from . import account_move_reversal
from . import account_debit_note
from . import l10n_ar_tusfacturas_next_number
from . import l10n_ar_tusfacturas_next_number_line
