from . import test_inspection
from . import test_hazard_flow
from . import test_hazard_security
from . import test_hazard_overdue
from . import test_hazard_reports
from . import test_inspection_tour
