"""The region this database serves and its procedure settings (``kerjasama init``)."""
from __future__ import annotations

from datetime import datetime, timezone

from db.models import REGION_SETTINGS, Region, RegionChange
from workflow.bureau import Bureau
from workflow.eligibility import HEAD_TITLES, REGION_LEVELS
from workflow.engine import writing
from workflow.errors import InvalidInput
from workflow.i18n import LANGUAGES, _
from workflow.procedure import COUNCIL_SILENCE, TIMEZONES
from workflow.seal import region_change_digest
SETTINGS = REGION_SETTINGS


def init_region(bureau: Bureau, actor: str = "kerjasama init", **given) -> tuple[Region, dict[str, tuple]]:
    """Create the region, or change the settings given; running it again with the same values changes nothing.
    Each change is kept as a sealed :class:`RegionChange` with who made it and every setting after it.

    :param given: any of :data:`SETTINGS`; None means "keep".
    :returns: the region and the settings changed, name to (old, new).
    :raises InvalidInput: a value out of range, or a first run without name and level.
    """
    bureau.db.ensure_schema()
    given = {k: v for k, v in given.items() if v is not None}
    _validate(given)
    with bureau.db.session() as session:
        region = session.get(Region, 1)
        if region is None:
            if "name" not in given or "level" not in given:
                raise InvalidInput(_("The first kerjasama init needs --name and --level ({levels}).")
                                   .format(levels=", ".join(REGION_LEVELS)))
            if given["level"] != "provinsi" and "province" not in given:
                raise InvalidInput(_("A {level} needs --province, the province it lies in.")
                                   .format(level=given["level"]))
            given.setdefault("province", given["name"])
            given.setdefault("head_title", HEAD_TITLES[given["level"]])
            region = Region(**given)
            session.add(region)
            changes = {k: (None, v) for k, v in given.items()}
        else:
            changes = {k: (getattr(region, k), v) for k, v in given.items() if getattr(region, k) != v}
            for key, (_old, new) in changes.items():
                setattr(region, key, new)
            if changes:
                region.updated_at = datetime.now(timezone.utc)
        if changes:
            with writing(bureau, session):
                login, behalf = bureau.recorder(actor)
                change = RegionChange(actor=login, settings=region.settings(),
                                      changed={k: list(v) for k, v in changes.items()} | behalf)
                change.hash = region_change_digest(change)
                session.add(change)
        return region, changes


def _validate(given: dict) -> None:
    choices = {"level": REGION_LEVELS, "council_silence": COUNCIL_SILENCE, "timezone": TIMEZONES,
               "language": LANGUAGES}
    for key, allowed in choices.items():
        if key in given and given[key] not in allowed:
            raise InvalidInput(_("{key} cannot be {value}; allowed: {allowed}.")
                               .format(key=key, value=given[key], allowed=", ".join(allowed)))
    for key in ("dormancy_months", "loi_validity_months", "signing_report_days", "trip_report_days"):
        if key in given and not 1 <= given[key] <= 240:
            raise InvalidInput(_("{key} must be between 1 and 240.").format(key=key))
    for key in ("name", "province", "head_title"):
        if key in given and not str(given[key]).strip():
            raise InvalidInput(_("{key} cannot be empty.").format(key=key))
