from odoo import SUPERUSER_ID, api


def migrate(cr, version):
    """Sessions of 18.0.1.1 had a topic and a list of attendees, and employees a derived "last
    fire-safety training": each session gets the course of its topic, each attendee an
    attendance (present) and, for a done session, the certificate the session would give now,
    so that the compliance report starts from the school's real history."""
    env = api.Environment(cr, SUPERUSER_ID, {})
    env["safety.training"]._safety_migrate_topics_and_attendees()
