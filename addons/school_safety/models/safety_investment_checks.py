"""Checks of safety investment records made before they are inserted: PostgreSQL would
otherwise refuse a negative amount or a duplicate with its own error, before the models'
constraints could say what is wrong (their CHECK and UNIQUE constraints stay, for any other
path)."""

from odoo.exceptions import ValidationError


def refuse_negative(model, vals_list, names):
    """A clear error when ``vals_list`` gives a negative value to one of ``names``."""
    for vals in vals_list:
        for name in names:
            if (vals.get(name) or 0) < 0:
                raise ValidationError(
                    model.env._(
                        "%(field)s of %(model)s cannot be negative.",
                        field=model._fields[name]._description_string(model.env), model=model._description,
                    )
                )


def refuse_duplicates(model, vals_list, keys, message, defaults=None):
    """``message(values of keys)`` when two new records, or a new one and an existing one,
    have the same values of ``keys``."""
    defaults = defaults or {}
    seen = set()
    for vals in vals_list:
        values = tuple(vals.get(key, defaults.get(key)) for key in keys)
        if any(value in (None, False) for value in values):
            continue
        domain = [(key, "=", value) for key, value in zip(keys, values, strict=True)]
        if values in seen or model.sudo().search_count(domain, limit=1):
            raise ValidationError(message(values))
        seen.add(values)
