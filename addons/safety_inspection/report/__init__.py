from . import safety_patrol_report_xlsx
