"""The reminder sweep: deadline reminders through an outbox, and the procedure's timers applied on time.

One sweep (``kerjasama remind``, or the scheduler's only job) does three things:

1. For every open Deadline whose ``next_action_on`` has come, it records one reminder for the steps that fell
   due since the last sweep (the most urgent, naming the ones it stands for) and applies the deadline's timer
   as the actor ``scheduler`` (sweep.py, with the step arithmetic of steps.py and the wording of messages.py).
2. For every yearly budget window (BUDGET_WINDOWS of the procedure table, PP 12/2019) whose reminder date
   has come, it records one reminder per case whose action plan is not yet budgeted (sweep.py).
3. It delivers every pending delivery of the outbox: claimed first, all with one statement (so two sweeps
   never send the same one), then sent; a failed one is retried on later sweeps with back-off (outbox.py,
   through the channels of channels.py).

A reminder is written before it is delivered, so a crash between the two loses nothing; two sweeps at
once (two servers on one PostgreSQL) record and deliver each reminder once, because every write is
guarded by the row it changes. scheduler.py runs the sweep on the config's cron.
"""
from workflow.reminders.channels import (Channel, ConsoleChannel, EmailChannel, LogChannel, channels_for,
                                         reminder_channels)
from workflow.reminders.messages import compose, compose_budget, summary
from workflow.reminders.outbox import FIRST_RETRY, LEASE, LONGEST_RETRY, SweepReport, deliver
from workflow.reminders.scheduler import JOB_ID, run_scheduler, scheduled_sweep
from workflow.reminders.steps import Step, next_step_on, plan_for, shift, steps_between, timer_on
from workflow.reminders.sweep import ACTOR, parse_now, sweep

__all__ = [
    "ACTOR", "FIRST_RETRY", "JOB_ID", "LEASE", "LONGEST_RETRY",
    "Channel", "ConsoleChannel", "EmailChannel", "LogChannel", "Step", "SweepReport",
    "channels_for", "compose", "compose_budget", "deliver", "next_step_on", "parse_now", "plan_for",
    "reminder_channels",
    "run_scheduler", "scheduled_sweep", "shift", "steps_between", "summary", "sweep", "timer_on",
]
