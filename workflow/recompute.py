"""A change of the working-day calendar (a new cuti bersama decree) moves open deadlines counted in working days."""
from __future__ import annotations

from sqlmodel import select

from db.models import Case, Deadline
from workflow.bureau import Bureau
from workflow.deadlines import due_date, rule_length
from workflow.engine import apply
from workflow.store import load_region
from workflow.procedure import DEADLINE_RULE_BY_KIND


def recompute_deadlines(bureau: Bureau, *, actor: str, record: bool = False) -> list[dict]:
    """Every open working-day deadline whose due date differs under today's calendar.

    :param record: also record each move as a ``deadline_recomputed`` event of its case.
    :returns: one row per moved deadline: ref, kind, old and new due date, and the shift in days.
    """
    kinds = [r.kind for r in DEADLINE_RULE_BY_KIND.values() if r.unit == "working_days"]
    by_kind = DEADLINE_RULE_BY_KIND
    with bureau.db.session() as session:
        region = load_region(session)
        rows = session.exec(select(Deadline, Case.ref).join(Case, Case.id == Deadline.case_id)
                            .where(Deadline.status == "open", Deadline.kind.in_(kinds))
                            .order_by(Deadline.due)).all()
    moves = []
    for deadline, ref in rows:
        rule = by_kind[deadline.kind]
        new_due = due_date(rule, deadline.starts_on, rule_length(rule, region, {}), bureau.calendar)
        if new_due != deadline.due:
            moves.append({"ref": ref, "kind": deadline.kind, "due": deadline.due.isoformat(),
                          "new_due": new_due.isoformat(), "shift_days": (new_due - deadline.due).days,
                          "shift_working_days": bureau.calendar.working_days_between(deadline.due, new_due)})
    if record:
        for move in moves:
            apply(bureau, move["ref"], "deadline_recomputed", actor=actor,
                  data={"kind": move["kind"], "due": move["new_due"], "previous_due": move["due"]}, internal=True)
    return moves
