from . import safety_hazard_return_wizard
from . import safety_hazard_ledger_wizard
