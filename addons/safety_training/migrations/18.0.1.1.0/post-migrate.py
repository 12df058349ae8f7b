def migrate(cr, version):
    """Hazards filed by a drill get the drill as their link (safety_training now brings the
    hazard's "drill" source and its link field)."""
    cr.execute(
        """UPDATE safety_hazard
              SET drill_id = split_part(source_ref, ',', 2)::integer
            WHERE source = 'drill' AND drill_id IS NULL
              AND source_ref LIKE 'safety.drill,%'"""
    )
