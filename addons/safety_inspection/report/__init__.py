from . import safety_hazard_ledger_xlsx
