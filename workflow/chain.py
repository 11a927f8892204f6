"""The region's one chain (db.models.Seal): every write appends the events and settings changes it recorded, in
order, each link hashing the one before. ``kerjasama audit anchor`` prints the head, to be kept outside the database
(by the Inspektorat, on a letter, in a report): ``kerjasama audit verify --anchor`` then proves that nothing up to
it was rewritten, even by someone who recomputed every hash.
"""
from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass

from sqlalchemy import bindparam, event as sa_event, insert, text
from sqlmodel import Session, select

from db.models import Case, Deadline, Event, RegionChange, Seal
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.seal import case_digest, link

ANCHOR = re.compile(r"^(\d+):([0-9a-f]{16,64})$")
# Built once, as in workflow/store.py: building a statement costs more than running it, and every write runs these.
_HEAD = select(Seal.position, Seal.link).order_by(Seal.position.desc()).limit(1)
_STATE = select(Case.state).where(Case.id == bindparam("case_id"))
_DIGESTED = ("id", "kind", "starts_on", "due", "status", "opened_by_event_id", "closed_by_event_id", "closed_on",
             "precision")
_DEADLINES = select(*(getattr(Deadline, c) for c in _DIGESTED)).where(Deadline.case_id == bindparam("case_id"))
ANCHOR_HEX = 32  # 128 bits of the link: short enough to copy by hand, far too many to forge
_CHAIN_LOCK = 0x4B53_4348  # "KSCH": one writer at a time appends to the chain on PostgreSQL


@dataclass(frozen=True)
class Anchor:
    position: int
    link: str  # the head's link, or the start of it an auditor kept

    def __str__(self) -> str:
        return f"{self.position}:{self.link[:ANCHOR_HEX]}"


def parse_anchor(value: str) -> Anchor:
    """An anchor as printed, ``1234:9f2c...``; raises :class:`InvalidInput` naming the form."""
    found = ANCHOR.match(value.strip().lower())
    if not found:
        raise InvalidInput(_("{value} is not an anchor; an anchor is the count and at least 16 hex digits of the "
                             "head, e.g. 1234:9f2c4e1ab07d3c55, as kerjasama audit anchor prints it.").format(
            value=value))
    return Anchor(int(found[1]), found[2])


def head(session) -> Anchor | None:
    """The newest link of the chain, or None before anything was recorded."""
    last = session.exec(_HEAD).first()
    return Anchor(last.position, last.link) if last else None


@contextmanager
def sealing(session):
    """Collect the events and settings changes the block adds to ``session``; the block calls what it is given to
    chain them, just before it commits."""
    added: list = []
    session.info["sealing"] = added
    try:
        yield lambda: extend(session, added)
    finally:
        session.info.pop("sealing", None)


@sa_event.listens_for(Session, "before_flush")
def _collect(session, _context, _instances):
    """Every flush of a session inside :func:`sealing` notes the events and settings changes it writes. One
    listener for all sessions: adding and removing one per transaction costs more than the write it watches."""
    added = session.info.get("sealing")
    if added is not None:
        added.extend(o for o in session.new if isinstance(o, (Event, RegionChange)))


def extend(session, added: list) -> None:
    """Append ``added`` (rows of this transaction) to the chain: settings changes first, then events by id; the
    newest event of each case also seals the case's state and deadline rows as this write leaves them."""
    session.flush()  # ids and, on SQLite, the write lock: the head read below is the one this write follows
    items = sorted({id(o): o for o in added}.values(), key=lambda o: (isinstance(o, Event), o.id))
    if not items:
        return
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _CHAIN_LOCK})
    last = head(session)
    position, previous = (last.position, last.link) if last else (0, None)
    newest = {o.case_id: o for o in items if isinstance(o, Event)}
    seals = []
    for item in items:
        position += 1
        is_event = isinstance(item, Event)
        case = case_state_digest(session, item.case_id) if is_event and newest[item.case_id] is item else None
        previous = link(previous, "event" if is_event else "region", item.id, item.hash, case)
        seals.append({"position": position, "event_id": item.id if is_event else None,
                      "region_change_id": None if is_event else item.id, "digest": item.hash, "case_digest": case,
                      "link": previous})
    # A plain INSERT: the seals are never read back in this transaction, so the ORM has nothing to track.
    session.execute(insert(Seal), seals)


def case_state_digest(session, case_id: int) -> str:
    """The digest of the case's state and deadline rows as the database holds them now."""
    state = session.exec(_STATE, params={"case_id": case_id}).one()
    return case_digest(state, list(session.exec(_DEADLINES, params={"case_id": case_id})))


def current_anchor(bureau) -> dict:
    """The chain's head as an anchor, with the region and the moment it was taken."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from workflow.store import load_region

    with bureau.db.session() as session:
        region = load_region(session)
        last = head(session)
    moment = datetime.now(ZoneInfo(region.timezone))  # the officer's and the Inspektorat's time, not UTC
    return {"region": region.name, "at": moment.isoformat(timespec="seconds"), "length": last.position,
            "anchor": str(last)}  # never empty: the region's first settings are its first entry


def chain_existing(session, actor: str) -> None:
    """Start the chain of a record that has none (restored from an export made before it): the settings as found,
    then every event in the order recorded."""
    from db.models import Region
    from workflow.seal import region_change_digest

    change = RegionChange(actor=actor, settings=session.get(Region, 1).settings(), changed={})
    change.hash = region_change_digest(change)
    session.add(change)
    extend(session, [change] + list(session.exec(select(Event).order_by(Event.id))))
