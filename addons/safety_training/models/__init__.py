from . import safety_drill
from . import safety_hazard
from . import safety_drill_problem
from . import safety_drill_requirement
from . import safety_drill_compliance
from . import safety_training
from . import hr_employee_base
from . import safety_demo_builder
