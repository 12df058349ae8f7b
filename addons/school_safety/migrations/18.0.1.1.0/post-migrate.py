def migrate(cr, version):
    """Guardians become contacts of their student's school (they were visible to every school)."""
    cr.execute(
        """UPDATE res_partner p
              SET company_id = s.company_id
             FROM (SELECT DISTINCT ON (guardian_id) guardian_id, company_id
                     FROM safety_student ORDER BY guardian_id, id) s
            WHERE p.id = s.guardian_id
              AND p.company_id IS NULL
              AND NOT p.is_company
              AND NOT EXISTS (SELECT 1 FROM res_users u WHERE u.partner_id = p.id)"""
    )
