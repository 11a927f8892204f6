"""The seal of an event: a hash over its content and the previous event's seal (see workflow/audit.py)."""
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
    canonical = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
