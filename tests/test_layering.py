"""The addons depend on each other in one direction only: school_safety at the bottom,
safety_inspection on it, safety_training on both. No addon names a model, a module or an
XML id of an addon above it (the hazard ledger knows its sources only through
``safety.hazard.source``; each source brings its own ``source`` key and link field)."""
import ast
import pathlib
import re

import pytest

ADDONS = pathlib.Path(__file__).resolve().parent.parent / "addons"
# what each addon brings that the addons below it must not name
ABOVE = {
    "school_safety": ["safety_inspection", "safety_training"],
    "safety_inspection": ["safety_training"],
}
NAMES = {
    "safety_inspection": r"safety\.(hazard|inspection|patrol)\b|safety_inspection\.",
    "safety_training": r"safety\.(drill|training)\b|safety_training\.|\bdrill_id\b",
}


def _code(path):
    """The file's code without comments and docstrings (they may explain the layering)."""
    text = path.read_text()
    if path.suffix != ".py":
        return re.sub(r"<!--.*?-->", "", text, flags=re.S)
    tree = ast.parse(text)
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant) and isinstance(body[0].value.value, str):
            body[0].value.value = ""
    return ast.unparse(tree)


def _files(addon):
    for path in sorted((ADDONS / addon).rglob("*")):
        if path.suffix in (".py", ".xml", ".js") and "tests" not in path.parts \
                and "migrations" not in path.parts:
            yield path


def test_manifests_point_down_only():
    for addon, above in ABOVE.items():
        manifest = ast.literal_eval((ADDONS / addon / "__manifest__.py").read_text())
        assert not set(manifest["depends"]) & set(above), f"{addon} depends on {above}"


@pytest.mark.parametrize("addon", sorted(ABOVE))
def test_no_addon_names_what_lives_above_it(addon):
    found = []
    for upper in ABOVE[addon]:
        pattern = re.compile(NAMES[upper])
        for path in _files(addon):
            for match in pattern.finditer(_code(path)):
                found.append(f"{path.relative_to(ADDONS)}: {match.group(0)}")
    assert not found, f"{addon} names what lives above it: {found}"
