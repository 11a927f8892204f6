"""Every guard refusal, with the article of law its message names."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from db.models import Case, Event
from dateutil.relativedelta import relativedelta

from tests.helpers import (advance, case_in, count, events_of, get_case, last_event, open_deadline, open_deadlines,
                           open_test_case)
from workflow.errors import EventNotAllowed, InvalidInput, NotEligible
from workflow.region import init_region
from workflow.engine import apply


@pytest.mark.parametrize("overrides,article", [
    ({"country": "IL", "partner_name": "Haifa"}, "Pasal 27 ayat (1) huruf a"),
    ({"country": "TW", "partner_name": "Taichung"}, "Pasal 27 ayat (1) huruf a"),
    ({"country": "ID", "partner_name": "Bukittinggi"}, "PP 28/2018 Pasal 4-22"),
    ({"country": "XX"}, "ISO 3166"),
    ({"partner_type": "province", "partner_name": "Niedersachsen"}, "Pasal 27 ayat (3)"),
    ({"partner_type": "political_party", "partner_name": "Partei"}, "Penjelasan Pasal 36"),
    ({"fields": ["culture", "defence"]}, "UU 23/2014 Pasal 10 ayat (1) huruf b"),
    ({"fields": ["representative_office"]}, "PP 28/2018 Pasal 27 ayat (1) huruf c"),
    ({"fields": ["astrology"]}, "Unknown field astrology"),
], ids=["israel", "taiwan", "domestic", "unknown-country", "unequal-level", "political-party", "excluded-field",
        "representative-office", "unknown-field"])
def test_opening_refuses_an_ineligible_partner(bureau, overrides, article):
    with pytest.raises(NotEligible) as refused:
        open_test_case(bureau, **overrides)
    assert article in str(refused.value)
    assert count(bureau, Case) == 0 and count(bureau, Event) == 0


def test_unequal_level_is_accepted_with_a_recorded_justification(bureau):
    # Padang (city) and Ba Ria-Vung Tau (province) are a real tie: equal territory stands in for status.
    why = "Comparable port economies and territory; Pasal 27 ayat (3) 'dan/atau'"
    ref = open_test_case(bureau, partner_name="Ba Ria-Vung Tau", country="VN", partner_type="province",
                         level_justification=why)
    case, events = get_case(bureau, ref), events_of(bureau, ref)
    assert len(events) == 1
    event = events[0]
    assert case.level_justification == why
    assert (event.name, event.data["level_justification"]) == ("case_opened", why)


def test_an_institution_is_exempt_from_the_level_rule(bureau):
    ref = open_test_case(bureau, partner_name="Universität Hildesheim", partner_type="university")
    assert get_case(bureau, ref).kind == "ksdll"


def test_eligibility_is_checked_again_before_each_submission(bureau):
    ref = case_in(bureau, "exploring")
    init_region(bureau, level="provinsi")  # the database now serves a province: a city partner no longer matches
    with pytest.raises(EventNotAllowed) as refused:
        advance(bureau, ref, "consultation_sent")
    assert "Pasal 27 ayat (3)" in str(refused.value)
    assert "eligibility_failed" in str(refused.value)  # what is allowed now


def test_the_loi_needs_the_advice_of_both_ministries(bureau):
    ref = case_in(bureau, "exploring")
    advance(bureau, ref, "consultation_sent")
    advance(bureau, ref, "consultation_cleared", data={"ministry": "kemendagri"})
    with pytest.raises(EventNotAllowed) as refused:
        advance(bureau, ref, "loi_signed")
    assert "Pasal 28 ayat (4)" in str(refused.value) and "kemlu" in str(refused.value)
    advance(bureau, ref, "consultation_cleared", data={"ministry": "kemlu"})
    assert advance(bureau, ref, "loi_signed").state == "loi_signed"


def test_deemed_approval_waits_for_the_whole_window(bureau):
    ref = case_in(bureau, "dprd_review")
    due = open_deadline(bureau, ref, "dprd_decision").due
    with pytest.raises(EventNotAllowed) as refused:
        advance(bureau, ref, "dprd_deemed_approved", on=due)
    assert "Pasal 30 ayat (4)" in str(refused.value) and "0 working day(s) remain" in str(refused.value)
    outcome = advance(bureau, ref, "dprd_deemed_approved", on=due + timedelta(days=1))
    assert outcome.state == "kemendagri_verification"
    assert [(d.kind, d.status) for d in outcome.closed] == [("dprd_decision", "lapsed")]


def test_a_region_that_escalates_never_deems_approval(bureau):
    init_region(bureau, council_silence="escalate")
    ref = case_in(bureau, "dprd_review")
    late = open_deadline(bureau, ref, "dprd_decision").due + timedelta(days=1)
    with pytest.raises(EventNotAllowed) as refused:
        advance(bureau, ref, "dprd_deemed_approved", on=late)
    assert "council_silence" in str(refused.value) and "dprd_deadline_lapsed" in str(refused.value)
    with pytest.raises(EventNotAllowed, match=r"Pasal 30 ayat \(4\)"):
        advance(bureau, ref, "dprd_deadline_lapsed", on=late - timedelta(days=1))
    assert advance(bureau, ref, "dprd_deadline_lapsed", on=late).state == "dprd_review"


def test_signing_needs_dprd_approval_confirmation_and_full_powers(bureau):
    # A case entered directly in ready_to_sign (as an import would), without those events in its history.
    ref = open_test_case(bureau)
    with bureau.db.session() as s:
        case = s.get(Case, get_case(bureau, ref).id)
        case.state = "ready_to_sign"
        s.add(case)
        s.commit()
    with pytest.raises(EventNotAllowed) as refused:
        advance(bureau, ref, "agreement_signed")
    message = str(refused.value)
    for article in ("UU 23/2014 Pasal 367 ayat (2)", "Pasal 30 ayat (1)", "Pasal 33 ayat (3)-(4)",
                    "UU 24/2000 Pasal 7"):
        assert article in message


def test_a_revised_plan_skips_the_dprd_only_if_the_dprd_approved_it(bureau):
    ref = case_in(bureau, "plan_drafting")
    with pytest.raises(EventNotAllowed) as refused:
        advance(bureau, ref, "revised_plan_resubmitted")
    assert "Pasal 31 ayat (1)" in str(refused.value)


def test_loi_lapse_term_end_and_dormancy_wait_for_their_dates(bureau):
    loi = case_in(bureau, "loi_signed")
    valid_until = open_deadline(bureau, loi, "loi_validity").due
    with pytest.raises(EventNotAllowed, match="the LoI is valid until"):
        advance(bureau, loi, "loi_expired", on=valid_until - timedelta(days=1))
    assert advance(bureau, loi, "loi_expired", on=valid_until).state == "expired"

    signed = case_in(bureau, "in_force")
    with pytest.raises(EventNotAllowed, match="its term has not ended"):
        advance(bureau, signed, "term_expired", on=date(2015, 1, 5))
    dormant_from = last_event(bureau, signed).occurred_on + relativedelta(months=12)
    with pytest.raises(EventNotAllowed, match="dormancy period of 12 month"):
        advance(bureau, signed, "dormancy_detected", on=dormant_from - timedelta(days=1))
    assert advance(bureau, signed, "dormancy_detected", on=dormant_from).state == "dormant"


def test_events_that_need_a_note_a_document_or_data_say_so(bureau):
    ref = case_in(bureau, "kemlu_negotiation")
    with pytest.raises(InvalidInput, match="needs --doc-number"):
        advance(bureau, ref, "confirmation_received", doc_number="")
    with pytest.raises(InvalidInput, match="needs --note"):
        advance(bureau, ref, "partner_declined", note=" ")
    with pytest.raises(InvalidInput, match="needs --set end_kind=VALUE"):
        advance(bureau, case_in(bureau, "in_force"), "agreement_ended", note="programme closed", data={})
    ready = case_in(bureau, "ready_to_sign")
    with pytest.raises(InvalidInput, match="term_years=99 is not allowed; give a whole number from 0 to 30"):
        advance(bureau, ready, "agreement_signed", data={"term_years": "99"})
    with pytest.raises(InvalidInput, match="takes no datum colour"):
        advance(bureau, ready, "agreement_signed", data={"term_years": "5", "colour": "red"})


def test_refusals_write_nothing(bureau):
    ref = case_in(bureau, "dprd_review")
    before = (count(bureau, Event), get_case(bureau, ref).version)
    for event, kwargs in [("dprd_deemed_approved", {"on": date(2013, 3, 1)}), ("agreement_signed", {}),
                          ("dprd_rejected", {"note": ""})]:
        with pytest.raises((EventNotAllowed, InvalidInput)):
            apply(bureau, ref, event, actor="tester", on=kwargs.get("on", date(2014, 1, 6)),
                  note=kwargs.get("note"))
    assert (count(bureau, Event), get_case(bureau, ref).version) == before


def test_a_signing_whose_term_no_source_states_opens_no_expiry(bureau):
    ready = case_in(bureau, "ready_to_sign")
    advance(bureau, ready, "agreement_signed", data={})
    assert "agreement_expiry" not in {d.kind for d in open_deadlines(bureau, ready)}


def test_an_expiry_the_text_names_is_the_due_date(bureau):
    ready = case_in(bureau, "ready_to_sign")
    advance(bureau, ready, "agreement_signed", data={"term_years": "5", "expires": "2019-03-31"})
    assert open_deadline(bureau, ready, "agreement_expiry").due == date(2019, 3, 31)
