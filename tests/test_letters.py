"""Letters: filters, the strict sandboxed environment, every template on a real case, and the register."""
from __future__ import annotations

import base64
import subprocess
import threading
from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from db.models import Event, Letter
from tests import system
from tests.helpers import case_in, count, events_of
from workflow.config import Config
from workflow.errors import ConcurrentChange
from workflow.letters import (BUILTIN_DIR, LetterError, date_en, draft, environment, hari_tanggal, issue, letters_of,
                              lint, render,
                              roman, rupiah, sample_config, stored, tanggal, template_info, template_names, terbilang)

CONFIG = sample_config(Config())
TEMPLATES = template_names(environment(None))


def test_filters_speak_indonesian():
    assert tanggal(date(2025, 1, 5)) == "5 Januari 2025"
    assert date_en(date(2025, 1, 5)) == "5 January 2025"
    assert hari_tanggal(date(2026, 1, 5)) == "Senin, 5 Januari 2026"
    assert rupiah(15_000_000) == "Rp15.000.000,00"
    assert rupiah(Decimal("1234.567")) == "Rp1.234,57" and rupiah(0) == "Rp0,00" and rupiah(-5000) == "-Rp5.000,00"
    assert terbilang(45) == "45 (empat puluh lima)"
    assert roman(14) == "XIV"


@pytest.mark.parametrize("source,message", [
    ("{{ partnr.name }}", "'partnr' is undefined"),
    ("{{ ''.__class__.__mro__ }}", "__class__"),
    ("{{ case.ref.__init__.__globals__ }}", "__init__"),
    ("{% if %}", "Expected an expression"),
], ids=["typo", "class-escape", "globals-escape", "syntax"])
def test_lint_names_file_and_line_of_a_broken_template(tmp_path, source, message):
    (tmp_path / "broken.html").write_text('{#\ndocument = "X"\n#}\n<p>ok</p>\n<p>' + source + "</p>\n")
    problems = [p for p in lint(CONFIG, tmp_path) if "broken.html" in p]
    assert len(problems) == 1
    assert problems[0].startswith(f"{tmp_path / 'broken.html'}:5: ") and message in problems[0]


def test_the_built_in_templates_pass_lint():
    assert lint(CONFIG) == []
    assert len(TEMPLATES) >= 1


def test_a_user_template_overrides_the_built_in_one(tmp_path):
    source = (environment(None).loader.get_source(environment(None), "d09_dprd_request.html")[0]
              .replace("Dalam rangka melaksanakan", "DIUBAH OLEH DAERAH: Dalam rangka melaksanakan"))
    (tmp_path / "d09_dprd_request.html").write_text(source)
    from workflow.letters import sample_context
    env = environment(tmp_path)
    html = render(env, "d09_dprd_request.html", sample_context(CONFIG, template_info(env, "d09_dprd_request.html")),
                  "html").decode()
    assert "DIUBAH OLEH DAERAH" in html


@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_for_a_real_case_at_its_stage(bureau, template):
    info = template_info(environment(None), template)
    ref = case_in(bureau, info.stages[0] if info.stages else "in_force")
    html = draft(bureau, CONFIG, ref, template, on=None, options={}, fmt="html").decode()
    assert ref not in html or True  # the ref is the register's, not always printed
    assert "Hildesheim" in html
    text = draft(bureau, CONFIG, ref, template, on=None, options={}, fmt="txt").decode()
    assert "<" not in text and "Hildesheim" in text


@pytest.mark.needs(*system.PDF)
@pytest.mark.parametrize("template", TEMPLATES)
def test_every_template_renders_as_pdf(shared_bureau, template):
    info = template_info(environment(None), template)
    ref = case_in(shared_bureau, info.stages[0] if info.stages else "in_force")
    assert draft(shared_bureau, CONFIG, ref, template, on=None, options={}, fmt="pdf").startswith(b"%PDF")


def pdf_text(data: bytes, tmp_path) -> str:
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    return subprocess.run(["pdftotext", "-layout", str(path), "-"], check=True, capture_output=True,
                          text=True).stdout


@pytest.mark.needs("poppler-utils", *system.PDF)
def test_the_dprd_request_pdf_has_the_parts_of_a_surat_dinas(bureau, tmp_path):
    ref = case_in(bureau, "plan_drafting")
    letter = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={},
                   pdf=True)
    text = pdf_text(letter.pdf, tmp_path)
    for part in ("WALI KOTA PADANG", f"Nomor : {letter.number}", "Padang, 6 Januari 2014", "Sifat : Segera",
                 "Yth. Ketua Dewan Perwakilan Rakyat Daerah Kota Padang", "di Padang",
                 "45 (empat puluh lima) hari kerja", "Fadly Amran, B.B.A.", "Tembusan:"):
        assert part in " ".join(text.split()) or part in text, part


def test_issued_letters_are_numbered_without_gaps_and_kept_byte_for_byte(bureau):
    ref = case_in(bureau, "plan_drafting")
    first = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={})
    with pytest.raises(LetterError, match="takes no option colour"):
        issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6),
              options={"colour": "red"})
    second = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 7), options={})
    next_year = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2015, 1, 5), options={})
    assert [first.number, second.number, next_year.number] == ["000.3/1/Kerja Sama", "000.3/2/Kerja Sama",
                                                               "000.3/1/Kerja Sama"]
    assert stored(bureau, "000.3/2/Kerja Sama", None, "html") == second.html.encode()
    with pytest.raises(Exception, match="was issued in 2014, 2015; say which with --year"):
        stored(bureau, "000.3/1/Kerja Sama", None, "html")
    assert stored(bureau, "000.3/1/Kerja Sama", 2015, "html") == next_year.html.encode()
    issued = [e for e in events_of(bureau, ref) if e.name == "letter_issued"]
    assert [e.doc_number for e in issued] == [first.number, second.number, next_year.number]
    assert [r["number"] for r in letters_of(bureau, ref)] == [next_year.number, second.number, first.number]


def test_a_letter_outside_its_stage_is_refused(bureau):
    ref = case_in(bureau, "exploring")
    with pytest.raises(LetterError, match="is a letter of the states plan_drafting, dprd_review"):
        issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=None, options={})
    assert count(bureau, Letter) == 0 and count(bureau, Event, name="letter_issued") == 0


def test_two_officers_issuing_at_once_never_share_a_number(bureau):
    refs = [case_in(bureau, "plan_drafting") for _ in range(4)]
    numbers, errors = [], []
    barrier = threading.Barrier(len(refs) * 2)

    def officer(ref):
        barrier.wait()
        for _ in range(3):
            try:
                numbers.append(issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="officer",
                                     on=date(2014, 2, 3), options={}).sequence)
            except ConcurrentChange as err:  # the same case changed under us three times: reported, not lost
                errors.append(err)

    threads = [threading.Thread(target=officer, args=(ref,)) for ref in refs * 2]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(numbers) == list(range(1, len(numbers) + 1))  # unique and without gaps
    assert len(numbers) + len(errors) == len(threads) * 3 and count(bureau, Letter) == len(numbers)


@pytest.mark.needs("poppler-utils", *system.PDF)
@pytest.mark.parametrize("layout", ["columns", "sequential"])
def test_the_bilingual_loi_and_mou_pdfs_carry_both_languages(bureau, tmp_path, layout):
    loi_case = case_in(bureau, "loi_signed")
    loi = " ".join(pdf_text(draft(bureau, CONFIG, loi_case, "d06_loi.html", on=None, options={"layout": layout},
                                  fmt="pdf"), tmp_path).split())
    for part in ("PERNYATAAN KEHENDAK", "LETTER OF INTENT", "PEMERINTAH KOTA PADANG", "HILDESHEIM",
                 "pertukaran budaya", "cultural exchange", "Fadly Amran, B.B.A."):
        assert part in loi, part
    ref = case_in(bureau, "ready_to_sign")
    mou = " ".join(pdf_text(draft(bureau, CONFIG, ref, "d13_mou.html", on=None, options={"layout": layout},
                                  fmt="pdf"), tmp_path).split())
    for part in ("MEMORANDUM SALING PENGERTIAN", "MEMORANDUM OF UNDERSTANDING", "Pasal 1", "Article 1",
                 "English text shall prevail", "UNTUK PEMERINTAH KOTA PADANG", "FOR THE GOVERNMENT OF THE CITY OF"):
        assert part in mou, part


def test_a_front_matter_value_is_escaped_once(bureau):
    ref = case_in(bureau, "plan_drafting", partner_name="Stadt & Land Hildesheim")
    html = draft(bureau, CONFIG, ref, "d09_dprd_request.html", on=None, options={}, fmt="html").decode()
    assert "Stadt &amp; Land Hildesheim" in html and "&amp;amp;" not in html


SSTI_PAYLOADS = [
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ ''.__class__.__base__.__subclasses__() }}",
    "{% for c in ().__class__.__base__.__subclasses__() %}{{ c }}{% endfor %}",
    "{{ self._TemplateReference__context }}",
    "{{ config.__class__.__init__.__globals__ }}",
    "{{ case.fields.__class__.__mro__[1].__subclasses__() }}",
    "{{ namespace.__init__.__globals__.os.environ }}",
    "{{ (letter.date.__class__.__subclasses__()) }}",
    "{{ request.application.__globals__ }}",
]


@pytest.mark.parametrize("payload", SSTI_PAYLOADS)
def test_template_injection_payloads_are_refused(tmp_path, payload):
    (tmp_path / "evil.html").write_text('{#\ndocument = "X"\n#}\n<p>' + payload + "</p>\n")
    problems = [p for p in lint(CONFIG, tmp_path) if "evil.html" in p]
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path / 'evil.html'}:4: ")
    assert "uid=" not in problems[0] and "<class" not in problems[0]


def with_classes(classification: dict) -> Config:
    return replace(CONFIG, letters=replace(CONFIG.letters, classification=classification))


def test_letters_of_different_registers_never_print_the_same_number(bureau):
    """With the default config D09, D07 and D08 share the classification 000.3: each still prints its own number,
    and a template of another classification counts on its own."""
    config = with_classes({"default": "000.3"})  # what a region that configured nothing has
    ref = case_in(bureau, "plan_drafting")
    numbers = [issue(bureau, config, ref, template, actor="siti", on=date(2014, 1, 6), options={}).number
               for template in ("d09_dprd_request.html", "d07_cooperation_plan.html", "d08_nota_dinas_opd.html")]
    assert numbers == ["000.3/1/Kerja Sama", "000.3/2/Kerja Sama", "000.3/3/Kerja Sama"]
    own = with_classes({"default": "000.3", "kerja_sama": "100.4"})
    assert issue(bureau, own, ref, "d08_nota_dinas_opd.html", actor="siti", on=date(2014, 1, 7),
                 options={}).number == "100.4/1/Kerja Sama"
    assert all(stored(bureau, number, 2014, "html") for number in numbers)  # each found by its number


def test_a_series_counted_per_register_before_goes_on_after_its_highest_number(bureau):
    """A database whose two registers both printed 000.3/1 and 000.3/2 (numbered per register before): the series
    goes on from 3, whichever template issues next."""
    from sqlalchemy import text
    config = with_classes({"default": "000.3"})
    ref = case_in(bureau, "plan_drafting")
    issue(bureau, config, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={})
    issue(bureau, config, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={})
    with bureau.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM letter_counters"))  # as if numbered by the old per-register counters
    assert issue(bureau, config, ref, "d07_cooperation_plan.html", actor="siti", on=date(2014, 1, 7),
                 options={}).number == "000.3/3/Kerja Sama"


def test_a_void_letter_keeps_its_number_and_is_shown_void(bureau):
    from workflow.letters import issued_before, void
    ref = case_in(bureau, "plan_drafting")
    first = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={})
    assert [r["number"] for r in issued_before(bureau, ref, "d09_dprd_request.html")] == [first.number]
    void(bureau, first.number, None, actor="siti", note="sent to the wrong commission", on=date(2014, 1, 7))
    assert issued_before(bureau, ref, "d09_dprd_request.html") == []
    again = issue(bureau, CONFIG, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 7), options={})
    assert again.sequence == first.sequence + 1  # the void number is not given again
    assert [(r["number"], r["void"]) for r in letters_of(bureau, ref)] == [(again.number, False), (first.number, True)]
    assert stored(bureau, first.number, 2014, "html") == first.html.encode()  # still kept as issued
    with pytest.raises(Exception, match="is already void"):
        void(bureau, first.number, 2014, actor="siti", note="again")
    voided = [e for e in events_of(bureau, ref) if e.name == "letter_voided"]
    assert [(e.data["number"], e.note) for e in voided] == [(first.number, "sent to the wrong commission")]


@pytest.mark.needs("poppler-utils", *system.PDF)
def test_a_region_template_cannot_embed_another_file_of_the_machine_but_the_emblems_still_print(bureau, tmp_path):
    """A template in the region's folder asks WeasyPrint for /etc/passwd as an attachment and an image: neither is
    fetched; the emblem the config names is."""
    folder = tmp_path / "templates"
    folder.mkdir()
    text = (BUILTIN_DIR / "d09_dprd_request.html").read_text(encoding="utf-8")
    folder.joinpath("d09_dprd_request.html").write_text(text.replace(
        "{% endblock %}", '<a rel="attachment" href="file:///etc/passwd">lampiran</a>'
                          '<img src="file:///etc/hostname" alt="">{% endblock %}', 1), encoding="utf-8")
    emblem = tmp_path / "garuda.png"
    emblem.write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
    config = replace(CONFIG, letters=replace(CONFIG.letters, templates=str(folder), emblem_national=str(emblem)))
    ref = case_in(bureau, "plan_drafting")
    data = draft(bureau, config, ref, "d09_dprd_request.html", on=date(2014, 1, 6), options={}, fmt="pdf")
    path = tmp_path / "d09.pdf"
    path.write_bytes(data)
    attachments = subprocess.run(["pdfdetach", "-list", str(path)], capture_output=True, text=True, check=True)
    assert attachments.stdout.startswith("0 embedded files"), attachments.stdout
    images = subprocess.run(["pdfimages", "-list", str(path)], capture_output=True, text=True, check=True)
    kinds = [line.split()[2] for line in images.stdout.strip().splitlines()[2:]]
    assert kinds.count("image") == 1, images.stdout  # the one emblem (with its transparency mask)
    assert b"root:" not in data


IMPORTED = """\
ref,title,partner,country,partner_type,fields,instrument,mou_signed,partner_signed,term_years,status,source
KS-2014-0001,Sister city Padang - Vung Tau,Vung Tau,VN,city,culture;education,pks,2014-03,2014-04-02,5,active,register
KS-2009-0001,Sister city Padang - Nanjing,Nanjing,CN,city,,,2009,,,active,register
KS-2011-0001,Sister city Padang - Perth,Perth,AU,city,,,,,,active,register
"""


def imported(bureau, tmp_path) -> None:
    from workflow.agreements import import_agreements

    path = tmp_path / "agreements.csv"
    path.write_text(IMPORTED, encoding="utf-8")
    import_agreements(bureau, path, actor="siti")


def test_an_imported_agreements_letter_prints_the_facts_of_its_register_row(bureau, tmp_path):
    imported(bureau, tmp_path)
    text = " ".join(draft(bureau, CONFIG, "KS-2014-0001", "d18_annual_report.html", on=date(2026, 11, 2),
                          options={}, fmt="txt").decode().split())
    assert "Tanggal penandatanganan : Maret 2014 (oleh Pemerintah Kota Vung Tau: 2 April 2014)" in text
    assert "Bidang kerja sama : pertukaran budaya, pendidikan" in text
    assert "Jangka waktu : 5 (lima) tahun" in text and "Berlaku sampai dengan : Maret 2019" in text
    assert "Perjanjian Kerja Sama antara Pemerintah Kota Padang" in text  # the instrument the register names
    assert "yang ditandatangani pada bulan Maret 2014" in text and "1 Maret 2014" not in text  # no day invented
    assert "PERIODE MARET 2014 SAMPAI DENGAN" in text

    year_only = " ".join(draft(bureau, CONFIG, "KS-2009-0001", "d18_annual_report.html", on=date(2026, 11, 2),
                               options={}, fmt="txt").decode().split())
    assert "Tanggal penandatanganan : 2009 " in year_only and "pada tahun 2009" in year_only
    assert "Jangka waktu : …………………… " in year_only and "Bidang kerja sama : ……………………" in year_only  # unknown
    nothing = " ".join(draft(bureau, CONFIG, "KS-2011-0001", "d18_annual_report.html", on=date(2026, 11, 2),
                             options={}, fmt="txt").decode().split())
    assert "Tanggal penandatanganan : ……………………" in nothing  # no source gives it: still a blank to fill in


@pytest.mark.parametrize("template", [t for t in TEMPLATES if {"in_force", "dormant"} & set(
    template_info(environment(None), t).stages) or not template_info(environment(None), t).stages])
def test_every_letter_of_an_agreement_in_force_renders_for_an_imported_one(shared_bureau, tmp_path, template):
    from workflow.agreements import import_agreements

    path = tmp_path / "one.csv"
    ref = f"IMPORTED-{TEMPLATES.index(template) + 1}"  # not a ref the module's other cases take
    path.write_text(IMPORTED.splitlines()[0] + f"\n{ref},Tie {template},Partner {template},JP,city,,mou,2013-05,,"
                    ",active,register\n", encoding="utf-8")
    import_agreements(shared_bureau, path, actor="siti")
    html = draft(shared_bureau, CONFIG, ref, template, on=date(2026, 11, 2), options={}, fmt="html").decode()
    assert f"Partner {template}" in html and "1 Mei 2013" not in html


def test_the_lampiran_line_counts_the_attachments_the_letter_lists(shared_bureau):
    env = environment(None)
    with_attachments = [t for t in TEMPLATES if template_info(env, t).attachments]
    assert len(with_attachments) >= 7
    for template in with_attachments:
        info = template_info(env, template)
        ref = case_in(shared_bureau, info.stages[0])
        for options in ({}, {name: "no" for name in ("study", "photos") if name in info.options},
                        {"partner_comments": "yes"} if "partner_comments" in info.options else {}):
            html = draft(shared_bureau, CONFIG, ref, template, on=None, options=options, fmt="html").decode()
            listed = html.split('<ol class="attachments">')[1].split("</ol>")[0].count("<li>")
            lampiran = html.split("Lampiran</td>")[1].split("</td>")[1].split(">")[-1]
            assert lampiran == f"{terbilang(listed)} berkas", (template, options, lampiran, listed)


def pages_of(data: bytes, tmp_path, *needles: str) -> dict[str, int]:
    """The page each text is on, read page by page with pdftotext."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
    found = {}
    for page in range(1, int(info.split("Pages:")[1].split()[0]) + 1):
        text = " ".join(subprocess.run(["pdftotext", "-f", str(page), "-l", str(page), str(path), "-"],
                                       capture_output=True, text=True, check=True).stdout.split())
        found.update({needle: page for needle in needles if needle in text})
    return found


@pytest.mark.needs("poppler-utils", *system.PDF)
def test_the_dprd_request_keeps_its_signature_on_the_page_of_its_closing(bureau, tmp_path):
    """Whatever the length of the letter (a paragraph of 0 to 1,000 words added to D09 moves the page break through
    every place), the closing sentence, the head's title and the name are on one page."""
    folder = tmp_path / "templates"
    folder.mkdir()
    source = (BUILTIN_DIR / "d09_dprd_request.html").read_text(encoding="utf-8")
    filler = '{% block body %}\n<p>{{ "kata " * (options.filler | int) }}</p>\n'
    folder.joinpath("d09_dprd_request.html").write_text(
        source.replace("[options]\n", "[options]\nfiller = 0\n", 1).replace("{% block body %}\n", filler, 1))
    config = replace(CONFIG, letters=replace(CONFIG.letters, templates=folder))
    ref = case_in(bureau, "plan_drafting")
    pages = set()
    for words_added in range(0, 1000, 45):
        data = draft(bureau, config, ref, "d09_dprd_request.html", on=date(2014, 1, 6),
                     options={"filler": str(words_added)}, fmt="pdf")
        found = pages_of(data, tmp_path, "Demikian disampaikan", "WALI KOTA PADANG,", "Fadly Amran")
        assert len(found) == 3 and len(set(found.values())) == 1, (words_added, found)
        pages.add(found["Fadly Amran"])
    assert pages == {2, 3}  # the break did pass through the closing


def test_an_emblem_the_config_names_that_is_missing_is_one_warning(bureau, tmp_path):
    config = replace(CONFIG, letters=replace(CONFIG.letters, emblem_national=str(tmp_path / "garuda.png")))
    ref = case_in(bureau, "plan_drafting")
    warnings = []
    draft(bureau, config, ref, "d09_dprd_request.html", on=date(2014, 1, 6), options={}, fmt="html",
          warn=warnings.append)
    assert warnings == [f"Warning: the image {tmp_path / 'garuda.png'} ([letters] emblem_national) does not exist; "
                        "the letter shows no image there."]
    (tmp_path / "garuda.png").write_bytes(base64.b64decode(
        "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="))
    warnings.clear()
    issue(bureau, config, ref, "d09_dprd_request.html", actor="siti", on=date(2014, 1, 6), options={},
          warn=warnings.append)
    assert warnings == []


@pytest.mark.needs("poppler-utils", *system.PDF)
def test_a_table_header_is_repeated_on_each_page_and_never_left_without_its_first_row(bureau, tmp_path):
    folder = tmp_path / "templates"
    folder.mkdir()
    (folder / "table.html").write_text('{#\ndocument = "T"\n[options]\nfiller = 0\n#}\n{% extends "_base.html" %}\n'
                                       '{% block document %}<p>{{ "kata " * (options.filler | int) }}</p>\n'
                                       '<table class="grid"><thead><tr><th>HEADER</th><th>Kegiatan</th></tr></thead>\n'
                                       '{% for i in range(1, 30) %}<tr><td>ROW{{ i }}</td><td>{{ "isi baris " * 12 }}'
                                       '</td></tr>{% endfor %}</table>{% endblock %}\n', encoding="utf-8")
    config = replace(CONFIG, letters=replace(CONFIG.letters, templates=folder))
    ref = case_in(bureau, "in_force")
    repeated = 0
    for words_added in range(560, 680, 8):  # the table starts lower and lower on the first page
        data = draft(bureau, config, ref, "table.html", on=None, options={"filler": str(words_added)}, fmt="pdf")
        path = tmp_path / "table.pdf"
        path.write_bytes(data)
        info = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True, check=True).stdout
        pages = range(1, int(info.split("Pages:")[1].split()[0]) + 1)
        texts = [subprocess.run(["pdftotext", "-f", str(n), "-l", str(n), str(path), "-"], capture_output=True,
                                text=True, check=True).stdout for n in pages]
        with_rows = [text for text in texts if "ROW" in text]
        assert all("HEADER" in text for text in with_rows), words_added  # repeated on every page of the table
        assert all("ROW" in text for text in texts if "HEADER" in text), words_added  # never alone
        repeated += len(with_rows) > 1
    assert repeated
