from . import test_drill
from . import test_drill_compliance
from . import test_drill_report
from . import test_training
from . import test_training_security
from . import test_demo_data
from . import test_drill_tour
from . import test_trust
