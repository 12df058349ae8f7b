from . import safety_letter_xlsx
