from . import test_guard_rule
from . import test_school_security
from . import test_demo_data
from . import test_i18n
from . import test_tours
from . import test_letter_campaign
from . import test_letter_signing
from . import test_letter_portal
