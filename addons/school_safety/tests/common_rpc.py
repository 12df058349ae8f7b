import json

from odoo.tests import HttpCase

# What a hostile client puts in the context of its calls: every key some code of the suite (or
# of OCA's base_tier_validation, or of mail) once read to skip a check or to hide a change.
HOSTILE_CONTEXT = {
    "safety_hazard_transition": True,
    "safety_inspection_transition": True,
    "safety_drill_transition": True,
    "safety_training_transition": True,
    "safety_letter_internal": True,
    "safety_letter_signing": True,
    "safety_letter_sync": True,
    "safety_signer_ip": "6.6.6.6",
    "skip_validation_check": True,
    "skip_check_state_condition": True,
    "tracking_disable": True,
    "mail_notrack": True,
}
REFUSALS = (
    "odoo.exceptions.AccessError",
    "odoo.exceptions.UserError",
    "odoo.exceptions.ValidationError",
    "odoo.exceptions.MissingError",
)


class RpcCase(HttpCase):
    """Calls as a logged-in user makes them: JSON-RPC through /web/dataset/call_kw, with the
    context the client chooses. Test users' passwords are their logins."""

    def setUp(self):
        super().setUp()
        self._rpc_login = None

    def call_kw(self, login, model, method, args=(), kwargs=None, context=None):
        if login != self._rpc_login:
            self.authenticate(login, login)
            self._rpc_login = login
        params = {
            "model": model,
            "method": method,
            "args": list(args),
            "kwargs": dict(kwargs or {}, context=dict(context or {})),
        }
        response = self.url_open(
            f"/web/dataset/call_kw/{model}/{method}",
            data=json.dumps({"jsonrpc": "2.0", "method": "call", "id": 1, "params": params}),
            headers={"Content-Type": "application/json"},
        )
        self.assertEqual(response.status_code, 200, response.text[:500])
        return response.json()

    def assertRefused(self, login, model, method, args=(), kwargs=None, context=None):
        """The call is answered with an error (access, user, validation), not a result; by
        default the call carries the hostile context."""
        body = self.call_kw(login, model, method, args, kwargs, HOSTILE_CONTEXT if context is None else context)
        self.assertIn(
            "error", body,
            f"{login} called {model}.{method}{tuple(args)!r} and it went through: {body.get('result')!r}",
        )
        self.assertIn(body["error"]["data"]["name"], REFUSALS, body["error"]["data"].get("debug", "")[-2000:])
        self.env.invalidate_all()
        return body["error"]["data"]["message"]

    def assertAllowed(self, login, model, method, args=(), kwargs=None, context=None):
        body = self.call_kw(login, model, method, args, kwargs, context)
        self.assertNotIn("error", body, body.get("error", {}).get("data", {}).get("debug", "")[-2000:])
        self.env.invalidate_all()
        return body.get("result")  # Odoo leaves out a result that is None

    def assertUnchanged(self, records, snapshot):
        """``snapshot`` is ``records.sudo().read(fields)`` taken before the attack."""
        self.env.invalidate_all()
        fnames = [name for name in snapshot[0] if name != "id"]
        self.assertEqual(records.sudo().read(fnames), snapshot)
