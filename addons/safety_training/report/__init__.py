from . import safety_training_records_xlsx
from . import safety_drill_ledger_xlsx
