from . import safety_letter_guardian_slips
from . import safety_letter_xlsx
from . import safety_investment_execution_xlsx
from . import safety_monthly_report_xlsx
