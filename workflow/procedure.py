"""The procedure of foreign cooperation of a region, as data.

One table names every stage, state, event, guard and deadline rule with the article of law it
comes from. The transitions ``Machine`` (workflow/machine.py), the ``kerjasama procedure`` listing
and its diagram, the deadline computation (workflow/deadlines.py) and the guards all read this file;
a reader checks the law against it alone. docs/procedure.md walks through the stages and says how
the table settles what the law leaves open.

Abbreviations in ``basis``: PP 28/2018 (Kerja Sama Daerah), UU 23/2014 (Pemerintahan Daerah),
UU 24/2000 (Perjanjian Internasional), UU 37/1999 (Hubungan Luar Negeri), PP 12/2019 (Pengelolaan
Keuangan Daerah), PP 50/2007 (revoked). Tags: [LAW] read in the text; [LAW*] cited; [PRACTICE]
how regions do it; [TEAM] the team's sources; [OPEN] to be settled with Kemendagri/Kemlu.
"""
from __future__ import annotations

from dataclasses import dataclass

from workflow.i18n import N_

# A destination that is not fixed: the state the case was in before it entered the current one
# (resuming a suspended case, closing an amendment). Read from the case's history.
RETURN = "<return>"


@dataclass(frozen=True)
class Stage:
    name: str
    label: str
    basis: str


@dataclass(frozen=True)
class State:
    name: str
    stage: str
    label: str
    basis: str
    terminal: bool = False


@dataclass(frozen=True)
class DataField:
    """A value an event carries, given on the CLI as ``--set name=value``."""

    name: str
    type: str  # "int", "date", "text" or "choice"
    help: str
    required: bool = True
    choices: tuple[str, ...] = ()
    default: object = None
    minimum: int | None = None
    maximum: int | None = None


@dataclass(frozen=True)
class Event:
    name: str
    sources: tuple[str, ...]
    dest: str | None  # None: the case stays where it is (an internal transition)
    label: str
    basis: str
    guards: tuple[str, ...] = ()
    needs_note: bool = False
    needs_doc_number: bool = False
    data: tuple[DataField, ...] = ()
    timer: bool = False  # the reminder job may apply it when its deadline lapses
    listed: bool = True  # offered among the next events of ``case show``
    command: str = ""  # the command that records it, when ``case advance`` cannot (it writes rows of its own)


@dataclass(frozen=True)
class ReminderSteps:
    """When the reminder job reminds of a deadline: offsets before its due date ("10wd" working days, "7d" days,
    "3m" months), on the day itself, and then every so often while it is overdue (those go to the head of the
    bureau too). A region overrides them per kind in its config."""

    before: tuple[str, ...] = ()
    on_due: bool = True
    overdue_every: str | None = None


@dataclass(frozen=True)
class DeadlineRule:
    """A legal or practical time limit that becomes a Deadline row.

    ``length`` is a number, or the name of a region setting or event datum holding it.
    ``anchor`` says where counting starts: ``event`` (the day the opening event happened),
    ``previous`` (the due date of the deadline of the same kind it replaces, falling back to the
    event day), ``continues`` (as ``previous`` while that due date has not passed, else the event day: a
    term extended after it ended starts anew) or ``expiry`` (the case's agreement_expiry due date).
    """

    kind: str
    label: str
    length: int | str | None
    unit: str  # "working_days", "days", "months" or "years"
    owners: tuple[str, ...]  # states in which it may be open; leaving them cancels it
    opened_by: tuple[str, ...]
    met_by: tuple[str, ...] = ()
    lapsed_by: tuple[str, ...] = ()
    anchor: str = "event"
    on_lapse: str = ""
    basis: str = ""
    # The events the reminder job records when the deadline lapses, the first one the guards allow;
    # on the due day, or with ``timer_next_working_day`` on the first working day after it.
    timers: tuple[str, ...] = ()
    timer_next_working_day: bool = False
    timer_setting: str | None = None  # a region setting that must be on for the job to apply the timer
    next_event: str = ""  # what the officer records to meet it, named in reminders
    when: tuple[str, str] | None = None  # opened only when the opening event's datum has this value
    reminders: ReminderSteps | None = None  # every rule says when it is reminded of (check_table)
    # An agreement loaded by `kerjasama import` in one of ``imported_in`` gets this deadline, starting on the first
    # of the file's dates ``imported_from`` that the row gives (the length is the rule's; 0 or none: no deadline).
    imported_in: tuple[str, ...] = ()
    imported_from: tuple[str, ...] = ()
    # The datum of the opening event, or the date of an import file, that is the due date itself (an expiry the
    # agreement's text names); a rule without a length opens only when it is given.
    due_given_by: str | None = None
    imported_instruments: tuple[str, ...] = ()  # the instruments of the file's rows it is for; empty: all


@dataclass(frozen=True)
class Guard:
    name: str
    needs: str  # what the guard asks for, shown with the events allowed next
    basis: str


STAGES = (
    Stage("initiation", N_("Initiation"), "PP 28/2018 Pasal 28 ayat (1)-(2) [LAW]"),
    Stage("mofa_mediation", N_("Exploration, consultation with Kemlu and Kemendagri, LoI"),
          "PP 28/2018 Pasal 28 ayat (3)-(5); UU 24/2000 Pasal 5 ayat (1) [LAW]"),
    Stage("council_approval", N_("Cooperation plan and DPRD approval"), "PP 28/2018 Pasal 30 [LAW]"),
    Stage("signing", N_("Verification, drafting, negotiation and signing"),
          "PP 28/2018 Pasal 31-33; UU 24/2000 Pasal 7 [LAW]"),
    Stage("action_plan", N_("Action plan drafted and budgeted"),
          "UU 23/2014 Pasal 327 ayat (4)-(5); PP 12/2019 Pasal 90-107 [LAW]; action plan [PRACTICE]"),
    Stage("evaluation", N_("Implementation, reporting, monitoring and evaluation"),
          "PP 28/2018 Pasal 43-44; UU 23/2014 Pasal 368 [LAW]"),
    Stage("closed", N_("Closed"), "PP 28/2018 Pasal 27, 30, 33; the agreement's own text"),
)

STATES = (
    State("initiated", "initiation", N_("Case opened from an initiative"), "PP 28/2018 Pasal 28 ayat (1)-(2) [LAW]"),
    State("exploring", "mofa_mediation", N_("Exploring the partnership (penjajakan)"),
          "PP 28/2018 Pasal 28 ayat (3) [LAW]"),
    State("pre_loi_consultation", "mofa_mediation", N_("Kemendagri and Kemlu consulted before the LoI"),
          "PP 28/2018 Pasal 28 ayat (4) [LAW]"),
    State("loi_signed", "mofa_mediation", N_("Letter of Intent signed; plan not yet started"),
          "PP 28/2018 Pasal 28 ayat (4)-(5) [LAW]"),
    State("plan_drafting", "council_approval", N_("Cooperation plan (rencana kerja sama) being drafted"),
          "PP 28/2018 Pasal 28 ayat (5), Pasal 30 ayat (3) [LAW]"),
    State("dprd_review", "council_approval", N_("Plan at the DPRD; 45-working-day window running"),
          "PP 28/2018 Pasal 30 ayat (2)-(4) [LAW]"),
    State("kemendagri_verification", "signing", N_("DPRD-approved plan at Kemendagri for verification"),
          "PP 28/2018 Pasal 31 [LAW]"),
    State("draft_preparation", "signing", N_("Draft MoU being written or revised"),
          "PP 28/2018 Pasal 32 ayat (1) [LAW]"),
    State("interministerial_review", "signing", N_("Draft before the interministerial meeting"),
          "PP 28/2018 Pasal 32 ayat (2)-(3) [LAW]"),
    State("kemlu_negotiation", "signing", N_("Kemlu negotiating the text with the partner"),
          "PP 28/2018 Pasal 33 ayat (1)-(3) [LAW]"),
    State("awaiting_full_powers", "signing", N_("Confirmation letter received; Full Powers requested"),
          "PP 28/2018 Pasal 33 ayat (4) [LAW]; UU 24/2000 Pasal 7 [LAW*]"),
    State("ready_to_sign", "signing", N_("Full Powers held; signing can be scheduled"),
          "PP 28/2018 Pasal 33 ayat (4) [LAW]; UU 37/1999 Pasal 14 [LAW*]"),
    State("action_plan_drafting", "action_plan", N_("Signed; action plan being drafted with the OPDs"),
          "[PRACTICE] the OPDs turn the agreement into a yearly action plan"),
    State("action_plan_budgeting", "action_plan", N_("Action plan adopted; activities going into the budget"),
          "UU 23/2014 Pasal 327 ayat (4)-(5); PP 12/2019 Pasal 90-107 [LAW]"),
    State("in_force", "evaluation", N_("In force: implemented, reported, monitored and evaluated"),
          "PP 28/2018 Pasal 43-44; UU 23/2014 Pasal 368 [LAW]"),
    State("dormant", "evaluation", N_("In force but dormant: no activity, evaluation or report for too long"),
          "[PRACTICE] many ties lie idle after signing; no legal effect"),
    State("amendment_in_progress", "evaluation",
          N_("Amendment or extension being negotiated; agreement still in force"),
          "the agreement's text; DPRD approval again [OPEN]"),
    # A suspended case stays in the stage of the state it will resume to.
    State("suspended", RETURN, N_("Suspended; resuming returns it to where it was"),
          "[PRACTICE] on hold for an election, an acting head or a diplomatic incident"),
    State("rejected", "closed", N_("Rejected or found ineligible"), "PP 28/2018 Pasal 27, 30, 33 [LAW]", terminal=True),
    State("ended", "closed", N_("Ended otherwise: its programme ended, or a later agreement superseded it"),
          "the agreement's text or its funding programme [PRACTICE]", terminal=True),
    State("withdrawn", "closed", N_("Withdrawn by the region"), "not regulated; the region's decision", terminal=True),
    State("expired", "closed", N_("Expired: term or LoI validity ended"), "the agreement's text [PRACTICE]",
          terminal=True),
    State("terminated", "closed", N_("Terminated by agreement or notice"), "the agreement's text (none in PP 28/2018)",
          terminal=True),
)

STATE_BY_NAME = {s.name: s for s in STATES}
STAGE_BY_NAME = {s.name: s for s in STAGES}
INITIAL_STATE = "initiated"
TERMINAL_STATES = tuple(s.name for s in STATES if s.terminal)
# The one way back from a closed state: an agreement renewed after its term ended (the gap stays on record).
REOPENING_EVENTS = ("agreement_renewed",)

AFTER_LOI = ("loi_signed", "plan_drafting", "dprd_review", "kemendagri_verification", "draft_preparation",
             "interministerial_review", "kemlu_negotiation", "awaiting_full_powers", "ready_to_sign")
BEFORE_SIGNING = ("initiated", "exploring", "pre_loi_consultation") + AFTER_LOI
IN_FORCE = ("action_plan_drafting", "action_plan_budgeting", "in_force", "dormant", "amendment_in_progress")
ACTIVE = BEFORE_SIGNING + IN_FORCE  # neither closed nor suspended

INELIGIBILITY_REASONS = ("no_diplomatic_relations", "not_regional_affair", "representative_office",
                         "interference", "inconsistent_with_plans", "unequal_level", "excluded_field",
                         "partner_type_excluded", "other")

GUARDS = (
    Guard("partner_eligible",
          N_("the partner still meets the eligibility rules (diplomatic relations, equal level, allowed fields)"),
          "PP 28/2018 Pasal 27, 36; UU 23/2014 Pasal 10 ayat (1), 367 ayat (1) [LAW]"),
    Guard("consultation_answered",
          N_("advice of both Kemendagri and Kemlu recorded (consultation_cleared)"),
          "PP 28/2018 Pasal 28 ayat (4) [LAW]"),
    Guard("dprd_approval_on_record",
          N_("a DPRD approval of this plan already recorded"),
          "PP 28/2018 Pasal 30 ayat (1), 31 ayat (1) [LAW]"),
    Guard("dprd_window_passed",
          N_("the 45-working-day DPRD window has passed"),
          "PP 28/2018 Pasal 30 ayat (4) [LAW]"),
    Guard("deemed_approval_allowed",
          N_("region setting council_silence = deemed_approval, and the 45-working-day DPRD window has passed"),
          "PP 28/2018 Pasal 30 ayat (4) [LAW]; deemed approval: PP 50/2007 Pasal 12 ayat (4) [LAW, revoked], "
          "region practice [TEAM]"),
    Guard("signing_authorised",
          N_("DPRD approval, Kemlu's confirmation letter and Full Powers recorded"),
          "PP 28/2018 Pasal 30 ayat (1), 33 ayat (4); UU 23/2014 Pasal 367 ayat (2) [LAW]; "
          "UU 24/2000 Pasal 7 [LAW*]"),
    Guard("loi_validity_passed", N_("the LoI's validity period has ended"), "LoI validity [TEAM]"),
    Guard("term_ended", N_("the agreement's term has ended with no extension recorded"),
          "the agreement's text [PRACTICE]"),
    Guard("plan_validity_ended", N_("the action plan's own validity has ended"), "the plan's own text [PRACTICE]"),
    Guard("has_planned_activity",
          N_("at least one activity planned for this action plan (kerjasama action add)"),
          "[PRACTICE] no action plan, no budget, a dormant tie"),
    Guard("dormancy_period_passed",
          N_("no activity, evaluation or report for the region's dormancy period"),
          "[PRACTICE] many ties lie idle after signing"),
)
GUARD_BY_NAME = {g.name: g for g in GUARDS}

_TERM_YEARS = DataField("term_years", "int", N_("term of the agreement in years, as its text says; 0: no end date"),
                        required=False, minimum=0, maximum=30)  # not given: no source states it
_EXPIRES = DataField("expires", "date", N_("the expiry date the agreement's text names, if it names one"),
                     required=False)
_PARTNER_SIGNED = DataField("partner_signed", "date", N_("the day the partner signed, if on another day"),
                            required=False)
_FIELDS = DataField("fields", "text", N_("the fields of cooperation this text names, separated by ;"),
                    required=False)
_RENEWAL_EVERY = DataField("renewal_every", "int", N_("years after which the text says it is renewed or reaffirmed "
                                                      "(\"renewable every 5 years\")"), required=False, minimum=1,
                           maximum=30)
_NOTICE_MONTHS = DataField("notice_months", "int", N_("notice period in months, as the agreement says"),
                           required=False, default=6, minimum=0, maximum=60)
_MINISTRY = DataField("ministry", "choice", N_("whose advice this is"), required=False,
                      choices=("both", "kemendagri", "kemlu"), default="both")
_REASON = DataField("reason", "choice", N_("which eligibility rule failed"), choices=INELIGIBILITY_REASONS)
_TRIP = DataField("trip", "int", N_("the number of the trip (kerjasama trip list)"), minimum=1, maximum=10**9)
_HOST_CONFIRMATION = DataField("host_confirmation", "date", N_("the day of the host's official confirmation"),
                               required=False)
# The states in which a case may carry an official trip abroad: any but closed (a closed case's deadlines are closed).
TRIP_STATES = ACTIVE + ("suspended",)

# Duties an agreement's own clauses put on the parties, each recurring with the cadence its text gives: the Joint
# Working Group's meetings (our MoU template: "at least once a year"), joint reports, reviews of the plan of action.
# Each has an event that records it with its cadence and one that records it met, and a deadline between them.
OBLIGATION_MET = {"jwg_meeting": "jwg_meeting_held", "joint_report": "joint_report_made", "poa_review": "poa_reviewed"}
_EVERY = DataField("every_months", "int", N_("how often, in months, as the agreement's text says"), minimum=1,
                   maximum=120)
_FIRST_DUE = DataField("first_due", "date", N_("when it is first due; by default a cadence after the day it began"),
                       required=False)
_OBLIGATION_BASIS = "the agreement's own text [PRACTICE]"

# What an agreement brings, measured: indicators with a baseline and yearly targets, and the values recorded against
# them. A figure is recorded on the day it was established, whatever the case's state then (a count published before
# the signing is a baseline); an agreement's figures are still kept after it ends.
MEASURED_STATES = tuple(s.name for s in STATES)
_INDICATOR = DataField("indicator", "int", N_("number of the agreement's indicator"), minimum=1, maximum=100000)
_YEAR = DataField("year", "int", N_("the year a figure is for"), minimum=1900, maximum=2200)
_MEASURE_BASIS = "UU 23/2014 Pasal 368; PP 28/2018 Pasal 44 [LAW]; indicators, targets and values [PRACTICE]"

# Events that show an agreement is alive; dormancy counts from the last of them.
SIGNS_OF_LIFE = ("agreement_signed", "action_plan_adopted", "action_plan_budgeted", "activity_recorded",
                 "evaluation_recorded", "signing_report_sent", "annual_report_sent", "new_action_plan_started",
                 "amendment_signed", "extension_signed", "agreement_renewed", "case_revived")
# Events that start a new action plan; the plan's activities are those planned since.
PLAN_STARTS = ("new_action_plan_started", "case_revived")

# The three layers of paradiplomacy of the Magelang study, and where an activity's money comes from.
LAYERS = ("economic", "multidimensional", "political")
BUDGET_SOURCES = ("apbd_opd", "partner", "central", "other")
RECOMMENDATIONS = ("continue", "amend", "extend", "terminate")
EVALUATION_KINDS = ("semester", "annual", "pre_expiry")
# An activity's status and where it may go next: into the Renja/RKPD (proposed), the APBD (budgeted), done.
NEXT_ACTIVITY_STATUS = {"planned": ("proposed", "budgeted", "done", "cancelled"),
                        "proposed": ("budgeted", "done", "cancelled"), "budgeted": ("done", "cancelled"),
                        "done": (), "cancelled": ()}
# How the register names where an agreement or LoI stands, how a tie may have ended, and the instruments a
# bureau's register holds (a Plan of Action has its own validity under its umbrella MoU).
AGREEMENT_STATUSES = ("active", "dormant", "expired", "terminated", "ended", "loi_only", "unknown")
END_KINDS = ("expired", "terminated", "programme_ended", "superseded")
INSTRUMENTS = ("loi", "mou", "poa", "moa", "pks", "charter", "other")

# The region's procedure settings (kerjasama init): what a DPRD silent past its 45 working days means
# (Pasal 30 ayat (4) states no consequence), and the time zone that decides the region's "today".
COUNCIL_SILENCE = ("deemed_approval", "escalate")
TIMEZONES = ("Asia/Jakarta", "Asia/Makassar", "Asia/Jayapura")  # WIB, WITA, WIT

# Who a case in each state waits on, for the board.
WAITING_ON = {
    "initiated": N_("region"), "exploring": N_("region"), "pre_loi_consultation": N_("Kemendagri, Kemlu"),
    "loi_signed": N_("region"), "plan_drafting": N_("region, OPD"), "dprd_review": N_("DPRD"),
    "kemendagri_verification": N_("Kemendagri"), "draft_preparation": N_("region"),
    "interministerial_review": N_("Kemendagri"), "kemlu_negotiation": N_("Kemlu, partner"),
    "awaiting_full_powers": N_("Kemlu"), "ready_to_sign": N_("region, partner"), "action_plan_drafting": N_("OPD"),
    "action_plan_budgeting": N_("OPD"), "in_force": N_("OPD"), "dormant": N_("region"),
    "amendment_in_progress": N_("partner, Kemlu"), "suspended": N_("region"),
}

# The opening of a case is recorded as this event; it is not a transition of the machine.
CASE_OPENED = Event("case_opened", (), INITIAL_STATE, N_("Case opened"),
                    "PP 28/2018 Pasal 28 ayat (1)-(2) [LAW]; eligibility: Pasal 27 [LAW]",
                    guards=("partner_eligible",))

# Loading an agreement the bureau already had (kerjasama import) records this as its first event,
# with the source and the precision of every date; the case starts in the state the row says.
IMPORTED = Event("imported", (), None, N_("Agreement loaded from an existing register"),
                 "the region's own records; the agreement's text")

# A mistake undone (kerjasama case correct, or the engine withdrawing a timer a late fact made wrong): the corrected
# event stays in the record and drops out of the timeline (workflow/timeline.py); it is not a transition either.
CORRECTED = Event("event_corrected", (), None, N_("An earlier event corrected: it did not happen as recorded"),
                  "the record keeps every fact; a mistake is undone by a recorded correction [PRACTICE]",
                  needs_note=True, command="kerjasama case correct")

EVENTS = (
    Event("exploration_started", ("initiated",), "exploring", N_("Exploration started"),
          "PP 28/2018 Pasal 28 ayat (3) [LAW]"),
    Event("eligibility_failed", BEFORE_SIGNING, "rejected", N_("Found ineligible"),
          "PP 28/2018 Pasal 27 [LAW]", needs_note=True, data=(_REASON,)),
    Event("consultation_sent", ("exploring",), "pre_loi_consultation",
          N_("Consultation letters sent to Kemendagri and Kemlu"),
          "PP 28/2018 Pasal 28 ayat (4); UU 24/2000 Pasal 5 ayat (1) [LAW]", guards=("partner_eligible",)),
    Event("consultation_cleared", ("pre_loi_consultation",), None, N_("Ministry advice received: proceed"),
          "PP 28/2018 Pasal 28 ayat (4) [LAW]", data=(_MINISTRY,)),
    Event("consultation_objected", ("pre_loi_consultation",), "exploring",
          N_("Ministry advised against the LoI as proposed"), "PP 28/2018 Pasal 28 ayat (4) [LAW]; outcome [OPEN]",
          needs_note=True),
    Event("loi_signed", ("pre_loi_consultation",), "loi_signed", N_("Letter of Intent signed"),
          "PP 28/2018 Pasal 28 ayat (4)-(5) [LAW]", guards=("partner_eligible", "consultation_answered"),
          data=(_PARTNER_SIGNED,)),
    Event("loi_renewed", AFTER_LOI, None, N_("LoI renewed by both sides"), "LoI validity [TEAM]"),
    Event("loi_expired", ("loi_signed", "plan_drafting", "dprd_review", "kemendagri_verification"), "expired",
          N_("LoI lapsed without an MoU"), "LoI validity [TEAM]", guards=("loi_validity_passed",), timer=True),
    Event("plan_started", ("loi_signed",), "plan_drafting", N_("Cooperation plan drafting started"),
          "PP 28/2018 Pasal 28 ayat (5), Pasal 30 ayat (3) [LAW]"),
    Event("dprd_request_received", ("plan_drafting",), "dprd_review",
          N_("DPRD received the request for approval (date of its stamp)"),
          "PP 28/2018 Pasal 30 ayat (2), (4) [LAW]", guards=("partner_eligible",)),
    Event("dprd_approved", ("dprd_review",), "kemendagri_verification", N_("DPRD approved the plan"),
          "PP 28/2018 Pasal 30 ayat (1), (4)-(5) [LAW]", data=(_FIELDS,)),
    Event("dprd_returned", ("dprd_review",), "plan_drafting", N_("DPRD returned the plan with remarks"),
          "PP 28/2018 Pasal 30 [LAW]", needs_note=True),
    Event("dprd_rejected", ("dprd_review",), "rejected", N_("DPRD rejected the plan"),
          "PP 28/2018 Pasal 30 [LAW]", needs_note=True),
    Event("dprd_deemed_approved", ("dprd_review",), "kemendagri_verification",
          N_("DPRD deemed to have approved: window passed without a decision"),
          "PP 28/2018 Pasal 30 ayat (4) [LAW]; PP 50/2007 Pasal 12 ayat (4) [LAW, revoked]; region practice [TEAM]",
          guards=("deemed_approval_allowed",), timer=True),
    Event("dprd_deadline_lapsed", ("dprd_review",), None, N_("DPRD window passed without a decision: escalated"),
          "PP 28/2018 Pasal 30 ayat (4) [LAW]; consequence [OPEN]", guards=("dprd_window_passed",), timer=True),
    Event("plan_submitted_to_kemendagri", ("kemendagri_verification",), None,
          N_("DPRD-approved plan sent to the Minister of Home Affairs"), "PP 28/2018 Pasal 31 ayat (1) [LAW]",
          guards=("partner_eligible",)),
    Event("kemendagri_requested_revision", ("kemendagri_verification",), "plan_drafting",
          N_("Kemendagri asked to revise the plan"), "PP 28/2018 Pasal 31 ayat (3) huruf a [LAW]"),
    Event("revised_plan_resubmitted", ("plan_drafting",), "kemendagri_verification",
          N_("Revised plan sent back to Kemendagri without a new DPRD approval (note: scope, funding and "
             "period unchanged)"),
          "PP 28/2018 Pasal 31 ayat (3) huruf a [LAW]; no new DPRD approval when unchanged [OPEN]",
          guards=("partner_eligible", "dprd_approval_on_record"), needs_note=True),
    Event("kemendagri_cleared_for_drafting", ("kemendagri_verification",), "draft_preparation",
          N_("Kemendagri answered: prepare the draft text"), "PP 28/2018 Pasal 31 ayat (3) huruf b [LAW]"),
    Event("draft_submitted_to_kemendagri", ("draft_preparation",), "interministerial_review",
          N_("Draft MoU submitted to the Minister of Home Affairs"), "PP 28/2018 Pasal 32 ayat (1) [LAW]",
          guards=("partner_eligible",)),
    Event("interministerial_revision_requested", ("interministerial_review",), "draft_preparation",
          N_("Interministerial meeting asked to revise the draft"), "PP 28/2018 Pasal 32 ayat (2)-(3) [LAW]"),
    Event("draft_approved", ("interministerial_review",), "kemlu_negotiation",
          N_("Minister approved the draft and sent it to the Foreign Minister"),
          "PP 28/2018 Pasal 32 ayat (1), Pasal 33 ayat (1) [LAW]"),
    Event("partner_counterproposal", ("kemlu_negotiation",), None, N_("Partner made a counter-proposal"),
          "PP 28/2018 Pasal 33 ayat (2) [LAW]"),
    Event("draft_reopened", ("kemlu_negotiation",), "draft_preparation",
          N_("Substantive change: draft goes back to drafting"), "PP 28/2018 Pasal 33 ayat (2) [LAW]; loop [OPEN]"),
    Event("partner_declined", ("kemlu_negotiation",), "rejected", N_("Partner declined the agreement"),
          "PP 28/2018 Pasal 33 ayat (2) [LAW]", needs_note=True),
    Event("confirmation_received", ("kemlu_negotiation",), "awaiting_full_powers",
          N_("Kemlu's confirmation letter (surat konfirmasi) received through Kemendagri"),
          "PP 28/2018 Pasal 33 ayat (3)-(4) [LAW]", needs_doc_number=True),
    Event("full_powers_requested", ("awaiting_full_powers",), None, N_("Full Powers requested from Kemlu"),
          "UU 24/2000 Pasal 7; UU 37/1999 Pasal 14 [LAW*]", guards=("partner_eligible",)),
    Event("full_powers_issued", ("awaiting_full_powers",), "ready_to_sign", N_("Full Powers (Surat Kuasa) issued"),
          "UU 24/2000 Pasal 1 angka 3 [LAW], Pasal 7 [LAW*]", needs_doc_number=True),
    Event("agreement_signed", ("ready_to_sign",), "action_plan_drafting", N_("Agreement (MoU) signed"),
          "PP 28/2018 Pasal 33 ayat (4); UU 23/2014 Pasal 367 ayat (2) [LAW]",
          guards=("partner_eligible", "signing_authorised"),
          data=(_TERM_YEARS, _EXPIRES, _PARTNER_SIGNED, _FIELDS, _RENEWAL_EVERY)),
    Event("signing_report_sent", IN_FORCE, None, N_("Signing report sent to the Minister"),
          "PP 28/2018 Pasal 43 ayat (1) [LAW]; period [OPEN]"),
    Event("annual_report_sent", IN_FORCE, None, N_("Annual implementation report sent"),
          "PP 28/2018 Pasal 43 ayat (1) [LAW]; cadence [OPEN]"),
    Event("action_plan_adopted", ("action_plan_drafting",), "action_plan_budgeting",
          N_("Action plan adopted; activities assigned to OPDs"), "[PRACTICE] activities assigned to lead OPDs",
          guards=("has_planned_activity",),
          data=(DataField("expires", "date", N_("the last day of the plan's own validity, if it has one"),
                          required=False),)),
    # A Plan of Action valid for its own years under an umbrella MoU lapses; the MoU stays in force.
    Event("action_plan_lapsed", ("action_plan_budgeting", "in_force", "dormant", "amendment_in_progress"), None,
          N_("The action plan's validity ended; a successor plan is due"),
          "the plan's own text [PRACTICE]", guards=("plan_validity_ended",), timer=True),
    Event("action_plan_budgeted", ("action_plan_budgeting",), "in_force",
          N_("Action plan activities budgeted (APBD/APBD-P or other sources)"),
          "UU 23/2014 Pasal 327 ayat (4)-(5); PP 12/2019 Pasal 90-107, 169 [LAW]"),
    Event("activity_recorded", ("in_force", "dormant"), "in_force", N_("Activity carried out"),
          "[PRACTICE] the OPDs carry out the action plan",
          data=(DataField("activity", "int", N_("number of the action-plan activity done"), required=False,
                          minimum=1, maximum=100000),
                DataField("spent", "int", N_("what it cost, in whole rupiah, when known"), required=False,
                          minimum=0, maximum=10 ** 15))),
    Event("evaluation_recorded", ("in_force", "dormant"), "in_force", N_("Monitoring and evaluation recorded"),
          "UU 23/2014 Pasal 368; PP 28/2018 Pasal 44 [LAW]; cadence [OPEN]",
          data=(DataField("kind", "choice", N_("which evaluation"), choices=EVALUATION_KINDS),
                DataField("recommendation", "choice", N_("what the evaluation recommends"), choices=RECOMMENDATIONS),
                DataField("period_from", "date", N_("first day evaluated")),
                DataField("period_to", "date", N_("last day evaluated")),
                DataField("outputs", "text", N_("outputs achieved"), required=False, default=""),
                DataField("indicators", "text", N_("indicators reached"), required=False, default=""),
                DataField("problems", "text", N_("problems and their causes"), required=False, default="")),
          command="kerjasama evaluate"),
    Event("case_revived", ("dormant",), "action_plan_drafting",
          N_("Decision to reactivate a dormant tie with a new action plan"), "[PRACTICE] reviving a dormant tie",
          needs_note=True),
    Event("dormancy_detected", ("action_plan_drafting", "action_plan_budgeting", "in_force"), "dormant",
          N_("No activity, evaluation or report: dormant"),
          "[PRACTICE] many ties lie idle after signing", guards=("dormancy_period_passed",), timer=True),
    # A plan may be followed by the next one before it was ever budgeted (a programme under an umbrella MoU).
    Event("new_action_plan_started", ("action_plan_budgeting", "in_force", "dormant"), "action_plan_drafting",
          N_("New yearly action plan started"), "[PRACTICE] a Joint Working Group renews the action plan yearly"),
    Event("amendment_proposed", ("action_plan_drafting", "action_plan_budgeting", "in_force", "dormant"),
          "amendment_in_progress", N_("Amendment proposed"), "the agreement's text; DPRD approval again [OPEN]",
          needs_note=True),
    Event("extension_proposed", ("action_plan_drafting", "action_plan_budgeting", "in_force", "dormant"),
          "amendment_in_progress", N_("Extension proposed"), "the agreement's text; DPRD approval again [OPEN]"),
    Event("amendment_signed", ("amendment_in_progress",), RETURN, N_("Amendment signed"),
          "the agreement's text; DPRD approval again [OPEN]"),
    Event("extension_signed", ("amendment_in_progress",), RETURN, N_("Extension signed; expiry moves"),
          "the agreement's text; DPRD approval again [OPEN]", data=(_TERM_YEARS, _EXPIRES)),
    # A renewal signed after the term ended: the case was expired, and the new term runs from this signing, so the
    # gap between expiry and renewal stays in the history.
    Event("agreement_renewed", ("expired",), "in_force",
          N_("Renewed after it had expired; the new term runs from this signing"),
          "the agreement's text; DPRD approval again [OPEN]", data=(_TERM_YEARS, _EXPIRES)),
    # The partner's side of the road, as it happened: its council's approval, the originals handed over, and an
    # LoI signed after the agreement (out of the procedure's order: recorded, and flagged).
    Event("partner_council_approved", AFTER_LOI + IN_FORCE, None, N_("The partner's council approved"),
          "the partner's own law [PRACTICE]"),
    Event("originals_exchanged", IN_FORCE, None, N_("Signed originals handed over between the parties"),
          "[PRACTICE] circular signing: each side keeps an original signed by both"),
    Event("late_loi_signed", IN_FORCE, None, N_("An LoI signed after the agreement"),
          "PP 28/2018 Pasal 28 puts the LoI before the agreement; recorded as it happened, and flagged"),
    Event("amendment_abandoned", ("amendment_in_progress",), RETURN, N_("Amendment or extension abandoned"),
          "the agreement's text", needs_note=True),
    Event("extension_not_pursued", IN_FORCE, None, N_("Decided not to extend; the agreement runs to its end"),
          "the agreement's text", needs_note=True),
    Event("termination_notice_recorded", IN_FORCE, None, N_("Notice of termination given or received"),
          "the agreement's text (6 months typical) [PRACTICE]", data=(_NOTICE_MONTHS,)),
    Event("agreement_terminated", IN_FORCE, "terminated", N_("Agreement terminated"),
          "the agreement's text; PP 28/2018 Pasal 9 by analogy", needs_note=True),
    Event("term_expired", IN_FORCE, "expired", N_("Term ended without extension"), "the agreement's text [PRACTICE]",
          guards=("term_ended",), timer=True),
    Event("agreement_ended", IN_FORCE, "ended", N_("Agreement ended with its programme, or superseded"),
          "the agreement's text or its funding programme [PRACTICE]", needs_note=True,
          data=(DataField("end_kind", "choice", N_("how it ended"), choices=("programme_ended", "superseded")),)),
    # After signing, an agreement ends by termination under its own text, not by withdrawal.
    Event("case_withdrawn", BEFORE_SIGNING + ("suspended",), "withdrawn", N_("Withdrawn by the region"),
          "not regulated; the region's decision (a new head, new priorities)", needs_note=True),
    Event("case_suspended", ACTIVE, "suspended", N_("Suspended"),
          "[PRACTICE] on hold for an election, an acting head or a diplomatic incident", needs_note=True),
    Event("partner_ineligible", ACTIVE, "suspended", N_("Partner no longer eligible (e.g. relations cut)"),
          "PP 28/2018 Pasal 27 ayat (1) huruf a [LAW]", needs_note=True),
    Event("case_resumed", ("suspended",), RETURN, N_("Resumed"), "[PRACTICE] back to where it was when put on hold"),
    # Recorded by `kerjasama deadlines recompute --apply` when the working-day calendar changed.
    Event("deadline_recomputed", ACTIVE + ("suspended",), None, N_("Due date recomputed after a calendar change"),
          "holidays and cuti bersama are fixed yearly by a joint decree of ministers",
          data=(DataField("kind", "text", N_("the deadline")), DataField("due", "date", N_("its new due date")),
                DataField("previous_due", "date", N_("its due date before"))), listed=False,
          command="kerjasama deadlines recompute"),
    # Recorded by `kerjasama action add|update`; the activity rows follow these events.
    # The first action plan is drafted with the cooperation plan (regions' practice: Bandung sends both to the DPRD).
    Event("activity_planned", AFTER_LOI + IN_FORCE, None, N_("Activity added to the action plan"),
          "[PRACTICE] each activity has a lead OPD, a year and a budget source",
          data=(DataField("title", "text", N_("what will be done")),
                DataField("lead_opd", "text", N_("the OPD that leads and budgets it")),
                DataField("field", "text", N_("field of cooperation")),
                DataField("layer", "choice", N_("paradiplomacy layer"), choices=LAYERS),
                DataField("fiscal_year", "int", N_("fiscal year"), minimum=2000, maximum=2100),
                DataField("cost", "int", N_("indicative cost in rupiah"), minimum=0, maximum=10**13),
                DataField("budget_source", "choice", N_("who pays"), choices=BUDGET_SOURCES),
                DataField("output", "text", N_("the output")),
                DataField("indicator", "text", N_("how it is measured")),
                DataField("partner_unit", "text", N_("the partner's unit"), required=False)), listed=False,
          command="kerjasama action add"),
    Event("activity_updated", AFTER_LOI + IN_FORCE, None, N_("Action-plan activity updated"),
          "UU 23/2014 Pasal 327 ayat (4)-(5); PP 12/2019 Pasal 90-107, 169 [LAW]",
          data=(DataField("activity", "int", N_("number of the activity"), minimum=1, maximum=100000),
                DataField("status", "choice", N_("proposed (Renja/RKPD), budgeted (APBD/APBD-P) or cancelled"),
                          required=False, choices=("proposed", "budgeted", "cancelled")),
                DataField("fiscal_year", "int", N_("fiscal year"), required=False, minimum=2000, maximum=2100),
                DataField("cost", "int", N_("indicative cost in rupiah"), required=False, minimum=0, maximum=10**13),
                DataField("lead_opd", "text", N_("the OPD that leads it"), required=False),
                DataField("budget_source", "choice", N_("who pays"), required=False, choices=BUDGET_SOURCES)),
          listed=False, command="kerjasama action update"),
    # Recorded by `kerjasama letter issue`, with the letter's number as its document number.
    Event("letter_issued", ACTIVE + ("suspended",), None, N_("Letter issued from the register"),
          "Permendagri 1/2023 (Tata Naskah Dinas) [LAW*]; numbering: archive code of Permendagri 83/2022, "
          "sequence, unit [PRACTICE]",
          data=(DataField("template", "text", N_("the letter template")),
                DataField("hal", "text", N_("the letter's subject"), required=False)), listed=False,
          command="kerjasama letter issue"),
    # Recorded by `kerjasama letter void`: the number stays used, the letter stays kept, and both are shown as void.
    Event("letter_voided", tuple(s.name for s in STATES), None, N_("Issued letter voided; its number stays used"),
          "Permendagri 1/2023 (Tata Naskah Dinas): a number once given is not given again [PRACTICE]",
          needs_note=True, data=(DataField("number", "text", N_("the number of the void letter")),
                                 DataField("year", "int", N_("the year it was issued in"), minimum=1900, maximum=2200),
                                 DataField("template", "text", N_("its template"))),
          listed=False, command="kerjasama letter void"),
    # Recorded by `kerjasama doc add`: a file archived against the case (workflow/documents.py), with the event it
    # proves. The file's SHA-256 is sealed with the event, so that audit verify finds a stored file swapped or gone.
    Event("document_added", tuple(s.name for s in STATES), None, N_("Document archived"),
          "UU 43/2009 (Kearsipan) [LAW*]; records kept authentic and reliable; classification: Permendagri 83/2022 "
          "[PRACTICE]",
          data=(DataField("document_kind", "text", N_("the kind of document")),
                DataField("file_name", "text", N_("the name of the file")),
                DataField("media_type", "text", N_("the media type of the file")),
                DataField("size", "int", N_("its size in bytes"), minimum=1, maximum=2**40),
                DataField("sha256", "text", N_("the SHA-256 of its content")),
                DataField("proves", "int", N_("the number of the event it proves"), required=False, minimum=1,
                          maximum=10**6),
                DataField("dated", "date", N_("the date the document bears"), required=False)),
          listed=False, command="kerjasama doc add"),
    # Recorded by `kerjasama doc publish` (or doc add --public): the public site links the document from now on.
    Event("document_published", tuple(s.name for s in STATES), None, N_("Archived document made public"),
          "UU 14/2008 (Keterbukaan Informasi Publik) [LAW*]; the region's agreements are public information",
          data=(DataField("document", "int", N_("the number of the archived document"), minimum=1, maximum=10**9),
                DataField("sha256", "text", N_("the SHA-256 of its content"))),
          listed=False, command="kerjasama doc publish"),
    # Recorded by `kerjasama doc withdraw`: a document archived by mistake is kept with its hash, but proves nothing and
    # leaves the public site from now on (an archived event cannot be corrected away: its rows are the archive's).
    Event("document_withdrawn", tuple(s.name for s in STATES), None, N_("Archived document withdrawn"),
          "UU 43/2009 (Kearsipan) [LAW*]; a record is kept, a mistake is marked [PRACTICE]", needs_note=True,
          data=(DataField("document", "int", N_("the number of the archived document"), minimum=1, maximum=10**9),
                DataField("sha256", "text", N_("the SHA-256 of its content"))),
          listed=False, command="kerjasama doc withdraw"),
    # Recorded by `kerjasama case assign|reassign` (which check the name and keep the previous owner): the officer who
    # carries the case and receives its reminders from now on (workflow/owners.py). No command= here, so that an
    # assignment made by mistake can be corrected (kerjasama case correct); a closed case is no longer assigned.
    Event("case_assigned", ACTIVE + ("suspended",), None, N_("Case handed to another officer"),
          "[PRACTICE] the bureau's own organisation: staff move on, their cases and reminders stay carried",
          data=(DataField("owner", "text", N_("the officer who carries the case from now on")),
                DataField("previous_owner", "text", N_("the officer who carried it before"), required=False)),
          listed=False),
    # Official trips abroad (perjalanan dinas luar negeri), recorded by `kerjasama trip ...` (workflow/trips.py) with
    # the trip's number; the Trip rows follow these events. Since SE Mensesneg B-32/M/S/LN.00/12/2024 a head of region
    # travels only with the President's permit, requested through the State Secretariat's PDLN system.
    Event("trip_planned", TRIP_STATES, None, N_("Official trip abroad planned"),
          "SE Mensesneg B-32/M/S/LN.00/12/2024 angka 3-4 [LAW*]; Permendagri 59/2019 [LAW*]",
          data=(DataField("purpose", "text", N_("the purpose, a row of the circular's table")),
                DataField("country", "text", N_("the country of destination")),
                DataField("departs_on", "date", N_("the day of departure")),
                DataField("returns_on", "date", N_("the day of return, as planned")),
                DataField("permit_due", "date", N_("the last day to request the President's permit")),
                DataField("delegation", "int", N_("how many travel"), minimum=1, maximum=1000),
                DataField("cap", "int", N_("the most the circular allows for the purpose"), required=False, minimum=1,
                          maximum=1000),
                DataField("working_groups", "int", N_("the meeting's working groups, each adding to the cap"),
                          required=False, minimum=0, maximum=100),
                DataField("activity", "int", N_("number of the action-plan activity the trip serves"), required=False,
                          minimum=1, maximum=100000),
                _HOST_CONFIRMATION,
                DataField("kemlu_recommendation", "text",
                          N_("Kemlu's recommendation, for a country without diplomatic relations"), required=False),
                DataField("cost", "int", N_("indicative cost in rupiah"), required=False, minimum=0, maximum=10**13)),
          listed=False, command="kerjasama trip plan"),
    Event("trip_permit_requested", TRIP_STATES, None,
          N_("The President's permit for the trip requested through the PDLN system"),
          "SE Mensesneg B-32/M/S/LN.00/12/2024 angka 4 [LAW*]", data=(_TRIP, _HOST_CONFIRMATION), listed=False,
          command="kerjasama trip permit"),
    Event("trip_permit_granted", TRIP_STATES, None, N_("The President's permit for the trip granted"),
          "SE Mensesneg B-32/M/S/LN.00/12/2024 angka 4-5 [LAW*]", needs_doc_number=True,
          data=(_TRIP, _HOST_CONFIRMATION), listed=False, command="kerjasama trip permit"),
    Event("trip_returned", TRIP_STATES, None, N_("The delegation returned from the trip"),
          "SE Mensesneg B-32/M/S/LN.00/12/2024 [LAW*]; a report follows the return",
          data=(_TRIP, DataField("trip_report_days", "int", N_("days to report the trip, as the region set them"),
                                 minimum=1, maximum=240),
                DataField("departs_on", "date", N_("the day of departure"), required=False)), listed=False,
          command="kerjasama trip return"),
    Event("trip_report_submitted", TRIP_STATES, None, N_("Trip report submitted"),
          "SE Mensesneg B-32/M/S/LN.00/12/2024 [LAW*]", data=(_TRIP,), listed=False,
          command="kerjasama trip report"),
    Event("trip_cancelled", TRIP_STATES, None, N_("Trip cancelled"),
          "[PRACTICE] a trip not made, or its permit refused", needs_note=True, data=(_TRIP,), listed=False,
          command="kerjasama trip cancel"),
    Event("indicator_added", MEASURED_STATES, None, N_("Indicator of what the agreement brings set"),
          _MEASURE_BASIS, data=(DataField("code", "text", N_("the indicator's code")),
                                DataField("unit", "text", N_("the unit its figures are in")),
                                DataField("name", "text", N_("the bureau's own name for it"), required=False),
                                DataField("activity", "int", N_("number of the action-plan activity it measures"),
                                          required=False, minimum=1, maximum=100000),
                                DataField("baseline", "text", N_("the figure before the agreement"), required=False),
                                DataField("baseline_year", "int", N_("the year of the baseline"), required=False,
                                          minimum=1900, maximum=2200)),
          listed=False, command="kerjasama indicator add"),
    Event("indicator_targets_set", MEASURED_STATES, None, N_("Indicator targets set"), _MEASURE_BASIS,
          data=(_INDICATOR,), listed=False, command="kerjasama indicator target"),
    Event("indicator_measured", MEASURED_STATES, None, N_("Indicator value recorded"), _MEASURE_BASIS,
          data=(_INDICATOR, _YEAR, DataField("value", "text", N_("the figure, as written")),
                DataField("source", "text", N_("where the figure comes from")),
                DataField("document", "text", N_("SHA-256 of the archived document that proves it"),
                          required=False)),
          listed=False, command="kerjasama indicator record"),
    Event("jwg_meeting_set", IN_FORCE, None, N_("The agreement requires Joint Working Group meetings, this often"),
          _OBLIGATION_BASIS, data=(_EVERY, _FIRST_DUE), listed=False, command="kerjasama obligation add"),
    Event("jwg_meeting_held", IN_FORCE, None, N_("Joint Working Group meeting held"), _OBLIGATION_BASIS,
          data=(_EVERY,), listed=False, command="kerjasama obligation met"),
    Event("joint_report_set", IN_FORCE, None, N_("The agreement requires joint reports, this often"),
          _OBLIGATION_BASIS, data=(_EVERY, _FIRST_DUE), listed=False, command="kerjasama obligation add"),
    Event("joint_report_made", IN_FORCE, None, N_("Joint report made"), _OBLIGATION_BASIS, data=(_EVERY,),
          listed=False, command="kerjasama obligation met"),
    Event("poa_review_set", IN_FORCE, None, N_("The agreement requires reviews of the plan of action, this often"),
          _OBLIGATION_BASIS, data=(_EVERY, _FIRST_DUE), listed=False, command="kerjasama obligation add"),
    Event("poa_reviewed", IN_FORCE, None, N_("Plan of action reviewed"), _OBLIGATION_BASIS, data=(_EVERY,),
          listed=False, command="kerjasama obligation met"),
)
EVENT_BY_NAME = {e.name: e for e in EVENTS}

# The dates an import file gives for an agreement (kerjasama import).
IMPORTED_DATES = ("first_contact", "loi_signed", "mou_signed", "partner_signed", "expires", "last_activity", "ended",
                  "status_as_of")  # the last: the day the source describes the status (the only date some give)

# States a case enters "on the way" and later returns from (RETURN destinations), and the states a RETURN
# from each may lead back to: the one it came from, read from the case's history.
RETURNS_TO = {"suspended": ACTIVE, "amendment_in_progress": tuple(s for s in IN_FORCE if s != "amendment_in_progress")}
RETURNING_STATES = tuple(RETURNS_TO)

DEADLINE_RULES = (
    DeadlineRule("dprd_decision", N_("DPRD decision on the cooperation plan"), 45, "working_days",
                 owners=("dprd_review",), opened_by=("dprd_request_received",),
                 met_by=("dprd_approved", "dprd_returned", "dprd_rejected"), lapsed_by=("dprd_deemed_approved",),
                 on_lapse=N_("deemed approval or escalation, per the region's council_silence setting"),
                 basis="PP 28/2018 Pasal 30 ayat (4) [LAW]; counted from the first working day after receipt",
                 timers=("dprd_deemed_approved", "dprd_deadline_lapsed"), timer_next_working_day=True,
                 next_event="dprd_approved",
                 reminders=ReminderSteps(before=("10wd", "3wd"), overdue_every="5wd")),
    DeadlineRule("ministry_reply_followup", N_("Follow up the letter to the ministry"), 30, "days",
                 owners=("pre_loi_consultation", "kemendagri_verification", "interministerial_review",
                         "awaiting_full_powers"),
                 opened_by=("consultation_sent", "plan_submitted_to_kemendagri", "revised_plan_resubmitted",
                            "draft_submitted_to_kemendagri", "full_powers_requested"),
                 met_by=("consultation_cleared", "consultation_objected", "kemendagri_requested_revision",
                         "kemendagri_cleared_for_drafting", "interministerial_revision_requested", "draft_approved",
                         "full_powers_issued"),
                 on_lapse=N_("send a follow-up letter (surat susulan)"),
                 basis="no period in law; engine default [OPEN]", next_event="(the ministry's answer)",
                 reminders=ReminderSteps(overdue_every="10wd")),
    DeadlineRule("loi_to_mou_target", N_("Turn the LoI into an MoU"), 12, "months", owners=AFTER_LOI,
                 opened_by=("loi_signed",), met_by=("agreement_signed",),
                 on_lapse=N_("reminder: the LoI has not become an MoU within a year"), basis="[TEAM]",
                 next_event="agreement_signed",
                 reminders=ReminderSteps(before=("2m",)),
                 imported_in=("loi_signed",), imported_from=("loi_signed",)),
    DeadlineRule("loi_validity", N_("LoI validity"), "loi_validity_months", "months", owners=AFTER_LOI,
                 opened_by=("loi_signed", "loi_renewed"), met_by=("agreement_signed",), lapsed_by=("loi_expired",),
                 on_lapse=N_("the LoI lapses unless both sides renew it"), basis="[TEAM]; length is a region setting",
                 timers=("loi_expired",), timer_setting="loi_lapse", next_event="loi_renewed",
                 reminders=ReminderSteps(before=("6m", "1m")),
                 imported_in=("loi_signed",), imported_from=("loi_signed",)),
    DeadlineRule("signing_report", N_("Report the signing to the Minister"), "signing_report_days", "days",
                 owners=IN_FORCE, opened_by=("agreement_signed",), met_by=("signing_report_sent",),
                 on_lapse=N_("the report to the Minister is late; reminders go on"),
                 basis="PP 28/2018 Pasal 43 ayat (1) [LAW]; period [OPEN]", next_event="signing_report_sent",
                 reminders=ReminderSteps(before=("7d",), overdue_every="7d")),
    DeadlineRule("annual_report", N_("Annual implementation report"), 12, "months", owners=IN_FORCE,
                 opened_by=("agreement_signed", "agreement_renewed", "annual_report_sent"),
                 met_by=("annual_report_sent",),
                 anchor="previous", on_lapse=N_("the report to the Minister is late; reminders go on"),
                 basis="PP 28/2018 Pasal 43 ayat (1) [LAW]; cadence [OPEN]", next_event="annual_report_sent",
                 reminders=ReminderSteps(before=("1m",), overdue_every="14d")),
    DeadlineRule("agreement_expiry", N_("Agreement expires"), "term_years", "years", owners=IN_FORCE,
                 opened_by=("agreement_signed", "extension_signed", "agreement_renewed"), lapsed_by=("term_expired",),
                 anchor="continues",
                 on_lapse=N_("the case becomes expired"), basis="the agreement's text [PRACTICE]",
                 timers=("term_expired",), next_event="extension_proposed",
                 reminders=ReminderSteps(before=("9m", "6m", "3m", "1m")),
                 imported_in=IN_FORCE, imported_from=("mou_signed",), due_given_by="expires",
                 imported_instruments=tuple(i for i in INSTRUMENTS if i != "poa")),
    DeadlineRule("extension_review", N_("Decide on extension (6 months' notice + 3 to prepare)"), -9, "months",
                 owners=IN_FORCE, opened_by=("agreement_signed", "extension_signed", "agreement_renewed"),
                 met_by=("extension_proposed", "extension_not_pursued"), anchor="expiry",
                 on_lapse=N_("too late for the usual 6 months' notice of an extension"),
                 basis="the agreement's text [PRACTICE]", next_event="extension_proposed",
                 reminders=ReminderSteps(before=("1m",), overdue_every="1m"),
                 imported_in=IN_FORCE, imported_from=("mou_signed",)),
    DeadlineRule("termination_notice", N_("Notice period ends"), "notice_months", "months", owners=IN_FORCE,
                 opened_by=("termination_notice_recorded",), met_by=("agreement_terminated",),
                 on_lapse=N_("the agreement ends; running activities finish"), basis="the agreement's text [PRACTICE]",
                 timers=("agreement_terminated",), next_event="agreement_terminated",
                 reminders=ReminderSteps(before=("1m",))),
    # An evaluation's recommendation opens the step it recommends (monitoring and evaluation: UU 23/2014 Pasal 368).
    DeadlineRule("recommended_amendment", N_("Act on the evaluation: propose the amendment"), 60, "days",
                 owners=IN_FORCE, opened_by=("evaluation_recorded",), met_by=("amendment_proposed",),
                 when=("recommendation", "amend"), on_lapse=N_("the recommendation waits; reminders go on"),
                 basis="UU 23/2014 Pasal 368 [LAW]; the agreement's text", next_event="amendment_proposed",
                 reminders=ReminderSteps()),
    DeadlineRule("recommended_extension", N_("Act on the evaluation: propose the extension"), 60, "days",
                 owners=IN_FORCE, opened_by=("evaluation_recorded",), met_by=("extension_proposed",),
                 when=("recommendation", "extend"), on_lapse=N_("the recommendation waits; reminders go on"),
                 basis="UU 23/2014 Pasal 368 [LAW]; the agreement's text", next_event="extension_proposed",
                 reminders=ReminderSteps()),
    DeadlineRule("recommended_termination", N_("Act on the evaluation: give notice of termination"), 60, "days",
                 owners=IN_FORCE, opened_by=("evaluation_recorded",),
                 met_by=("termination_notice_recorded", "agreement_terminated"),
                 when=("recommendation", "terminate"), on_lapse=N_("the recommendation waits; reminders go on"),
                 basis="UU 23/2014 Pasal 368 [LAW]; the agreement's text", next_event="termination_notice_recorded",
                 reminders=ReminderSteps()),
    # A Plan of Action with a validity of its own: when it lapses, the next plan is due; the MoU stays in force.
    DeadlineRule("action_plan_validity", N_("The action plan's validity ends"), None, "days", owners=IN_FORCE,
                 opened_by=("action_plan_adopted",), met_by=("new_action_plan_started",),
                 lapsed_by=("action_plan_lapsed",), due_given_by="expires",
                 imported_in=IN_FORCE, imported_instruments=("poa",),
                 on_lapse=N_("a successor plan is due; the agreement stays in force"),
                 basis="the plan's own text [PRACTICE]", timers=("action_plan_lapsed",),
                 next_event="new_action_plan_started", reminders=ReminderSteps(before=("3m", "1m"))),
    DeadlineRule("successor_plan", N_("Adopt the successor action plan"), 3, "months", owners=IN_FORCE,
                 opened_by=("action_plan_lapsed",), met_by=("new_action_plan_started",),
                 on_lapse=N_("the agreement runs without a plan; reminders go on"),
                 basis="[PRACTICE] an agreement without a plan goes dormant", next_event="new_action_plan_started",
                 reminders=ReminderSteps(before=("1m",), overdue_every="1m")),
    # From the signing on: an agreement signed and never given an action plan goes dormant too, which is how
    # most ties fail.
    DeadlineRule("dormancy", N_("Agreement turns dormant without activity, evaluation or report"),
                 "dormancy_months", "months", owners=IN_FORCE, opened_by=SIGNS_OF_LIFE,
                 lapsed_by=("dormancy_detected",), on_lapse=N_("the case is flagged dormant"),
                 basis="[PRACTICE] ties often lie idle; length is a region setting", timers=("dormancy_detected",),
                 next_event="activity_recorded",
                 reminders=ReminderSteps(before=("1m",), on_due=False),
                 imported_in=("in_force",), imported_from=("last_activity", "mou_signed")),
    # An official trip abroad: the permit request is due some days before departure (a datum the trip's purpose gives,
    # workflow/data/trip_purposes.csv), the report some days after the return. Each kind is open once per case, so a
    # case carries one trip at a time (workflow/trips.py). A cancelled trip owes no permit: cancelling meets it; a
    # return with no request on record lapses it.
    DeadlineRule("trip_permit_request", N_("Request the President's permit for the trip abroad"), None, "days",
                 owners=ACTIVE, opened_by=("trip_planned",),
                 met_by=("trip_permit_requested", "trip_permit_granted", "trip_cancelled"),
                 lapsed_by=("trip_returned",), due_given_by="permit_due",
                 on_lapse=N_("the delegation may not depart without the President's permit"),
                 basis="SE Mensesneg B-32/M/S/LN.00/12/2024 angka 4 [LAW*]; at least 7 days before departure, "
                       "through the State Secretariat's PDLN system",
                 next_event="(kerjasama trip permit TRIP --on DATE)",
                 reminders=ReminderSteps(before=("7d", "3d"), overdue_every="2d")),
    DeadlineRule("trip_report", N_("Report the trip abroad"), "trip_report_days", "days", owners=ACTIVE,
                 opened_by=("trip_returned",), met_by=("trip_report_submitted",),
                 on_lapse=N_("the trip report is late; reminders go on"),
                 basis="SE Mensesneg B-32/M/S/LN.00/12/2024 [LAW*]; two weeks after the return, as news reports quote "
                       "it; length is a region setting",
                 next_event="(kerjasama trip report TRIP --on DATE)",
                 reminders=ReminderSteps(before=("3d",), overdue_every="7d")),
) + tuple(
    # Set: due on the day given; met: due a cadence after the due date it met, whenever it was met.
    DeadlineRule(kind, label, "every_months", "months", owners=IN_FORCE, opened_by=(f"{kind}_set", met),
                 met_by=(met,), anchor="previous", due_given_by="first_due",
                 on_lapse=N_("a duty the agreement puts on the parties is overdue; reminders go on"),
                 basis=_OBLIGATION_BASIS, next_event=f"(kerjasama obligation met REF {kind} --on DATE)",
                 reminders=ReminderSteps(before=("1m", "7d"), overdue_every="14d"))
    for kind, met, label in (("jwg_meeting", "jwg_meeting_held", N_("Joint Working Group meeting due")),
                             ("joint_report", "joint_report_made", N_("Joint report due")),
                             ("poa_review", "poa_reviewed", N_("Review of the plan of action due"))))
# Read by kind and in table order (agreement_expiry before extension_review, which counts from it).
DEADLINE_RULE_BY_KIND = {r.kind: r for r in DEADLINE_RULES}


def stage_of(state: str) -> str:
    """The stage a state belongs to."""
    return STATE_BY_NAME[state].stage


def events_from(state: str) -> list[Event]:
    """Events an officer may record from ``state``, in table order."""
    return [e for e in EVENTS if state in e.sources and e.listed]


def check_table() -> list[str]:
    """Consistency problems of the table itself (used by the tests); empty when sound."""
    problems = []
    known = set(STATE_BY_NAME)
    for event in EVENTS:
        for state in event.sources:
            if state not in known:
                problems.append(f"{event.name}: unknown source {state}")
        if event.dest not in (None, RETURN) and event.dest not in known:
            problems.append(f"{event.name}: unknown destination {event.dest}")
        for guard in event.guards:
            if guard not in GUARD_BY_NAME:
                problems.append(f"{event.name}: unknown guard {guard}")
        if not event.basis:
            problems.append(f"{event.name}: no legal basis")
    for rule in DEADLINE_RULE_BY_KIND.values():
        for name in rule.opened_by + rule.met_by + rule.lapsed_by + rule.timers:
            if name not in EVENT_BY_NAME:
                problems.append(f"{rule.kind}: unknown event {name}")
        if rule.reminders is None:
            problems.append(f"{rule.kind}: no reminder steps")
        if set(rule.imported_instruments) - set(INSTRUMENTS):
            problems.append(f"{rule.kind}: unknown instrument in {rule.imported_instruments}")
        for state in rule.owners + rule.imported_in:
            if state not in known:
                problems.append(f"{rule.kind}: unknown state {state}")
        for column in rule.imported_from + ((rule.due_given_by,) if rule.imported_in and rule.due_given_by else ()):
            if column not in IMPORTED_DATES:
                problems.append(f"{rule.kind}: {column} is not a date of an import file")
    for state in STATES:
        if state.stage not in STAGE_BY_NAME and state.stage != RETURN:
            problems.append(f"{state.name}: unknown stage {state.stage}")
    return problems


@dataclass(frozen=True)
class BudgetWindow:
    """A yearly date of the regional budget cycle by which an activity must be in a budget document."""

    name: str
    date: str  # MM-DD in every year; a region may move it in its config
    label: str
    basis: str


# The yearly budget calendar (Renja/RKPD, PP 12/2019): the reminder job reminds the OPDs of cases whose action plan
# is not yet budgeted.
BUDGET_WINDOWS = (
    BudgetWindow("rkpd_input", "05-31",
                 N_("Renja/RKPD drafting closes: list the activity in the OPD's Renja with the agreement as basis"),
                 "Permendagri 86/2017 [LAW*]; exact dates [OPEN]"),
    BudgetWindow("kua_ppas_submission", "07-14",
                 N_("KUA-PPAS goes to the DPRD: the activity must be within the PPAS ceiling"),
                 "PP 12/2019 Pasal 90 ayat (1) [LAW]"),
    BudgetWindow("kua_ppas_change_submission", "08-07",
                 N_("KUA-PPAS change: the only route to fund a new activity this year (APBD-P)"),
                 "PP 12/2019 Pasal 169 [LAW]"),
    BudgetWindow("kua_ppas_agreement", "08-14", N_("KUA-PPAS agreed with the DPRD: the ceilings are fixed"),
                 "PP 12/2019 Pasal 90 ayat (2) [LAW]"),
    BudgetWindow("apbd_change_decision", "09-30", N_("APBD-P decided: after this only the original APBD is spent"),
                 "PP 12/2019 Pasal 177, 179 [LAW]"),
)
UNBUDGETED_STATES = ("action_plan_drafting", "action_plan_budgeting")
