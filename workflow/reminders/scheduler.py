"""The long-running reminder job: APScheduler 3.x with the sweep as its only job.

Correctness does not come from here but from the outbox (workflow/reminders/outbox.py): the job store is
the default in-memory one, never shared, so two servers may each run a scheduler on one PostgreSQL
database and every reminder is still recorded and delivered once.
"""
from __future__ import annotations

import signal
from datetime import datetime
from zoneinfo import ZoneInfo

from workflow.bureau import Bureau
from workflow.config import Config
from workflow.store import load_region
from workflow.errors import ConfigError
from workflow.i18n import _
from workflow.reminders.channels import Channel
from workflow.reminders.messages import summary
from workflow.reminders.sweep import sweep

JOB_ID = "kerjasama-sweep"


def scheduled_sweep(bureau: Bureau, config: Config, channels: dict[str, Channel], log) -> None:
    """The scheduler's job: one sweep at the current time, summarised in one log line."""
    try:
        report = sweep(bureau, config, None, channels)
    except Exception as err:  # noqa: BLE001 - the job must survive a database outage until the next run
        log(_("Sweep failed: {error}").format(error=(str(err).splitlines() or [type(err).__name__])[0]))
        return
    log(summary(report))


def run_scheduler(bureau: Bureau, config: Config, channels: dict[str, Channel], log) -> None:
    """Sweep once now (catch-up after downtime), then on the config's cron, until SIGTERM or SIGINT.

    :param log: called with one line per sweep and on start and stop.
    """
    from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED
    from apscheduler.schedulers.blocking import BlockingScheduler
    from apscheduler.triggers.cron import CronTrigger

    with bureau.db.session() as session:
        zone = ZoneInfo(load_region(session).timezone)
    try:
        trigger = CronTrigger.from_crontab(config.cron, timezone=zone)
    except ValueError as err:
        raise ConfigError(_("[scheduler] cron {cron!r} is not a crontab line: {error}.")
                          .format(cron=config.cron, error=err)) from None
    scheduler = BlockingScheduler(timezone=zone)
    # next_run_time=now is the catch-up sweep at start; coalesce folds runs missed while the
    # machine slept into one, and misfire_grace_time=None never drops a late run.
    scheduler.add_job(scheduled_sweep, trigger, args=[bureau, config, channels, log], id=JOB_ID,
                      replace_existing=True, coalesce=True, misfire_grace_time=None, max_instances=1,
                      next_run_time=datetime.now(zone))

    def said_next(_event):  # after each sweep: an administrator reading the journal knows when the next one runs
        job = scheduler.get_job(JOB_ID)
        if job and job.next_run_time:
            log(_("Next sweep: {at}.").format(at=job.next_run_time.isoformat(timespec="minutes")))

    scheduler.add_listener(said_next, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def stop(signum, _frame):
        log(_("Stopping on {signal}.").format(signal=signal.Signals(signum).name))
        scheduler.shutdown(wait=True)  # a sweep in progress finishes; the outbox makes an interrupted one safe too

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    log(_("Scheduler started: cron \"{cron}\" in {zone}; catch-up sweep now.").format(cron=config.cron, zone=zone))
    scheduler.start()
    log(_("Scheduler stopped."))
