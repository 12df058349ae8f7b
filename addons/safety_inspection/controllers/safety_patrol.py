import logging

from odoo import http
from odoo.http import request

_logger = logging.getLogger(__name__)

MAX_PAYLOAD = 64 * 1024


class SafetyPatrolController(http.Controller):
    """The one route a guard's phone talks to; documented in readme/PATROL.md."""

    @http.route(
        "/safety_inspection/patrol/scan", type="json", auth="user", methods=["POST"],
    )
    def patrol_scan(self, **params):
        env = request.env
        remote_addr = request.httprequest.remote_addr
        if (request.httprequest.content_length or 0) > MAX_PAYLOAD:
            _logger.warning("Patrol scan rejected: code=payload_too_large user=%s ip=%s size=%s",
                            env.uid, remote_addr, request.httprequest.content_length)
            return {"ok": False, "error": "payload_too_large", "message": env._(
                "The scan is larger than %(size)s KB.", size=MAX_PAYLOAD // 1024)}
        if set(params) != {"scan"}:
            _logger.warning("Patrol scan rejected: code=bad_request user=%s ip=%s params=%s",
                            env.uid, remote_addr, sorted(params)[:10])
            return {"ok": False, "error": "bad_request", "message": env._(
                "Send exactly one parameter, 'scan', holding the scan object.")}
        return env["safety.patrol.scan"]._patrol_receive(params["scan"], remote_addr=remote_addr)
