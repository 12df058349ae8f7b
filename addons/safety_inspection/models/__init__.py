from . import safety_hazard
from . import safety_inspection_template
from . import safety_inspection_template_item
from . import safety_inspection
from . import safety_inspection_line
from . import safety_hazard_extension
from . import tier_definition
