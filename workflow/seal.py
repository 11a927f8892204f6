"""The hashes of the record (see workflow/audit.py): an event's seal over its content and the previous event of its
case; the region chain's links over every event and settings change; the digests a link covers."""
from __future__ import annotations

import hashlib
import json
from datetime import timezone
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from db.models import Event


def seal(event: Event, previous: str | None) -> str:
    """The hash of ``event`` chained to the hash of the event before it (None for the first)."""
    content = {
        "case_id": event.case_id, "seq": event.seq, "name": event.name, "actor": event.actor,
        "occurred_on": event.occurred_on.isoformat(),
        "recorded_at": event.recorded_at.astimezone(timezone.utc).isoformat(),
        "from_state": event.from_state, "to_state": event.to_state, "note": event.note,
        "doc_number": event.doc_number, "data": event.data, "previous": previous,
    }
    return _digest(content)


def region_change_digest(change) -> str:
    """The hash of a change of the region's settings (db.models.RegionChange)."""
    return _digest({"actor": change.actor, "recorded_at": change.recorded_at.astimezone(timezone.utc).isoformat(),
                    "settings": change.settings, "changed": change.changed})


def case_digest(state: str, deadlines: list) -> str:
    """The hash of a case's state and deadline rows (their facts; ``next_action_on`` is the sweep's schedule)."""
    return _digest({"state": state, "deadlines": sorted(
        [d.id, d.kind, str(d.starts_on), str(d.due), d.status, d.opened_by_event_id, d.closed_by_event_id,
         str(d.closed_on) if d.closed_on else None, d.precision] for d in deadlines)})


def letter_digest(html: str, text: str, pdf: bytes | None) -> str:
    """The hash of an issued letter as kept: its HTML, its text and its PDF if one was kept."""
    return _digest({"html": html, "text": text, "pdf": hashlib.sha256(pdf).hexdigest() if pdf else None})


def link(previous: str | None, kind: str, item_id: int, digest: str, case: str | None) -> str:
    """The region chain's link for one entry (db.models.Seal), over the link before it."""
    return _digest({"previous": previous, "kind": kind, "id": item_id, "digest": digest, "case": case})


def _digest(content: dict) -> str:
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
