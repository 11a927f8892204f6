"""The words officers type: every code has an Indonesian name, each name stands for one code, matching forgives case,
accents and separators, and a word that matches nothing is answered with the closest names."""
from __future__ import annotations

import pytest

from workflow import documents, eligibility, procedure
from workflow.i18n import set_language
from workflow.vocabulary import WHAT, NotAWord, _names, codes, completions, name, resolve, shown_datum, suggestions

# The codes each vocabulary must name, from the tables that define them.
DEFINED = {
    "event": {e.name for e in procedure.EVENTS + (procedure.CASE_OPENED, procedure.IMPORTED, procedure.CORRECTED)},
    "field": set(eligibility.fields()),
    "partner_type": set(eligibility.PARTNER_TYPES),
    "layer": set(procedure.LAYERS),
    "budget_source": set(procedure.BUDGET_SOURCES),
    "activity_status": set(procedure.NEXT_ACTIVITY_STATUS),
    "evaluation_kind": set(procedure.EVALUATION_KINDS),
    "recommendation": set(procedure.RECOMMENDATIONS),
    "agreement_status": set(procedure.AGREEMENT_STATUSES),
    "stage": {s.name for s in procedure.STAGES},
    "state": {s.name for s in procedure.STATES},
    "deadline": {r.kind for r in procedure.DEADLINE_RULES},
    "council_silence": set(procedure.COUNCIL_SILENCE),
    "reason": set(procedure.INELIGIBILITY_REASONS),
    "end_kind": set(procedure.END_KINDS),
    "instrument": set(procedure.INSTRUMENTS),
    "datum": {f.name for e in procedure.EVENTS for f in e.data},
    "document_kind": set(documents.kinds()),
    "obligation": set(procedure.OBLIGATION_MET),
}


@pytest.fixture(params=["id", "en"])
def language(request):
    set_language(request.param, chosen=True)
    yield request.param
    set_language("en", chosen=True)


@pytest.mark.parametrize("vocabulary", sorted(DEFINED))
def test_every_code_has_an_indonesian_name(vocabulary):
    named = set(_names()[vocabulary])
    assert DEFINED[vocabulary] - named == set()
    assert vocabulary in WHAT


@pytest.mark.parametrize("vocabulary", sorted(set(_names())))
def test_each_code_and_each_name_stands_for_its_own_code_in_either_language(vocabulary, language):
    for code, (indonesian, also) in _names()[vocabulary].items():
        for word in (code, indonesian) + also:
            assert resolve(vocabulary, word) == code, (vocabulary, word)


@pytest.mark.parametrize("vocabulary,typed,code", [
    ("field", "BUDAYA", "culture"), ("field", "Pendidikan", "education"), ("field", "cultural exchange", "culture"),
    ("field", "Pertukaran-Budaya", "culture"), ("partner_type", "kota", "city"),
    ("partner_type", "Provinsi", "province"),
    ("event", "Surat DPRD diterima", "dprd_request_received"), ("event", "penjajakan dimulai", "exploration_started"),
    ("event", "DPRD_APPROVED", "dprd_approved"), ("country", "Jepang", "JP"), ("country", "japan", "JP"),
    ("country", "jp", "JP"), ("country", "Korea Selatan", "KR"), ("country", "Türkiye", "TR"),
    ("country", "turkiye", "TR"), ("layer", "ekonomi", "economic"), ("recommendation", "perpanjang", "extend"),
])
def test_matching_ignores_case_accents_and_separators(vocabulary, typed, code, language):
    assert resolve(vocabulary, typed) == code


def test_a_word_that_matches_nothing_gets_the_closest_names_in_the_officers_language(language):
    with pytest.raises(NotAWord) as refused:
        resolve("field", "pendidikn")
    assert ("Did you mean" if language == "en" else "Mungkin maksud Anda") in str(refused.value)
    assert ("education" if language == "en" else "pendidikan") in str(refused.value)
    assert suggestions("country", "Jepan")[0] == ("Japan" if language == "en" else "Jepang")
    assert suggestions("partner_type", "kot" if language == "id" else "cit") == ["kota" if language == "id" else "city"]


def test_a_short_vocabulary_lists_what_is_allowed_when_nothing_is_close():
    set_language("id", chosen=True)
    try:
        with pytest.raises(NotAWord) as refused:
            resolve("layer", "xyz")
        assert "ekonomi, multidimensi, politik" in str(refused.value)
    finally:
        set_language("en", chosen=True)


def test_names_are_shown_in_the_officers_language_and_codes_in_english():
    set_language("id", chosen=True)
    try:
        assert name("event", "dprd_request_received") == "permohonan_dprd_diterima"
        assert name("country", "DE") == "Jerman"
        assert shown_datum("fields", ["culture", "education"]) == "budaya, pendidikan"
        assert shown_datum("fields", "culture;tidak dikenal") == "budaya, tidak dikenal"  # kept as written
        assert shown_datum("partner_type", "city") == "kota"
        assert shown_datum("alternatives", [{"date": "2001-05", "source": "city site"}]) == "2001-05 city site"
    finally:
        set_language("en", chosen=True)
    assert name("event", "dprd_request_received") == "dprd_request_received"
    assert shown_datum("fields", ["culture", "education"]) == "culture, education"


def test_completion_offers_names_in_the_officers_language_and_codes_begun():
    set_language("id", chosen=True)
    try:
        assert [w for w, _ in completions("partner_type", "ko")] == ["kota"]
        assert [w for w, _ in completions("partner_type", "ci")] == ["city"]
        offered = completions("event", "dprd_", among=("dprd_approved", "loi_signed"))
        assert [word for word, _label in offered] == ["dprd_menyetujui"]
        assert len(codes("field")) == len(eligibility.fields())
    finally:
        set_language("en", chosen=True)
