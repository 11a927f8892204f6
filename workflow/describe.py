"""The procedure table as officers and diagrams read it (``kerjasama procedure``)."""
from __future__ import annotations

from workflow.i18n import _, basis
from workflow.procedure import (CASE_OPENED, CORRECTED, DEADLINE_RULE_BY_KIND, EVENTS, IMPORTED, RETURN, STAGES,
                                STATES, Event)


def procedure_rows() -> dict:
    """States, events and deadline rules with their legal basis, JSON-ready."""
    def event_row(event: Event) -> dict:
        dest = {None: _("(stays)"), RETURN: _("(returns to the previous state)")}.get(event.dest, event.dest)
        return {"event": event.name, "from": list(event.sources), "to": dest, "label": _(event.label),
                "guards": list(event.guards), "needs_note": event.needs_note,
                "needs_doc_number": event.needs_doc_number, "data": [f.name for f in event.data],
                "timer": event.timer, "basis": basis(event.basis)}

    return {
        "stages": [{"stage": s.name, "label": _(s.label), "basis": basis(s.basis),
                    "states": [st.name for st in STATES if st.stage == s.name]} for s in STAGES],
        "states": [{"state": s.name, "stage": s.stage if s.stage != RETURN else None, "label": _(s.label),
                    "terminal": s.terminal, "basis": basis(s.basis)} for s in STATES],
        "events": [event_row(CASE_OPENED), event_row(IMPORTED), event_row(CORRECTED)] + [event_row(e) for e in EVENTS],
        "deadlines": [{"kind": r.kind, "label": _(r.label), "length": r.length, "unit": r.unit,
                       "anchor": r.anchor, "opened_by": list(r.opened_by), "met_by": list(r.met_by),
                       "lapsed_by": list(r.lapsed_by), "on_lapse": _(r.on_lapse) if r.on_lapse else "",
                       "basis": basis(r.basis)}
                      for r in DEADLINE_RULE_BY_KIND.values()],
    }


def mermaid() -> str:
    """A Mermaid state diagram with the six stages as composite states.

    Written here rather than with transitions' GraphMachine, whose Mermaid output has no way to
    group flat states into stages without renaming them.
    """
    lines = ["stateDiagram-v2", f"    [*] --> {STATES[0].name}: {CASE_OPENED.name}"]
    for stage in STAGES:
        members = [s.name for s in STATES if s.stage == stage.name]
        if members:
            lines.append(f"    state {stage.name} {{")
            lines += [f"        {name}" for name in members]
            lines.append("    }")
    notes = []
    for event in EVENTS:
        if event.dest is None:
            continue  # internal events do not move the case
        if event.name == "case_resumed":
            notes.append(f"    note right of suspended: {event.name} returns to the state the case was suspended from")
        elif len(event.sources) > 6:  # "from any active state": one note instead of twenty arrows
            notes.append(f"    note right of {event.dest}: {event.name} from any of {len(event.sources)} states")
        else:
            dest = "in_force" if event.dest == RETURN else event.dest
            lines += [f"    {source} --> {dest}: {event.name}" for source in event.sources]
    lines += notes
    lines += [f"    {state.name} --> [*]" for state in STATES if state.terminal]
    return "\n".join(lines) + "\n"
