"""Where each agreement or LoI of the register stands, as the report and the public site tell it to people.

The statuses are the register's (workflow/agreements/listing.py), where an LoI whose case was later rejected or
withdrawn has ended; a row whose case was rejected or withdrawn is shown as ``ended`` whatever its instrument.
"""
from __future__ import annotations

from collections import Counter

from workflow.i18n import N_

NO_LONGER_PURSUED = ("rejected", "withdrawn")
# The statuses in the order people read them, grouped as in force, intended, ended and unknown.
GROUPS = {
    N_("In force"): {"active": N_("Active"), "dormant": N_("Dormant"), "suspended": N_("Suspended")},
    N_("Intended"): {"loi_only": N_("Letter of intent only")},
    N_("Ended"): {"expired": N_("Expired"), "terminated": N_("Terminated"), "ended": N_("Ended")},
    N_("Unknown"): {"unknown": N_("Status not known")},
}
LABELS = {status: label for statuses in GROUPS.values() for status, label in statuses.items()}


def shown_status(row: dict) -> str:
    """The status of a register row as the reports show it."""
    return "ended" if row["state"] in NO_LONGER_PURSUED else row["status"]


def status_groups(statuses: list[str]) -> list[dict]:
    """The number of ties in each status, grouped (groups and statuses without any left out): ``[{"group",
    "total", "statuses": [{"status", "label", "count"}]}]``. A status the groups do not name goes under Unknown
    with its own name as label, so the counts always add up to the register."""
    counted = Counter(statuses)
    groups = {group: dict(labels) for group, labels in GROUPS.items()}
    groups[N_("Unknown")] |= {status: status for status in counted if status not in LABELS}
    found = []
    for group, labels in groups.items():
        items = [{"status": status, "label": label, "count": counted[status]} for status, label in labels.items()
                 if counted[status]]
        if items:
            found.append({"group": group, "total": sum(i["count"] for i in items), "statuses": items})
    return found
