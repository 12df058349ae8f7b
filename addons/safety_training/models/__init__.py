from . import safety_drill
from . import safety_drill_problem
