"""The public site of the region's agreements: an index page and one page per agreement, in Indonesian.

Only what a citizen may read: partner, country, fields, dates, status and the activities done; never notes,
officer names or letters. The pages are built from a whitelist of fields, so a new column of the register
does not reach the site unless it is added here.
"""
from __future__ import annotations

import os
from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlmodel import select

from db.models import Activity, Case
from workflow import eligibility
from workflow.chain import head
from workflow.agreements import in_indonesian, register
from workflow.bureau import Bureau
from workflow.errors import InvalidInput
from workflow.i18n import _
from workflow.inputs import check_ref
from workflow.store import load_region
from workflow.reports.environment import reports_environment


def publish(bureau: Bureau, directory: Path, today: date | None = None) -> list[Path]:
    """Write the public site of the region's agreements into ``directory``; returns the files written."""
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        done = session.exec(select(Activity, Case.ref).join(Case, Case.id == Activity.case_id)
                            .where(Activity.status == "done").order_by(Activity.done_on)).all()
        anchor = head(session)
    activities = defaultdict(list)
    for activity, ref in done:
        activities[ref].append({"title": activity.title, "done_on": activity.done_on, "field": activity.field})
    fields = eligibility.fields()
    public = [{"ref": r["ref"], "partner": r["partner"], "country": eligibility.country_name(r["country"]),
               "instrument": r["instrument"], "fields": [fields[f].name_id for f in r["fields"] if f in fields],
               "signed_on": in_indonesian(r["signed_on"]), "expiry": in_indonesian(r["expiry"]), "status": r["status"],
               "activities": activities.get(r["ref"], [])}
              for r in register(bureau)]
    env = reports_environment()
    pages = [("index.html", "public_index.html", {"agreements": public}),
             *[(f"{a['ref']}.html", "public_agreement.html", {"agreement": a}) for a in public]]
    for name, _template, _context in pages[1:]:
        check_ref(name.removesuffix(".html"))  # a ref is a file name here: nothing that leaves the folder
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, template, context in pages:
        path = directory / name
        page = env.get_template(template).render(region=region, today=today, anchor=anchor, **context)
        _write_no_link(path, page)
        written.append(path)
    return written


def _write_no_link(path: Path, text: str) -> None:
    """Write ``path`` as a file of its folder, never through a symbolic link planted in its place."""
    try:
        handle = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_NOFOLLOW", 0), 0o644)
    except OSError as err:
        raise InvalidInput(_("{path} cannot be written ({reason}); publish writes only plain files of its folder.")
                           .format(path=path, reason=err.strerror)) from None
    with os.fdopen(handle, "w", encoding="utf-8") as out:
        out.write(text)
