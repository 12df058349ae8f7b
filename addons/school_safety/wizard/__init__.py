from . import safety_letter_sign_wizard
