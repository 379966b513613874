from . import l10n_ar_tusfacturas_period_mixin
from . import account_move_reversal
from . import account_debit_note
from . import l10n_ar_tusfacturas_padron
from . import l10n_ar_tusfacturas_padron_line
from . import l10n_ar_tusfacturas_customer_account
from . import l10n_ar_tusfacturas_customer_account_line
