from . import safety_patrol
