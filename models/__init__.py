from . import res_company
from . import res_config_settings
from . import account_journal
from . import account_move
from . import account_move_queue
from . import l10n_ar_tusfacturas_send_slot
from . import account_tax
from . import res_partner
