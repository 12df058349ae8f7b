from . import res_company
from . import hr_employee
from . import res_users
