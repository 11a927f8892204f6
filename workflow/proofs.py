"""The steps of a case the law proves by a document (workflow.documents.PROOF_OF) that have none archived: what
``case show`` and the board list as not archived."""
from __future__ import annotations

from sqlmodel import select

from db.archive import Document
from db.models import Case, Event
from workflow.documents import PROOF_OF, withdrawn
from workflow.timeline import corrected


def missing_proofs(session, case: Case, history: list[Event]) -> list[dict]:
    """The steps of ``case`` the law proves by a document that have none archived: for each event of ``history``
    (the case's record) in PROOF_OF that stands, without a document of its kind proving it (one withdrawn does not),
    ``{"event", "seq", "on", "kind"}``, in the order recorded."""
    return missing_proofs_of(session, {case.id: history})[case.id]


def missing_proofs_of(session, histories: dict[int, list[Event]]) -> dict[int, list[dict]]:
    """:func:`missing_proofs` of many cases at once (the board), by case id: one query for all their documents."""
    documents = session.exec(select(Document.id, Document.proves_event_id, Document.kind).where(
        Document.case_id.in_(list(histories)), Document.proves_event_id.is_not(None))).all() if histories else []
    missing = {}
    for case_id, history in histories.items():
        undone, taken_back = corrected(history), withdrawn(history)  # a withdrawn document proves nothing
        proven = {(event_id, kind) for document_id, event_id, kind in documents if document_id not in taken_back}
        missing[case_id] = [{"event": e.name, "seq": e.seq, "on": e.occurred_on.isoformat(), "kind": PROOF_OF[e.name]}
                            for e in sorted(history, key=lambda e: e.seq)
                            if e.name in PROOF_OF and e.seq not in undone and (e.id, PROOF_OF[e.name]) not in proven]
    return missing
