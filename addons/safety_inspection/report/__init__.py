from . import safety_hazard_ledger_xlsx
from . import safety_patrol_report_xlsx
from . import safety_patrol_checkpoint_label
