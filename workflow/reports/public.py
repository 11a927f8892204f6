"""The public site of the region's agreements: an index page and one page per agreement, in Indonesian.

Only what a citizen may read: partner, country, fields, dates, status and the activities done; never notes,
officer names or letters. The pages are built from a whitelist of fields, so a new column of the register
does not reach the site unless it is added here.
"""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from pathlib import Path

from sqlmodel import select

from db.models import Activity, Case
from workflow import eligibility
from workflow.agreements import in_indonesian, register
from workflow.bureau import Bureau
from workflow.store import load_region
from workflow.reports.environment import reports_environment


def publish(bureau: Bureau, directory: Path, today: date | None = None) -> list[Path]:
    """Write the public site of the region's agreements into ``directory``; returns the files written."""
    with bureau.db.session() as session:
        region = load_region(session)
        today = today or bureau.today(region)
        done = session.exec(select(Activity, Case.ref).join(Case, Case.id == Activity.case_id)
                            .where(Activity.status == "done").order_by(Activity.done_on)).all()
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
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for name, template, context in [("index.html", "public_index.html", {"agreements": public}),
                                    *[(f"{a['ref']}.html", "public_agreement.html", {"agreement": a})
                                      for a in public]]:
        path = directory / name
        path.write_text(env.get_template(template).render(region=region, today=today, **context), encoding="utf-8")
        written.append(path)
    return written
