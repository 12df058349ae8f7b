"""What a guard's phone posts to the scan route, checked before anything reads the database.

Pure Python, no ORM and no request: ``parse_scan`` turns the object the phone sent as
``{"scan": {...}}`` into a ``ScanPayload`` of checked values (times in naive UTC), or raises
``PatrolScanError`` with the code the phone understands and a message translated when it is
shown (``error.translated(env)``). The route calls it before the model; the model calls it as
well when a server caller (the demo builder, a test) hands it the phone's dict, so that a scan
is checked by this one function whoever sends it. The fields are documented in
readme/USAGE.md.
"""
import re
from datetime import UTC, datetime
from typing import NamedTuple

from odoo.tools.translate import LazyGettext, LazyTranslate

_lt = LazyTranslate(__name__, default_lang="en_US")

CLIENT_ID_RE = re.compile(r"[A-Za-z0-9-]{8,64}")  # fullmatch: "$" would let a final newline in
PAYLOAD_FIELDS = {
    "round_id": (int,),
    "token": (str,),
    "client_id": (str,),
    "device_time": (str,),
    "sent_time": (str, type(None)),
    "latitude": (int, float, type(None)),
    "longitude": (int, float, type(None)),
    "accuracy": (int, float, type(None)),
    "device": (str, type(None)),
}
REQUIRED_FIELDS = ("round_id", "token", "client_id", "device_time")
MAX_TIME_LENGTH = 40
MAX_ACCURACY = 100000  # metres
MAX_DEVICE_LENGTH = 128
MAX_ID = 2**31  # PostgreSQL's integer


class PatrolScanError(Exception):
    """A refused scan: ``code`` for the phone, ``message`` for the guard (a string, or a lazy
    translation of this module rendered in the guard's language by ``translated``)."""

    def __init__(self, code, message):
        super().__init__(code, message)
        self.code = code
        self.message = message

    def translated(self, env):
        return env._(self.message) if isinstance(self.message, LazyGettext) else self.message


class ScanPayload(NamedTuple):
    """One scan as the phone sent it, checked: only ``parse_scan`` makes one."""

    round_id: int
    token: str
    client_id: str
    device_time: datetime  # naive UTC, to the second
    sent_time: datetime | None  # naive UTC, to the second
    latitude: float | None  # with longitude, or neither
    longitude: float | None
    accuracy: float | None  # metres
    device: str | None

    @property
    def has_position(self):
        return self.latitude is not None


def parse_time(value):
    """ISO 8601 with an offset (or Z) to naive UTC; None when invalid."""
    if not isinstance(value, str) or len(value) > MAX_TIME_LENGTH:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
        if parsed.tzinfo is None:
            return None
        # OverflowError: a valid date whose offset puts it out of the calendar (0001-01-01T00:00+14:00)
        return parsed.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    except (ValueError, OverflowError):
        return None


def _bad(message):
    return PatrolScanError("bad_request", message)


def parse_scan(payload):
    """The checked ``ScanPayload`` of the phone's scan object; raises ``PatrolScanError``."""
    _check_shape(payload)
    if not CLIENT_ID_RE.fullmatch(payload["client_id"]):
        raise _bad(_lt("The client id must be 8 to 64 letters, digits or dashes."))
    device_time = parse_time(payload["device_time"])
    if not device_time:
        raise _bad(_lt("The device time must be an ISO 8601 date and time with its offset."))
    sent_time = None
    if payload.get("sent_time") is not None:
        sent_time = parse_time(payload["sent_time"])
        if not sent_time:
            raise _bad(_lt("The sent time must be an ISO 8601 date and time with its offset."))
    latitude, longitude, accuracy = _position(payload)
    device = payload.get("device") or None
    if device and len(device) > MAX_DEVICE_LENGTH:
        raise _bad(_lt("The device name is too long."))
    if device and not device.isprintable():
        # a NUL cannot be stored, a lone surrogate cannot be encoded: refused, not a server error
        raise _bad(_lt("The device name must be printable text."))
    if not (0 < payload["round_id"] < MAX_ID):
        raise PatrolScanError("round_unknown", _lt("This patrol round does not exist."))
    return ScanPayload(
        round_id=payload["round_id"],
        token=payload["token"],
        client_id=payload["client_id"],
        device_time=device_time,
        sent_time=sent_time,
        latitude=latitude,
        longitude=longitude,
        accuracy=accuracy,
        device=device,
    )


def _check_shape(payload):
    """An object of known fields, the required ones given, each of its type (a boolean is
    not a number)."""
    if not isinstance(payload, dict):
        raise _bad(_lt("The scan must be a JSON object."))
    unknown = set(payload) - set(PAYLOAD_FIELDS)
    if unknown:
        # the names as sent, bounded: they go into the message shown and logged
        names = ", ".join(sorted(str(name)[:40] for name in unknown)[:10])
        raise _bad(_lt("Unknown fields: %(fields)s.", fields=names))
    for name in REQUIRED_FIELDS:
        if payload.get(name) in (None, ""):
            raise _bad(_lt("The field %(field)s is required.", field=name))
    for name, value in payload.items():
        if isinstance(value, bool) or not isinstance(value, PAYLOAD_FIELDS[name]):
            raise _bad(_lt("The field %(field)s has the wrong type.", field=name))


def _position(payload):
    """(latitude, longitude, accuracy) as floats or None, in range."""
    lat, lon, acc = payload.get("latitude"), payload.get("longitude"), payload.get("accuracy")
    if (lat is None) != (lon is None):
        raise _bad(_lt("Latitude and longitude go together."))
    # NaN fails every comparison, an infinity the bounds: both are refused here
    if lat is not None and not (-90 <= lat <= 90 and -180 <= lon <= 180):
        raise _bad(_lt("The position is out of range."))
    if acc is not None and not (0 <= acc <= MAX_ACCURACY):
        raise _bad(_lt("The accuracy is out of range."))
    return tuple(None if value is None else float(value) for value in (lat, lon, acc))


def as_scan(scan):
    """``scan`` when it is checked already, else ``parse_scan(scan)``."""
    return scan if isinstance(scan, ScanPayload) else parse_scan(scan)
