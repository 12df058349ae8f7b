import os

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader

SUITE = ("school_safety", "safety_inspection", "safety_training")


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every user-visible term of the suite has a Simplified Chinese translation.

    The terms are read from the installed addons the way Odoo exports them
    (code, views, fields, selections, menus, reports); each must have a non-empty
    msgstr in the addon's i18n/zh_CN.po, and the .pot template must exist.
    """

    def test_zh_cn_complete(self):
        installed = self.env["ir.module.module"].search(
            [("name", "in", SUITE), ("state", "=", "installed")]
        ).mapped("name")
        for addon in installed:
            with self.subTest(addon=addon):
                folder = os.path.join(get_module_path(addon), "i18n")
                self.assertTrue(os.path.exists(os.path.join(folder, f"{addon}.pot")),
                                f"{addon} ships no i18n/{addon}.pot")
                po = polib.pofile(os.path.join(folder, "zh_CN.po"))
                translated = {entry.msgid for entry in po if entry.msgstr.strip()}
                terms = {
                    row[4]
                    for row in TranslationModuleReader(self.env.cr, modules=[addon])
                    if row[0] == addon
                }
                missing = sorted(terms - translated)
                self.assertFalse(
                    missing,
                    f"{addon}: {len(missing)} terms without a zh_CN translation "
                    f"(run bin/i18n, then translate): {missing[:20]}",
                )
