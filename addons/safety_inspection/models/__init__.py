from . import safety_hazard
