from odoo import api, models, tools
from odoo.exceptions import AccessError, UserError

# Context keys that would switch a check off (OCA base_tier_validation) or hide a change from
# the chatter's tracking. The context of a call belongs to the client: these count only for
# the server's own steps, never in a client's call.
CLIENT_IGNORED_CONTEXT = (
    "skip_validation_check",
    "skip_check_state_condition",
    "tracking_disable",
    "mail_notrack",
)
# Chatter bookkeeping, never evidence: may change on a locked record.
BOOKKEEPING_FIELDS = frozenset({
    "message_follower_ids",
    "message_main_attachment_id",
    "activity_ids",
})


class SafetyEvidenceMixin(models.AbstractModel):
    """What is signed, accepted or closed stays so, whoever calls and however.

    Three kinds of fields:

    * fields the client writes (the rest);
    * fields given at creation only (``_safety_create_fields``: the school and the parent
      record), never moved afterwards;
    * fields only the record's own steps write: every field declared ``readonly`` (a view
      hint for Odoo, a rule here), every computed field without an inverse, and
      ``_safety_server_fields`` (the state, ...). A step checks who asks and the record's
      state, then writes through ``sudo()``: ``env.su`` is what a client can never send.

    Once ``_safety_is_locked()`` (signed, closed, done...), a record changes no more, except
    for the chatter's bookkeeping and ``_safety_locked_server_fields`` (written by server steps
    only). Once ``_safety_is_kept()`` (by default: locked), it is never deleted, by any path
    (``ondelete`` runs for the superuser too): evidence is archived or cancelled instead.

    In a client's call, the context keys of ``CLIENT_IGNORED_CONTEXT`` and the
    ``default_<field>`` keys of server fields are dropped: no context key relaxes a check.
    """

    _name = "safety.evidence.mixin"
    _description = "Safety Evidence (locked fields and records)"

    # fields a client gives at creation only
    _safety_create_fields = frozenset({"company_id"})
    # fields only server steps write, besides the readonly and computed ones
    _safety_server_fields = frozenset()
    # readonly in the model but written by the client all the same (rare: say why)
    _safety_client_fields = frozenset()
    # None, or the complete set of fields a client may write (besides creation fields)
    _safety_client_writable = None
    # fields that server steps may still write on a locked record
    _safety_locked_server_fields = frozenset()
    # the sequence that numbers the records' reference (``name``), if any
    _safety_sequence_code = None
    # the state machine: target state -> the states it is reached from
    _safety_transitions = {}
    # the reviews (tier.review) of this model are evidence too: see tier_review.py
    _safety_protect_reviews = False
    # many2many fields to ir.attachment whose files are evidence once the record is locked
    # (attachments owned by the record through res_model/res_id are, always): ir_attachment.py
    _safety_attachment_fields = ()

    @api.model
    @tools.ormcache()
    def _safety_evidence_models(self):
        """(model name, attachment fields) of every model that keeps evidence."""
        mixin = self.env.registry[self._name]
        return tuple(
            (name, tuple(model._safety_attachment_fields))
            for name, model in self.env.registry.items()
            if not model._abstract and issubclass(model, mixin)
        )

    # ------------------------------------------------------------ field classes

    @api.model
    def _safety_server_only(self):
        """Names of the fields a client never writes."""
        names = set(self._safety_server_fields)
        for name, field in self._fields.items():
            if name in self._safety_client_fields:
                continue
            if field.readonly:  # declared so, or computed without an inverse, or related
                names.add(name)
        if self._safety_client_writable is not None:
            names |= set(self._fields) - set(self._safety_client_writable) - BOOKKEEPING_FIELDS
        return names - set(self._safety_create_fields)

    def _safety_is_locked(self):
        """True when this record is evidence: it no longer changes and is never deleted."""
        self.ensure_one()
        return False

    def _safety_is_kept(self):
        """True when this record is never deleted (by default: once locked)."""
        self.ensure_one()
        return self._safety_is_locked()

    def _safety_locked_message(self):
        self.ensure_one()
        return self.env._(
            "%(record)s is part of the record: it can no longer change.",
            record=self.display_name,
        )

    def _safety_undeletable_message(self):
        self.ensure_one()
        return self.env._(
            "%(record)s is part of the record and is kept: it cannot be deleted.",
            record=self.display_name,
        )

    # ------------------------------------------------------------ helpers

    @api.model
    def _safety_client_context(self, server_fields):
        """The client's context without what would relax a check or forge a server field."""
        context = self.env.context
        drop = {key for key in CLIENT_IGNORED_CONTEXT if context.get(key)}
        drop |= {f"default_{name}" for name in server_fields if f"default_{name}" in context}
        if not drop:
            return None
        return {key: value for key, value in context.items() if key not in drop}

    @api.model
    def _safety_x2many_ids(self, value):
        """The ids an x2many value sets, when it only sets ids (else None): ``[]``,
        ``[Command.set(ids)]``, ``[Command.clear()]``."""
        if not value:
            return set()
        if isinstance(value, (list, tuple)) and len(value) == 1 and isinstance(value[0], (list, tuple)):
            command = value[0]
            if command[0] == 6:
                return set(command[2] or ())
            if command[0] == 5:
                return set()
        return None

    def _safety_changed(self, vals):
        """Names in ``vals`` whose value differs from the current one on any record of ``self``
        (a client may send back an unchanged value: that changes nothing)."""
        changed = set()
        for name, value in vals.items():
            field = self._fields.get(name)
            if field is None:
                changed.add(name)
                continue
            if field.type in ("one2many", "many2many"):
                ids = self._safety_x2many_ids(value)
                if ids is None or any(set(record[name].ids) != ids for record in self):
                    changed.add(name)
                continue
            try:
                for record in self:
                    new = field.convert_to_record(field.convert_to_cache(value, record), record)
                    if new != record[name]:
                        changed.add(name)
                        break
            except (ValueError, TypeError, AccessError):
                changed.add(name)
        return changed

    def _safety_field_labels(self, names):
        return ", ".join(
            sorted(self._fields[name]._description_string(self.env) if name in self._fields else name
                   for name in names)
        )

    def _safety_refuse_fields(self, names):
        if "state" in names:
            raise AccessError(self._safety_state_message())
        raise AccessError(
            self.env._(
                "%(fields)s of %(model)s are set by the record's own steps, not written directly.",
                fields=self._safety_field_labels(names),
                model=self._description,
            )
        )

    @api.model
    def _safety_state_message(self):
        return self.env._(
            "The status of %(model)s changes only through its steps (the buttons of its form).",
            model=self._description,
        )

    def _safety_check_client_write(self, vals):
        """Hook for the rules of one model on what a client writes (after the generic ones)."""

    @api.model
    def _safety_check_client_create(self, vals_list):
        """Hook for the rules of one model on what a client creates (after the generic ones)."""

    # ------------------------------------------------------------ CRUD

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            server = self._safety_server_only()
            context = self._safety_client_context(server)
            if context is not None:
                # the client's context without what it must not set: replaced, not extended
                self = self.with_context(context)  # noqa: PLW0642 pylint: disable=context-overridden
            given = {name for vals in vals_list for name, value in vals.items() if name in server}
            if given:
                defaults = self.default_get(list(given))

                def sets_something(name, value):
                    if name in self._fields and self._fields[name].type in ("one2many", "many2many"):
                        return self._safety_x2many_ids(value) != set()
                    return bool(value) and value != defaults.get(name)

                wrong = {
                    name for vals in vals_list for name, value in vals.items()
                    if name in given and sets_something(name, value)
                }
                if wrong:
                    self._safety_refuse_fields(wrong)
            self._safety_check_client_create(vals_list)
        if self._safety_sequence_code:
            new = self.env._("New")
            for vals in vals_list:
                if vals.get("name", new) == new:
                    vals["name"] = self.env["ir.sequence"].sudo().next_by_code(self._safety_sequence_code) or "/"
        return super().create(vals_list)

    def write(self, vals):
        locked = self.filtered(lambda record: record._safety_is_locked())
        if locked:
            allowed = BOOKKEEPING_FIELDS | (self._safety_locked_server_fields if self.env.su else set())
            if set(vals) - allowed and locked._safety_changed({k: v for k, v in vals.items() if k not in allowed}):
                raise UserError(locked[0]._safety_locked_message())
        if not self.env.su:
            server = self._safety_server_only()
            context = self._safety_client_context(server)
            if context is not None:
                # the client's context without what it must not set: replaced, not extended
                self = self.with_context(context)  # noqa: PLW0642 pylint: disable=context-overridden
            wrong = self._safety_changed({
                name: value for name, value in vals.items()
                if name in server or name in self._safety_create_fields
            })
            if wrong:
                self._safety_refuse_fields(wrong)
            self._safety_check_client_write(vals)
        return super().write(vals)

    def unlink(self):
        # before any other unlink override runs (tier.validation deletes reviews first)
        self.check_access("unlink")
        self._unlink_except_safety_evidence()
        return super().unlink()

    @api.ondelete(at_uninstall=False)
    def _unlink_except_safety_evidence(self):
        kept = self.filtered(lambda record: record._safety_is_kept())
        if kept:
            raise UserError(kept[0]._safety_undeletable_message())

    # ------------------------------------------------------------ steps

    def _safety_check_transition(self, state):
        """Refuse, with the model's message, when a record is not in a state ``state`` is
        reached from (``_safety_transitions``: no step is skipped)."""
        allowed = self._safety_transitions[state]
        wrong = self.filtered(lambda record: record.state not in allowed)
        if wrong:
            raise UserError(wrong[0]._safety_transition_message(state))

    def _safety_transition_message(self, state):
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        return self.env._(
            "%(record)s is %(current)s: it cannot go to %(target)s from there.",
            record=self.display_name,
            current=labels.get(self.state, self.state),
            target=labels.get(state, state),
        )

    def _safety_transition(self, state, values=None):
        """Move ``self`` to ``state`` as its own step: each record is in a state the step starts
        from, the caller may write these records, then the server writes the state (and
        ``values``, what the step records with it)."""
        self._safety_check_transition(state)
        self.check_access("write")
        return self.sudo().write(dict(values or {}, state=state))
