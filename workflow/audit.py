"""A record that cannot be edited quietly (``kerjasama audit verify``).

Three layers of seals (workflow/seal.py):

- each event is sealed with a hash over its content and the previous event of its case, so changing, removing or
  reordering an event breaks its case's chain from there on (the auditor's annex of one case,
  workflow/reports/chronology.py, shows the same check);
- the region's one chain (workflow/chain.py) links every event and settings change in the order recorded, and the
  newest event of each write seals its case's state and deadline rows: removing a case, changing a state or a
  deadline, or adding an event behind the system's back is found;
- anchors, the chain's head printed outside the database, prove that nothing before them was rewritten, even with
  every hash recomputed.

What the record holds beside the events is checked against them: each case's state is the one its timeline leaves,
each open deadline is one its events leave open, each issued letter is the one its ``letter_issued`` event sealed, each
archived document (its row, and the bytes kept in the database or the documents folder) is the one its
``document_added`` event sealed and is public only if a recorded event made it so, and the region's settings are those
of its newest sealed change.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlmodel import select

from db.models import Case, Deadline, Document, Event, Letter, RegionChange, Seal
from workflow.bureau import Bureau
from workflow.chain import Anchor, head
from workflow.documents import content_problem, published, stored_bytes
from workflow.i18n import _
from workflow.machine import GuardContext
from workflow.seal import case_digest, letter_digest, link, region_change_digest, seal
from workflow.store import load_case, load_region
from workflow.timeline import replay, timeline

_NOWHERE = (True, date.max, 0)  # a place after every event: a replay that checks nothing again


def verify(bureau: Bureau, ref: str | None = None, anchors: tuple[Anchor, ...] = (),
           documents_folder: Path | None = None) -> dict:
    """Check every case (or one case), the region's chain and ``anchors``.

    :param documents_folder: the config's ``[documents] folder``, where an archived file is also looked for when it is
        not at the path it was put in (the share mounted elsewhere now).

    :returns: the counts; ``broken``, the first event of each case whose seal does not match; ``problems``, every
        other finding, each ``{"where", "problem"}``; ``unsealed_letters``, letters issued before letters were sealed.
    """
    with bureau.db.session() as session:
        region = load_region(session)
        cases = [load_case(session, ref)] if ref else list(session.exec(select(Case).order_by(Case.id)))
        wanted = {case.id for case in cases}
        events = _grouped(session.exec(select(Event).order_by(Event.case_id, Event.seq)), wanted)
        deadlines = _grouped(session.exec(select(Deadline)), wanted)
        letters = _grouped(session.exec(select(Letter).order_by(Letter.id)), wanted)
        documents = _grouped(session.exec(select(Document).order_by(Document.id)), wanted)
        seals = list(session.exec(select(Seal).order_by(Seal.position)))
        changes = {c.id: c for c in session.exec(select(RegionChange))}
        found = {"broken": [], "problems": [], "unsealed_letters": 0}
        sealed = {s.event_id: s for s in seals if s.event_id}
        for case in cases:
            _check_case(case, events.get(case.id, []), deadlines.get(case.id, []), letters.get(case.id, []), sealed,
                        GuardContext(state=case.state, region=region, case=case, partner=None,
                                     calendar=bureau.calendar), found)
            found["problems"] += document_problems(session, case, documents.get(case.id, []), events.get(case.id, []),
                                                   documents_folder)
        if ref is None:
            every_event = {e.id: e for record in events.values() for e in record}
            found["problems"] += chain_problems(seals, every_event, changes)
            found["problems"] += settings_problems(region, seals, changes)
        found["problems"] += anchor_problems(seals, anchors)
        last = head(session)
    return {"cases": len(cases), "events": sum(len(record) for record in events.values()),
            "chain": {"length": last.position if last else 0, "head": str(last) if last else None}, **found}


def _grouped(rows, wanted: set[int]) -> dict[int, list]:
    grouped: dict[int, list] = {}
    for row in rows:
        if row.case_id in wanted:
            grouped.setdefault(row.case_id, []).append(row)
    return grouped


def _check_case(case: Case, record: list[Event], deadlines: list[Deadline], letters: list[Letter],
                sealed: dict[int, Seal], ctx: GuardContext, found: dict) -> None:
    broken = chain_break(record) if record else (None, _("it has no events"))
    if broken:
        event, problem = broken
        found["broken"].append({"ref": case.ref, "seq": getattr(event, "seq", None),
                                "event": getattr(event, "name", None),
                                "on": event.occurred_on.isoformat() if event else None, "problem": problem})
        return  # what follows reads a history that is not the one recorded
    problems = []
    entries = timeline(record)
    if entries[-1].to_state != case.state:
        problems.append(_("it is in state {state}, but its events lead to {expected}").format(
            state=case.state, expected=entries[-1].to_state))
    first = record[0]
    imported = [d for d in deadlines if d.opened_by_event_id == first.id] if first.name == "imported" else []
    # An open deadline no event of the timeline leaves open. (Not the converse: a rule added by a later release may
    # open a deadline that a case recorded before it never had; that is not a change behind the system's back.)
    expected = {d.kind for d in replay(entries, ctx=ctx, imported=imported, check_from=_NOWHERE).deadlines
                if d.status == "open"}
    unopened = sorted({d.kind for d in deadlines if d.status == "open"} - expected)
    if unopened:
        problems.append(_("deadline {kinds} is open, but no event of its timeline leaves it open").format(
            kinds=", ".join(unopened)))
    last_sealed = max((sealed[e.id] for e in record if e.id in sealed and sealed[e.id].case_digest),
                      key=lambda s: s.position, default=None)
    if last_sealed and last_sealed.case_digest != case_digest(case.state, deadlines):
        problems.append(_("its state or a deadline row was changed after the write that sealed them "
                          "(position {position} of the chain)").format(position=last_sealed.position))
    by_id = {e.id: e for e in record}
    for letter in letters:
        kept = by_id.get(letter.event_id)
        sealed_as = kept.data.get("letter_sha256") if kept else None
        if sealed_as is None:
            found["unsealed_letters"] += 1
        elif sealed_as != letter_digest(letter.html, letter.text, letter.pdf):
            problems.append(_("letter {number} is not the one its event #{seq} sealed when it was issued").format(
                number=letter.number, seq=kept.seq))
    found["problems"] += [{"where": case.ref, "problem": problem} for problem in problems]


def document_problems(session, case: Case, documents: list[Document], record: list[Event],
                      folder: Path | None = None) -> list[dict]:
    """Each archived document of ``case`` whose row or bytes are not what its ``document_added`` event sealed, whose
    public flag no recorded event set, and each document an event sealed that is gone."""
    by_id = {e.id: e for e in record}
    problems = []
    for document in documents:
        problem = content_problem(document, by_id.get(document.event_id), by_id.get(document.proves_event_id),
                                  stored_bytes(session, document, folder))
        if problem is None and document.public != published(document, record):
            problem = _("document {id} is marked public, but no recorded event made it so").format(id=document.id) \
                if document.public else _("document {id} was made public by a recorded event, but is no longer "
                                          "marked so").format(id=document.id)
        problems += [problem] if problem else []
    kept = {d.event_id for d in documents}
    problems += [_("the document archived by event #{seq} is gone").format(seq=e.seq) for e in record
                 if e.name == "document_added" and e.id not in kept]
    return [{"where": case.ref, "problem": problem} for problem in problems]


def chain_break(events: list) -> tuple[object, str] | None:
    """The first event of one case's ``events`` (by seq) whose seal does not match, with what is wrong; None."""
    previous = None
    for expected_seq, event in enumerate(events, start=1):
        if event.seq != expected_seq:
            return event, _("missing event before this one (sequence {seq} where {expected} was due)").format(
                seq=event.seq, expected=expected_seq)
        if event.hash != seal(event, previous):
            return event, _("content or order changed since it was recorded")
        previous = event.hash
    return None


def chain_problems(seals: list[Seal], events: dict[int, Event], changes: dict[int, RegionChange]) -> list[dict]:
    """What is wrong with the region's chain: a place missing, a link that does not follow, a sealed row gone or
    changed, a row that is in no place of it. Stops at the first link that does not follow (what comes after it
    was linked to something else)."""
    where = _("region chain")
    problems, previous = [], None
    for expected, entry in enumerate(seals, start=1):
        at = _("position {position}").format(position=entry.position)
        if entry.position != expected:
            return problems + [{"where": where, "problem": _("position {expected} is missing (the chain goes on "
                                                             "at {position})").format(expected=expected,
                                                                                      position=entry.position)}]
        kind, item_id = ("event", entry.event_id) if entry.event_id else ("region", entry.region_change_id)
        if link(previous, kind, item_id, entry.digest, entry.case_digest) != entry.link:
            return problems + [{"where": where, "problem": _("{at}: the link does not follow from the one before; "
                                                             "the chain was rewritten from here").format(at=at)}]
        item = events.get(item_id) if kind == "event" else changes.get(item_id)
        digest = None if item is None else item.hash if kind == "event" else region_change_digest(item)
        if item is None:
            problems.append({"where": where, "problem": _("{at}: the sealed {kind} (id {id}) is gone").format(
                at=at, kind=kind, id=item_id)})
        elif digest != entry.digest or (kind == "region" and item.hash != digest):
            problems.append({"where": where, "problem": _("{at}: the sealed {kind} (id {id}) was changed").format(
                at=at, kind=kind, id=item_id)})
        previous = entry.link
    chained = {(s.event_id, s.region_change_id) for s in seals}
    problems += [{"where": where, "problem": _("event {seq} of case id {case} is in no place of the chain: it was "
                                               "written behind the system's back").format(seq=e.seq, case=e.case_id)}
                 for e in events.values() if (e.id, None) not in chained]
    problems += [{"where": where, "problem": _("settings change {id} is in no place of the chain").format(id=c.id)}
                 for c in changes.values() if (None, c.id) not in chained]
    return problems


def settings_problems(region, seals: list[Seal], changes: dict[int, RegionChange]) -> list[dict]:
    """The region's settings that differ from those of its newest sealed change (seals by position)."""
    newest = next((changes.get(s.region_change_id) for s in reversed(seals) if s.region_change_id), None)
    if newest is None:
        return [{"where": _("region"), "problem": _("no sealed change records its settings")}]
    now = region.settings()
    return [{"where": _("region"), "problem": _("{key} is {value}, but its newest recorded change made it {recorded}")
             .format(key=key, value=now[key], recorded=newest.settings.get(key))}
            for key in now if newest.settings.get(key) != now[key]]


def anchor_problems(seals: list[Seal], anchors: tuple[Anchor, ...]) -> list[dict]:
    """Each anchor the chain no longer holds: its place is gone (entries removed) or its link differs (rewritten)."""
    by_position = {s.position: s for s in seals}
    problems = []
    for anchor in anchors:
        entry = by_position.get(anchor.position)
        if entry is None:
            problems.append({"where": _("anchor {anchor}").format(anchor=anchor),
                             "problem": _("the chain has {n} entries; the anchor's position {position} is gone, so "
                                          "recorded entries were removed").format(n=len(seals),
                                                                                  position=anchor.position)})
        elif not entry.link.startswith(anchor.link):
            problems.append({"where": _("anchor {anchor}").format(anchor=anchor),
                             "problem": _("the chain no longer leads to it: what was recorded up to it was "
                                          "rewritten")})
    return problems
