from . import test_patrol
from . import test_patrol_rounds
from . import test_patrol_security
from . import test_patrol_http
from . import test_patrol_labels
