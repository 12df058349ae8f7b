from odoo import http
from odoo.exceptions import UserError
from odoo.http import request


class SafetyLetterPortal(http.Controller):
    """Signing by people without a backend account, and public verification.

    Every wrong, expired or foreign token gives the same plain not-found page and writes
    nothing: the page must not tell whether a letter exists.
    """

    def _safety_letter_for_token(self, letter_id, access_token):
        letter = request.env["safety.letter"].sudo().browse(letter_id).exists()
        if not letter:
            return None, None
        side = letter._safety_check_token(access_token)
        return (letter, side) if side else (None, None)

    def _safety_page_context(self, letter, side=None):
        """Pages speak the signer's language, else the letter's, else the school's, and show
        times in the school's time zone (not the browser's language, not UTC)."""
        letter = letter.sudo()
        installed = {code for code, _name in request.env["res.lang"].get_installed()}
        if side == "b":
            partner = letter.party_b_partner_id or letter.party_b_employee_id.work_contact_id
        elif side == "a":
            partner = letter.party_a_employee_id.work_contact_id
        else:
            partner = request.env["res.partner"]
        lang = next(
            (code for code in (partner.lang, letter.campaign_id.lang, letter.company_id._safety_lang())
             if code in installed),
            request.env.lang,
        )
        tz = letter.company_id._safety_tz()
        request.update_context(lang=lang, tz=tz)
        return letter.with_context(lang=lang, tz=tz), lang

    @http.route("/my/safety/letters/<int:letter_id>", type="http", auth="public", website=False)
    def safety_letter_page(self, letter_id, access_token=None, **kw):
        letter, side = self._safety_letter_for_token(letter_id, access_token)
        if not letter:
            raise request.not_found()
        letter, lang = self._safety_page_context(letter, side)
        return request.render(
            "school_safety.safety_letter_portal_page",
            {
                "html_lang": lang.replace("_", "-"),
                "letter": letter,
                "side": side,
                "access_token": access_token,
                "signer_name": letter.party_b_name if side == "b" else letter.party_a_name,
                "can_sign": letter.state == "issued" and not letter[f"party_{side}_signed_on"],
                "message": kw.get("message"),
            },
        )

    @http.route(
        "/my/safety/letters/<int:letter_id>/sign", type="json", auth="public", methods=["POST"]
    )
    def safety_letter_sign(self, letter_id, access_token=None, name=None, signature=None):
        access_token = access_token or request.httprequest.args.get("access_token")
        letter, side = self._safety_letter_for_token(letter_id, access_token)
        if not letter:
            return {"error": request.env._("This link is not valid.")}
        letter, _lang = self._safety_page_context(letter, side)
        other = letter[f"party_{'a' if side == 'b' else 'b'}_employee_id"].user_id
        if other and request.env.user == other:
            # the other party handed the link out: they cannot sign in the place of its owner
            return {"error": request.env._("This link is for the other party: they sign it themselves.")}
        try:
            letter._safety_sign(side, signature, name, request.httprequest.remote_addr)
        except UserError as error:
            request.env.cr.rollback()
            return {"error": str(error)}
        return {
            "force_refresh": True,
            "redirect_url": f"{letter.access_url}?access_token={access_token}&message=sign_ok",
        }

    @http.route("/safety/letter/verify/<string:code>", type="http", auth="public", website=False)
    def safety_letter_verify(self, code, **kw):
        letter = request.env["safety.letter"].sudo().search(
            [("verification_uuid", "=", code)], limit=1
        ) if len(code) == 36 else None
        if not letter or not letter._safety_verify():
            raise request.not_found()
        letter, lang = self._safety_page_context(letter)
        return request.render(
            "school_safety.safety_letter_verify_page",
            {"html_lang": lang.replace("_", "-"), "signed_date": letter.signed_date,
             "signed_hash": letter.signed_hash},
        )
