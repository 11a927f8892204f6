"""Real lifecycles on the CLI, with the dates public sources give: a renewal after the term lapsed, a tie known
only to the year, dates that sources disagree on, a partner signing on another day, an open-ended MoU, a tie of
the past that today's rules would refuse, a revival linked to the tie it takes up, a tie renewed every five years,
a Plan of Action lapsing under its umbrella, and an LoI signed after the agreement.

Sources (tests/data/real-agreements.csv has each with its URL): Surabaya - Liverpool MoU of 19 March 2018 and the
Liverpool City Region MoU of March 2024 ("second five-year period"); Bandung - Braunschweig, signed in
Braunschweig on 24 May 1960 and by the Mayor of Bandung on 2 June 1960, first contacts in 1955; Bandung - Suwon,
25 August 1997 by Suwon's site and 27 August 1997 by a Bandung blog; Kabupaten Sidoarjo - Jinan, friendly
contacts since 2008, LoI April 2010, agreement September 2012; Padang - Fremantle, a friendship tie since 1996
(1997 by the Mayor of Padang) taken up again in 2017; Ambon - Darwin, signed 28 October 1988 in Ambon and
21 July 1989 in Darwin; DKI Jakarta - Moscow, sister cities since 2007, the 2017-2019 programme signed in August
2017 and the 2020-2022 one in December 2019; DI Yogyakarta - Kyoto Prefecture, 16 July 1985, renewed every five
years, reaffirmed 20 October 2010 and 27 August 2015; DI Yogyakarta - Gyeongsangbuk-do, agreement of
24 February 2005 and an LoI of 1 September 2015. Where only the year of earlier steps is known, they are recorded
so. The open-ended MoU and the DPRD's fields run on the sample case's dates: no source found states either.
"""
from __future__ import annotations


from tests.helpers import json_of
from tests.helpers import HAPPY_PATH, args_for, carry, open_case

HEADER = ("ref,title,partner,country,partner_type,fields,first_contact,loi_signed,mou_signed,partner_signed,"
          "term_years,expires,status,ended,end_kind,renews,revives,level_justification,source\n")


def imported(run, tmp_path, *rows: str) -> dict:
    path = tmp_path / "register.csv"
    path.write_text(HEADER + "".join(rows))
    run("import", str(path))
    return {row["ref"]: row for row in json_of(run("register", "--json").stdout)}


def test_a_renewal_signed_after_the_term_lapsed_leaves_the_gap_in_the_history(run, tmp_path):
    register = imported(run, tmp_path, "KS-2018-0001,Sister city Surabaya - Liverpool,Liverpool,GB,city,"
                        "culture;education;trade_investment;youth_sports,,,2018-03-19,,5,,expired,2023-03-19,"
                        "expired,,,,kampungberita.id 2018-03-19\n")
    assert (register["KS-2018-0001"]["status"], register["KS-2018-0001"]["expiry"]) == ("expired", "2023-03-19")
    run("case", "advance", "KS-2018-0001", "agreement_renewed", "--on", "2024-03-19", "--set", "term_years=5",
        "--doc-number", "MoU Liverpool City Region 2024")
    shown = json_of(run("case", "show", "KS-2018-0001", "--on", "2024-03-20", "--json").stdout)
    assert shown["state"] == "in_force"
    assert {d["kind"]: d["due"] for d in shown["deadlines"]}["agreement_expiry"] == "2029-03-19"  # from the signing
    history = json_of(run("case", "history", "KS-2018-0001", "--json").stdout)["events"]
    assert [(e["event"], e["to"], e["on"]) for e in history] == [
        ("imported", "expired", "2023-03-19"), ("agreement_renewed", "in_force", "2024-03-19")]
    assert json_of(run("register", "--json").stdout)[0]["status"] == "active"
    as_of = {on: [(r["status"], r["expiry"]) for r in json_of(run("register", "--on", on, "--json").stdout)]
             for on in ("2023-06-01", "2024-06-01")}
    assert as_of == {"2023-06-01": [("expired", "2023-03-19")], "2024-06-01": [("active", "2029-03-19")]}


def test_a_tie_of_1960_with_its_partners_signature_first_contact_and_an_unknown_term(run, tmp_path):
    row = imported(run, tmp_path, ",Sister city Bandung - Braunschweig,Braunschweig,DE,city,"
                   "trade_investment;tourism;education;culture;youth_sports,1955,,1960-06-02,1960-05-24,,,active,,,,,,"
                   "braunschweig.de\n")
    [(ref, tie)] = row.items()
    assert ref == "KS-1955-0001"  # opened on the first fact known, the contacts of 1955
    assert (tie["signed_on"], tie["term"], tie["expiry"], tie["status"]) == ("1960-06-02", "unknown", None, "active")
    history = json_of(run("case", "history", ref, "--json").stdout)["events"]
    assert history[0]["data"]["partner_signed"] == "1960-05-24" and history[0]["data"]["first_contact"] == "1955"
    assert history[0]["data"]["precision"]["first_contact"] == "year"


def test_dates_sources_disagree_on_are_kept_with_their_sources(run, tmp_path):
    [tie] = imported(run, tmp_path, ",Sister city Bandung - Suwon,Suwon,KR,city,education;culture,,,"
                     "1997-08-25 (swcic.or.kr); 1997-08-27 (bandungdailyphotos),,,,active,,,,,,swcic.or.kr\n").values()
    assert tie["signed_on"] == "1997-08-25"
    assert tie["alternatives"] == {"mou_signed": [{"date": "1997-08-25", "source": "swcic.or.kr"},
                                                  {"date": "1997-08-27", "source": "bandungdailyphotos"}]}
    assert any("sources disagree on mou_signed" in flag for flag in tie["flags"])


def test_a_tie_todays_rules_would_refuse_is_recorded_with_the_rule_named(run, tmp_path):
    """A Kabupaten tied to a prefecture-level city, with no written justification on record: a new case is refused
    (Pasal 27 ayat (3)); the tie of 2012 is recorded, flagged."""
    run("init", "--name", "Kabupaten Sidoarjo", "--level", "kabupaten", "--province", "Jawa Timur")
    [tie] = imported(run, tmp_path, ",Friendship Sidoarjo - Jinan,Jinan,CN,province,education;youth_sports,2008,"
                     "2010-04,2012-09,,,,active,,,,,,english.jinan.gov.cn 2018-12-14\n").values()
    assert tie["status"] == "active" and tie["signed_on"] == "2012-09"
    assert any("Pasal 27 ayat (3)" in flag for flag in tie["flags"])
    refused = run("case", "open", "--title", "Sidoarjo - Jinan", "--partner", "Jinan 2", "--country", "CN",
                  "--partner-type", "province", "--field", "education", ok=False)
    assert refused.exit_code == 1 and "Pasal 27 ayat (3)" in refused.output


def test_a_case_opened_on_a_year_and_a_revival_linked_both_ways(run, tmp_path):
    """Padang - Fremantle: a friendship tie since 1996, dormant for twenty years, taken up again in 2017 (an LoI of
    3 May 2017; Liputan6, andalaspos)."""
    imported(run, tmp_path, "KS-1996-0001,Friendship Padang - Fremantle,Fremantle,AU,city,,,,1996,,,,dormant,,,,,,"
             "liputan6.com 2017-05-08\n")
    revival = run("case", "open", "--title", "Sister city Padang - Fremantle", "--partner", "Fremantle", "--country",
                  "AU", "--partner-type", "city", "--field", "tourism", "--field", "culture", "--on", "2017",
                  "--revives", "KS-1996-0001").stdout
    ref = revival.strip()
    history = json_of(run("case", "history", ref, "--json").stdout)["events"]
    assert (history[0]["on"], history[0]["data"]["revives"]) == ("2017", "KS-1996-0001")
    assert "2017 " in run("case", "history", ref).stdout
    old = next(r for r in json_of(run("register", "--json").stdout) if r["ref"] == "KS-1996-0001")
    assert (old["status"], old["fields"], old["revived_by"]) == ("dormant", None, [ref])  # both ends; fields unknown


def test_a_tie_renewed_every_five_years_on_the_cli(run, tmp_path):
    """DI Yogyakarta - Kyoto Prefecture: signed 16 July 1985, "renewed every five years", reaffirmed on
    20 October 2010 and 27 August 2015 (Kyoto Prefecture, Republika, kumparan)."""
    run("init", "--name", "Provinsi DI Yogyakarta", "--level", "provinsi")
    path = tmp_path / "kyoto.csv"
    path.write_text(
        "ref,title,partner,country,partner_type,fields,mou_signed,renewal_every,status,end_kind,renews,source\n"
        "KS-1985-0001,Sister province DIY - Kyoto,Kyoto Prefecture,JP,province,culture,1985-07-16,5,active,,,"
        "pref.kyoto.jp\n"
        "KS-2010-0001,Reaffirmation DIY - Kyoto,Kyoto Prefecture,JP,province,culture,2010-10-20,,ended,superseded,"
        "KS-1985-0001,republika.co.id\n"
        "KS-2015-0001,Reaffirmation DIY - Kyoto,Kyoto Prefecture,JP,province,culture,2015-08-27,,active,,"
        "KS-2010-0001,jogjaprov.go.id\n")
    run("import", str(path))
    register = {r["ref"]: r for r in json_of(run("register", "--json").stdout)}
    assert register["KS-1985-0001"]["renewed_by"] == ["KS-2010-0001"]
    assert register["KS-2010-0001"]["renewed_by"] == ["KS-2015-0001"]
    assert [(p["due"], p["documented_by"]) for p in register["KS-1985-0001"]["renewals"]] == [
        ("1990-07-16", None), ("1995-07-16", None), ("2000-07-16", None), ("2005-07-16", None),
        ("2010-07-16", "KS-2010-0001"), ("2015-07-16", "KS-2015-0001"), ("2020-07-16", None), ("2025-07-16", None)]


def test_an_open_ended_mou_has_no_expiry_and_cannot_expire(run):
    ref = open_case(run)
    carry(run, ref, [event for event, _ in HAPPY_PATH[:HAPPY_PATH.index(("agreement_signed", "action_plan_drafting"))]])
    run("case", "advance", ref, "agreement_signed", "--on", "2014-12-01", "--set", "term_years=0", "--as", "siti")
    shown = json_of(run("case", "show", ref, "--json").stdout)
    assert not {"agreement_expiry", "extension_review"} & {d["kind"] for d in shown["deadlines"]}
    refused = run("case", "advance", ref, "term_expired", ok=False)
    assert refused.exit_code == 1 and "no end date" in refused.output


def test_a_tie_signed_on_two_days_with_its_earlier_steps_known_only_to_the_year(run):
    run("init", "--name", "Kota Ambon", "--level", "kota", "--province", "Maluku")
    ref = run("case", "open", "--title", "Sister city Ambon - Darwin", "--partner", "Darwin", "--country", "AU",
              "--partner-type", "city", "--field", "culture", "--field", "tourism", "--on", "1988").stdout.strip()
    before_signing = [event for event, _ in HAPPY_PATH[:HAPPY_PATH.index(("agreement_signed", "action_plan_drafting"))]]
    for event in before_signing:
        run("case", "advance", ref, event, "--on", "1988", "--as", "siti", *args_for(event))
    run("case", "advance", ref, "agreement_signed", "--on", "1988-10-28", "--set", "partner_signed=1989-07-21",
        "--as", "siti")
    run("case", "advance", ref, "originals_exchanged", "--on", "1989-07-21", "--as", "siti")
    history = json_of(run("case", "history", ref, "--json").stdout)["events"]
    assert history[1]["on"] == "1988" and history[1]["data"]["on_precision"] == "year"
    signed = next(e for e in history if e["event"] == "agreement_signed")
    assert (signed["on"], signed["data"]["partner_signed"]) == ("1988-10-28", "1989-07-21")
    assert history[-1]["event"] == "originals_exchanged"
    shown = json_of(run("case", "show", ref, "--json").stdout)
    assert "agreement_expiry" not in {d["kind"] for d in shown["deadlines"]}  # no term on record


def test_a_plan_of_action_lapses_under_its_umbrella_and_the_next_one_is_due(run, tmp_path):
    run("init", "--name", "Provinsi DKI Jakarta", "--level", "provinsi")
    [(umbrella, _tie)] = imported(run, tmp_path, "KS-2007-0001,Sister city Jakarta - Moscow,Moscow,RU,province,"
                                  "culture;trade_investment,,,2007,,,,active,,,,,,beritajakarta.id\n").items()
    for plan, adopted, expires in (("2017-2019", "2017-08", "2019-12-31"), ("2020-2022", "2019-12", "2022-12-31")):
        run("case", "advance", umbrella, "new_action_plan_started", "--on", adopted, "--as", "siti")
        run("action", "add", umbrella, "--title", f"Cooperation programme {plan}", "--lead-opd", "Biro KDH-KLN",
            "--field", "culture", "--layer", "multidimensional", "--year", plan[:4], "--cost", "0", "--source",
            "other", "--output", "programme", "--indicator", "activities held", "--on", adopted, "--as", "siti")
        run("case", "advance", umbrella, "action_plan_adopted", "--on", adopted, "--set", f"expires={expires}",
            "--as", "siti")
    run("remind", "--now", "2023-01-02")
    history = json_of(run("case", "history", umbrella, "--json").stdout)["events"]
    lapsed = [e for e in history if e["event"] == "action_plan_lapsed"]
    assert [(e["on"], e["on_behalf_of"]) for e in lapsed] == [("2022-12-31", "scheduler")]  # the 2017 plan was met
    shown = json_of(run("case", "show", umbrella, "--on", "2023-01-02", "--json").stdout)
    assert {d["kind"]: d["due"] for d in shown["deadlines"]}["successor_plan"] == "2023-03-31"
    assert shown["state"] in ("action_plan_budgeting", "in_force", "dormant")  # the MoU stays in force


def test_an_loi_signed_after_the_agreement_is_recorded_and_flagged(run, tmp_path):
    run("init", "--name", "Provinsi DI Yogyakarta", "--level", "provinsi")
    [ref] = imported(run, tmp_path, ",Sister province DIY - Gyeongsangbuk-do,Gyeongsangbuk-do,KR,province,"
                     "culture;education,,,2005-02-24,,,,active,,,,,,jogjadaily.com\n")
    run("case", "advance", ref, "late_loi_signed", "--on", "2015-09-01", "--as", "siti")
    shown = json_of(run("case", "show", ref, "--json").stdout)
    assert any("2015-09-01, after the agreement" in flag and "Pasal 28" in flag for flag in shown["flags"])
    assert "Flag: an LoI was signed on 2015-09-01" in run("--lang", "en", "case", "show", ref).stdout


def test_fields_the_dprd_approved_that_differ_from_the_signed_ones_are_flagged(run):
    ref = open_case(run)
    steps = [event for event, _ in HAPPY_PATH[:HAPPY_PATH.index(("agreement_signed", "action_plan_drafting"))]]
    for n, event in enumerate(steps):
        extra = ["--set", "fields=culture;education"] if event == "dprd_approved" else []
        run("case", "advance", ref, event, "--on", f"2014-01-{n + 1:02d}", "--as", "siti", *args_for(event), *extra)
    run("case", "advance", ref, "agreement_signed", "--on", "2014-03-03", "--set", "term_years=5",
        "--set", "fields=culture;tourism", "--as", "siti")
    flags = json_of(run("case", "show", ref, "--json").stdout)["flags"]
    assert flags == ["the fields the DPRD approved (culture, education) differ from those signed (culture, tourism)"]


def test_a_day_sources_disagree_on_is_recorded_with_the_other(run):
    """Padang - Fremantle: a friendship tie "since 1996" by KJRI Perth (Liputan6), "since 1997" by the Mayor of
    Padang (andalaspos)."""
    ref = run("case", "open", "--title", "Friendship Padang - Fremantle", "--partner", "Fremantle", "--country", "AU",
              "--partner-type", "city", "--field", "tourism", "--on", "1996", "--also-dated",
              "1997 (andalaspos, Mayor of Padang)").stdout.strip()
    flags = json_of(run("case", "show", ref, "--json").stdout)["flags"]
    assert flags == ["sources disagree on the day of case_opened: 1996; 1997 (andalaspos, Mayor of Padang)"]
    refused = run("case", "advance", ref, "exploration_started", "--also-dated", "last week", ok=False)
    assert refused.exit_code == 2 and "is not a date with its source" in refused.output


def test_a_tie_of_the_past_is_back_filled_on_the_cli_with_the_rule_it_breaks_flagged(run):
    """Jawa Barat - New Taipei City, MoU of 26 March 2019 (a diaspora news site): Indonesia does not recognise
    Taiwan as a state, so a new case is refused; the tie of 2019 is recorded, flagged."""
    run("init", "--name", "Provinsi Jawa Barat", "--level", "provinsi")
    opening = ["case", "open", "--title", "Jawa Barat - New Taipei City", "--partner", "New Taipei City", "--country",
               "TW", "--partner-type", "province", "--field", "education"]
    refused = run(*opening, ok=False)
    assert refused.exit_code == 1 and "Pasal 27 ayat (1) huruf a" in refused.output
    assert run(*opening, "--record-past", ok=False).exit_code == 2  # a back-filled tie has its day
    ref = run(*opening, "--record-past", "--on", "2019-03-26").stdout.strip()
    flags = json_of(run("case", "show", ref, "--json").stdout)["flags"]
    assert len(flags) == 1 and "Pasal 27 ayat (1) huruf a" in flags[0]
    unknown_fields = run(*opening[:-2], "--record-past", "--on", "2019").stdout.strip()
    history = json_of(run("case", "history", unknown_fields, "--json").stdout)["events"]
    assert (history[0]["data"]["fields"], history[0]["data"]["fields_unknown"]) == ([], True)
    assert "UU 23/2014 Pasal 367" in run(*opening[:-2], ok=False).output  # a new case names its fields
