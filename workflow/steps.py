"""A step of the procedure as an officer records it: the event (workflow.engine.apply) and what the law or the
agreement's text brings with it. A signing takes up the duties the signed text sets (workflow.obligations), so
that the Joint Working Group's yearly meeting is reminded without anyone typing it in.
"""
from __future__ import annotations

from dataclasses import replace

from workflow.bureau import Bureau
from workflow.engine import Outcome, apply
from workflow.obligations import SIGNINGS, take_up_obligations


def advance(bureau: Bureau, ref: str, event: str, *, actor: str, **details) -> Outcome:
    """Record ``event`` for case ``ref`` (``details`` as for workflow.engine.apply); the outcome of a signing
    lists the deadlines of the duties it took up beside its own."""
    outcome = apply(bureau, ref, event, actor=actor, **details)
    if event not in SIGNINGS:
        return outcome
    taken = take_up_obligations(bureau, ref, actor=actor)
    return replace(outcome, version=taken[-1].version if taken else outcome.version,
                   opened=outcome.opened + [deadline for duty in taken for deadline in duty.opened])
