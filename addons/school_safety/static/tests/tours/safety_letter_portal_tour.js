/** @odoo-module **/

import { registry } from "@web/core/registry";

// A guardian opens the link from the school on a phone and signs the letter.
registry.category("web_tour.tours").add("safety_letter_portal_sign", {
    steps: () => [
        {
            content: "The letter text is shown",
            trigger: ".o_safety_letter_content h2",
        },
        {
            content: "Open the signing form",
            trigger: ".o_safety_letter_sign_open",
            run: "click",
        },
        {
            content: "Let the name write the signature",
            trigger: ".modal .o_web_sign_auto_button",
            run: "click",
        },
        {
            content: "Sign",
            trigger: ".modal .o_portal_sign_submit:enabled",
            run: "click",
        },
        {
            content: "The signature is recorded",
            trigger: ".o_safety_signed_b",
        },
    ],
});
