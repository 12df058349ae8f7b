from . import safety_letter_sign_wizard
from . import safety_letter_guardian_links
from . import safety_investment_year_close
from . import safety_monthly_report_wizard
