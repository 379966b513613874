from . import l10n_ar_tusfacturas_period_mixin
from . import account_move_reversal
from . import account_debit_note
from . import l10n_ar_tusfacturas_reference_check
from . import l10n_ar_tusfacturas_reference_check_line
