def migrate(cr, version):
    """Letters show their student's class (safety.letter.class_name, stored related): fill the
    column in one statement, before the ORM would compute it letter by letter."""
    cr.execute("ALTER TABLE safety_letter ADD COLUMN IF NOT EXISTS class_name varchar")
    cr.execute(
        """UPDATE safety_letter l
              SET class_name = s.class_name
             FROM safety_student s
            WHERE s.id = l.student_id
              AND l.class_name IS DISTINCT FROM s.class_name"""
    )
