"""The reminder sweep (sweep.py) and the scheduler that runs it (scheduler.py)."""
from workflow.reminders.scheduler import JOB_ID, run_scheduler
from workflow.reminders.sweep import (ACTOR, DEFAULT_STEPS, FIRST_RETRY, LEASE, LONGEST_RETRY, Channel, ConsoleChannel,
                                      EmailChannel, LogChannel, Step, SweepReport, channels_for, compose, deliver,
                                      next_step_on, parse_now, plan_for, scheduled_sweep, shift, steps_between,
                                      summary, sweep, timer_on)

__all__ = [
    "ACTOR", "DEFAULT_STEPS", "FIRST_RETRY", "JOB_ID", "LEASE", "LONGEST_RETRY",
    "Channel", "ConsoleChannel", "EmailChannel", "LogChannel", "Step", "SweepReport",
    "channels_for", "compose", "deliver", "next_step_on", "parse_now", "plan_for",
    "run_scheduler", "scheduled_sweep", "shift", "steps_between", "summary", "sweep", "timer_on",
]
