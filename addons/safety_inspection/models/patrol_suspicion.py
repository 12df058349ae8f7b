"""The suspicious-scan rules of the patrol, one pure function per ``flag_*`` column of a scan.

No ORM: each rule takes plain values (this scan, the scan of the round just before it by the
phone's time, the checkpoint's position, the thresholds) and returns None when the scan is
not suspicious, else the reason, a lazy translation the caller renders in the reader's
language (``env._(reason)``). A flagged scan is stored, counts, and waits for the officer's
review; the rules run once, when the scan arrives (safety.patrol.scan._patrol_suspicions).
"""
import math
from datetime import datetime
from typing import NamedTuple

from odoo.tools.translate import LazyTranslate

_lt = LazyTranslate(__name__, default_lang="en_US")

# the flags of a scan, in the order of its columns
FLAGS = ("geofence", "travel", "gap", "clock", "order", "timing", "position")
EARTH_RADIUS = 6371000  # metres


class Position(NamedTuple):
    latitude: float
    longitude: float


class PreviousScan(NamedTuple):
    """The counted scan of the round just before this one by the phone's time."""

    device_time: datetime
    position: Position | None
    name: str  # of its checkpoint


class Thresholds(NamedTuple):
    """The rules' system parameters (safety_inspection.patrol_*), with their defaults."""

    max_speed: float = 7.0  # m/s, patrol_max_speed
    min_gap: int = 20  # s, patrol_min_gap
    max_skew: int = 300  # s, patrol_max_clock_skew
    require_position: bool = True  # patrol_require_position


def located(latitude, longitude):
    """A checkpoint's position, None when it has none (both coordinates 0 or empty)."""
    if not (latitude or longitude):
        return None
    return Position(float(latitude), float(longitude))


def distance_m(here, there):
    """Great-circle distance in metres between two positions."""
    lat1, lat2 = math.radians(here.latitude), math.radians(there.latitude)
    dlat, dlon = lat2 - lat1, math.radians(there.longitude - here.longitude)
    a = math.sin(dlat / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin(dlon / 2) ** 2
    return 2 * EARTH_RADIUS * math.asin(math.sqrt(a))


def geofence(position, accuracy, checkpoint, radius):
    """Farther from the checkpoint than its radius, widened by the phone's accuracy up to
    the radius. Not judged without both positions."""
    if position is None or checkpoint is None:
        return None
    radius = radius or 0
    distance = distance_m(position, checkpoint)
    if distance <= radius + min(accuracy or 0, radius):
        return None
    return _lt("%(distance)d m from the checkpoint (radius %(radius)d m).", distance=distance, radius=radius)


def travel(position, device_time, previous, radius, max_speed):
    """From the previous scan's position, faster than ``max_speed`` over more than twice the
    radius (nearby checkpoints in a second are not impossible)."""
    if position is None or previous is None or previous.position is None:
        return None
    seconds = (device_time - previous.device_time).total_seconds()
    distance = distance_m(position, previous.position)
    if distance <= 2 * (radius or 0) or distance <= max_speed * max(seconds, 1):
        return None
    return _lt("%(distance)d m in %(seconds)d s since %(previous)s.",
               distance=distance, seconds=seconds, previous=previous.name)


def gap(device_time, previous, min_gap):
    """Less than ``min_gap`` seconds after the previous scan."""
    if previous is None:
        return None
    seconds = (device_time - previous.device_time).total_seconds()
    if seconds >= min_gap:
        return None
    return _lt("Only %(seconds)d s after %(previous)s.", seconds=seconds, previous=previous.name)


def clock(device_time, sent_time, now, max_skew):
    """The phone's clock off the server's by more than ``max_skew`` seconds.

    The phone sends its clock at sending time (``sent_time``), so a scan synchronised late is
    told from a clock set back; without it, the scan's own time must be close to ``now``,
    when the server received it.
    """
    reference = sent_time or device_time
    if abs((now - reference).total_seconds()) <= max_skew:
        return None
    if sent_time:
        return _lt("The phone's clock is %(seconds)d s off the server's.",
                   seconds=(reference - now).total_seconds())
    return _lt("Received %(seconds)d s after it was taken, without the phone's clock at sending.",
               seconds=(now - reference).total_seconds())


def no_position(position, required):
    """No position sent: nothing tells where the label was scanned (a photographed label
    scanned elsewhere looks the same)."""
    if position is not None or not required:
        return None
    return _lt("The phone sent no position.")


def order(skipped):
    """Earlier "In Order" stops of the route not scanned yet (their names, in route order)."""
    if not skipped:
        return None
    return _lt("Scanned before %(checkpoints)s.", checkpoints=", ".join(skipped))


def timing(device_time, actual_start, first_time, min_minutes, max_minutes):
    """Outside the stop's window in minutes from the round's start (误点): the earlier of
    its recorded start and its first counted scan, else this scan. 0 means no bound."""
    start = actual_start or device_time
    if first_time:
        start = min(start, first_time)
    minutes = (device_time - start).total_seconds() / 60
    min_minutes, max_minutes = min_minutes or 0, max_minutes or 0
    if not ((min_minutes and minutes < min_minutes) or (max_minutes and minutes > max_minutes)):
        return None
    return _lt("Scanned %(minutes)d min after the start, expected %(min)d to %(max)d min.",
               minutes=minutes, min=min_minutes, max=max_minutes)
