from . import safety_letter_portal
