from . import safety_hazard
from . import safety_patrol_checkpoint
from . import safety_patrol_route
from . import safety_patrol_route_line
from . import safety_patrol_schedule
from . import safety_patrol_round
from . import safety_patrol_scan
