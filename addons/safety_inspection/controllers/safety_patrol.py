import json
import logging

from odoo import http
from odoo.http import request

from .patrol_payload import PatrolScanError, parse_scan

_logger = logging.getLogger(__name__)

MAX_PAYLOAD = 64 * 1024
_BODY_CACHE = "_safety_patrol_scan_body"


class SafetyPatrolController(http.Controller):
    """The one route a guard's phone talks to; documented in readme/USAGE.md.

    A plain ``http`` route that reads and parses the body itself, so that every malformed
    request (wrong content type, no or too large length, invalid JSON, wrong shape) gets one of
    our error codes and a log line instead of the JSON-RPC layer's generic 400; the scan object
    itself is checked by ``patrol_payload.parse_scan`` before the model sees it.  ``csrf=False``
    is safe because only ``Content-Type: application/json`` is accepted: a cross-site page can
    only send that type after a CORS preflight, which Odoo never grants.  ``auth="public"`` so
    that a request without a valid session gets a JSON 401 and a log line (the phone keeps the
    scan and asks the guard to log in) rather than a redirect to the login page.
    """

    def _patrol_reject(self, status, code, message, **details):
        env = request.env
        extra = "".join(f" {key}={value}" for key, value in details.items())
        user = "anonymous" if env.user._is_public() else env.uid
        _logger.warning("Patrol scan rejected: code=%s user=%s ip=%s%s",
                        code, user, request.httprequest.remote_addr, extra)
        return request.make_json_response(
            {"ok": False, "error": code, "message": message}, status=status)

    def _patrol_body(self):
        """Read at most MAX_PAYLOAD + 1 bytes, once: kept on the request for Odoo's retries.

        Werkzeug bounds the stream by Content-Length, except for a chunked body
        (``wsgi.input_terminated``) which it returns as is: the explicit limit covers both.
        """
        body = getattr(request, _BODY_CACHE, None)
        if body is None:
            httprequest = request.httprequest
            wrapped = getattr(httprequest, "_HTTPRequest__wrapped", httprequest)  # werkzeug's
            body = wrapped.stream.read(MAX_PAYLOAD + 1)
            setattr(request, _BODY_CACHE, body)
        return body

    @http.route(
        "/safety_inspection/patrol/scan", type="http", auth="public", methods=["POST"], csrf=False,
    )
    def patrol_scan(self, **query):
        env = request.env
        httprequest = request.httprequest
        if env.user._is_public():  # no session, or an expired one: answered, logged, no redirect
            return self._patrol_reject(401, "not_logged_in", env._(
                "Your session has expired: log in again."))
        if httprequest.mimetype != "application/json":
            return self._patrol_reject(415, "bad_content_type", env._(
                "Send the scan as JSON (Content-Type: application/json)."),
                content_type=(httprequest.content_type or "-")[:60])
        length = httprequest.content_length
        if length is None:
            return self._patrol_reject(411, "length_required", env._(
                "The request must state its length (Content-Length)."))
        if length > MAX_PAYLOAD:
            return self._patrol_reject(413, "payload_too_large", env._(
                "The scan is larger than %(size)s KB.", size=MAX_PAYLOAD // 1024), size=length)
        if query:
            return self._patrol_reject(400, "bad_request", env._(
                "Send the scan in the request body, not in the address."),
                params=sorted(query)[:10])
        raw = self._patrol_body()
        if len(raw) > MAX_PAYLOAD:  # a body longer than it announced
            return self._patrol_reject(413, "payload_too_large", env._(
                "The scan is larger than %(size)s KB.", size=MAX_PAYLOAD // 1024), size=len(raw))
        try:
            body = json.loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError):
            return self._patrol_reject(400, "malformed_json", env._(
                "The request body is not valid JSON."), size=len(raw))
        if not isinstance(body, dict) or set(body) != {"scan"} or not isinstance(body["scan"], dict):
            return self._patrol_reject(400, "bad_request", env._(
                "Send exactly one object, {\"scan\": {...}}, holding the scan."),
                keys=sorted(body)[:10] if isinstance(body, dict) else type(body).__name__)
        try:
            scan = parse_scan(body["scan"])
        except PatrolScanError as error:
            # a readable request with a wrong scan: answered 200, as the model's refusals are
            # (the phone shows the message and drops the scan, it would never get better)
            sent = body["scan"]
            return self._patrol_reject(200, error.code, error.translated(env),
                                       round=f"{sent.get('round_id')!r:.80}",
                                       client_id=f"{sent.get('client_id')!r:.80}")
        result = env["safety.patrol.scan"]._patrol_receive(scan, remote_addr=httprequest.remote_addr)
        return request.make_json_response(result)
