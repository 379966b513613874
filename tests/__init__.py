from . import test_install
from . import test_client_from_odoo
from . import test_post
from . import test_notes
from . import test_bad_input
from . import test_faults
from . import test_settings
from . import test_spanish
