from . import test_drill
