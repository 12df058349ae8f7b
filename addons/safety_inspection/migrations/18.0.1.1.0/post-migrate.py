def migrate(cr, version):
    """Hazards reported on a patrol round get the round as their link (the ledger no longer
    reads its sources' records from its "Found By Record" reference)."""
    cr.execute(
        """UPDATE safety_hazard
              SET patrol_round_id = split_part(source_ref, ',', 2)::integer
            WHERE source = 'patrol' AND patrol_round_id IS NULL
              AND source_ref LIKE 'safety.patrol.round,%'"""
    )
