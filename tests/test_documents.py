"""The document archive: files kept once by their SHA-256 (in the database or a folder), sealed by document_added so
that audit verify finds a swapped or missing file, the steps the law proves by a document, the export and the public
site."""
from __future__ import annotations

import csv
import hashlib
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text, update

from db.archive import Document, DocumentContent
from db.models import Event
from tests.conftest import close_bureau, make_bureau, make_url
from tests.helpers import case_in, count, events_of
from workflow import procedure
from workflow.agreements import export_all, import_all
from workflow.audit import verify
from workflow.document_kinds import KINDS_FILE, OPEN, kinds
from workflow.documents import PROOF_OF, PUBLISHABLE, add, documents_of, fetch, publish, withdraw
from workflow.proofs import missing_proofs
from workflow.errors import InvalidInput
from workflow.reports import publish as publish_site
from workflow.store import history_of, load_case
from workflow.vocabulary import _names

PDF = b"%PDF-1.4\n% the signed MoU\n"


@pytest.fixture
def pdf(tmp_path) -> Path:
    path = tmp_path / "mou-signed.pdf"
    path.write_bytes(PDF)
    return path


def seq_of(bureau, ref: str, name: str) -> int:
    return next(e.seq for e in events_of(bureau, ref) if e.name == name)


def problems(bureau) -> list[str]:
    report = verify(bureau)
    return [p["problem"] for p in report["problems"]] + [b["problem"] for b in report["broken"]]


def test_a_document_goes_in_and_comes_out_the_same_and_its_hash_is_sealed(bureau, pdf):
    ref = case_in(bureau, "action_plan_drafting")
    signed = seq_of(bureau, ref, "agreement_signed")
    added = add(bureau, None, ref, pdf, kind="mou_bertanda_tangan", event_seq=signed, note="both originals",
                actor="siti")
    sha = hashlib.sha256(PDF).hexdigest()
    assert added == {"id": added["id"], "ref": ref, "kind": "signed_agreement", "sha256": sha, "size": len(PDF),
                     "stored_in": "database", "public": False, "proves": signed}
    [row] = documents_of(bureau, ref)
    assert (row["file_name"], row["media_type"], row["proves_event"], row["note"]) == (
        "mou-signed.pdf", "application/pdf", "agreement_signed", "both originals")
    assert row["dated"] == next(e.occurred_on for e in events_of(bureau, ref) if e.seq == signed).isoformat()
    sealed = events_of(bureau, ref)[-1]
    assert sealed.name == "document_added" and sealed.data["sha256"] == sha and sealed.data["proves"] == signed
    assert sealed.data["document_kind"] == "signed_agreement" and sealed.data["file_name"] == "mou-signed.pdf"
    assert fetch(bureau, str(added["id"]))[1] == PDF == fetch(bureau, sha[:12])[1]
    assert problems(bureau) == []


def test_the_same_file_twice_is_kept_once_in_the_database_and_in_the_folder(bureau, tmp_path, pdf):
    first, second = case_in(bureau, "loi_signed"), case_in(bureau, "loi_signed")
    for ref in (first, second):
        add(bureau, None, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))
    assert (count(bureau, Document), count(bureau, DocumentContent)) == (2, 1)
    folder = tmp_path / "arsip"
    folder.mkdir()
    scan = tmp_path / "letter.png"
    scan.write_bytes(b"\x89PNG the partner's letter")
    for ref in (first, second):
        add(bureau, folder, ref, scan, kind="partner_letter")
    sha = hashlib.sha256(scan.read_bytes()).hexdigest()
    assert (count(bureau, Document), count(bureau, DocumentContent)) == (4, 1)
    assert [p.relative_to(folder) for p in folder.rglob("*") if p.is_file()] == [Path(sha[:2]) / sha]
    assert (folder / sha[:2] / sha).read_bytes() == scan.read_bytes()
    assert [fetch(bureau, str(n))[1] for n in (3, 4)] == [scan.read_bytes()] * 2
    assert problems(bureau) == []


def test_a_swapped_or_missing_file_is_found_by_audit_verify_in_the_database(bureau, pdf):
    ref = case_in(bureau, "loi_signed")
    added = add(bureau, None, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))
    with bureau.db.engine.begin() as conn:
        conn.execute(update(DocumentContent).values(content=b"%PDF-1.4\n% another text\n"))
    assert problems(bureau) == [f"the file of document {added['id']} (mou-signed.pdf) was changed or swapped since "
                                f"#{events_of(bureau, ref)[-1].seq} sealed it"]
    with pytest.raises(InvalidInput, match="was changed or swapped"):
        fetch(bureau, str(added["id"]))
    with bureau.db.engine.begin() as conn:
        conn.execute(DocumentContent.__table__.delete())
    assert problems(bureau)[0].endswith("is missing")


def test_a_swapped_or_missing_file_is_found_by_audit_verify_in_the_folder(bureau, pdf, tmp_path):
    folder = tmp_path / "arsip"
    folder.mkdir()
    ref = case_in(bureau, "loi_signed")
    added = add(bureau, folder, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))
    stored = folder / added["sha256"][:2] / added["sha256"]
    stored.write_bytes(b"%PDF-1.4\n% swapped\n")
    assert problems(bureau) == [f"the file of document {added['id']} (mou-signed.pdf) was changed or swapped since "
                                f"#{events_of(bureau, ref)[-1].seq} sealed it"]
    stored.unlink()
    assert problems(bureau) == [f"the file of document {added['id']} (mou-signed.pdf), sealed by "
                                f"#{events_of(bureau, ref)[-1].seq}, is missing"]
    add(bureau, folder, case_in(bureau, "loi_signed"), pdf, kind="other")  # the same file again puts it back
    assert problems(bureau) == []


def test_a_row_changed_behind_the_systems_back_is_found(bureau, pdf, tmp_path):
    ref = case_in(bureau, "loi_signed")
    added = add(bureau, None, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))
    other = tmp_path / "other.pdf"
    other.write_bytes(b"%PDF-1.4\n% not the LoI\n")
    add(bureau, None, ref, other, kind="other")
    with bureau.db.engine.begin() as conn:  # the LoI's row pointed at the other file, and made public
        conn.execute(update(Document).where(Document.id == added["id"])
                     .values(sha256=hashlib.sha256(other.read_bytes()).hexdigest(), public=True))
    assert any(p.startswith(f"document {added['id']} (mou-signed.pdf) is not the one its event") for p in
               problems(bureau))
    with bureau.db.engine.begin() as conn:
        conn.execute(update(Document).where(Document.id == added["id"]).values(sha256=added["sha256"]))
    assert problems(bureau) == [f"document {added['id']} is marked public, but no recorded event made it so"]
    with bureau.db.engine.begin() as conn:
        conn.execute(text("DELETE FROM documents WHERE id = :id"), {"id": added["id"]})
    assert problems(bureau) == [f"the document archived by event #{seq_of(bureau, ref, 'document_added')} is gone"]


def test_the_steps_the_law_proves_by_a_document_are_listed_until_it_is_archived(bureau, pdf):
    ref = case_in(bureau, "action_plan_drafting")
    with bureau.db.session() as session:
        case = load_case(session, ref)
        missing = missing_proofs(session, case, history_of(session, case))
    assert [(m["event"], m["kind"]) for m in missing] == [
        ("loi_signed", "signed_loi"), ("dprd_approved", "dprd_decision"),
        ("confirmation_received", "kemlu_confirmation"), ("full_powers_issued", "full_powers"),
        ("agreement_signed", "signed_agreement")]
    signed = seq_of(bureau, ref, "agreement_signed")
    assert missing[-1] == {"event": "agreement_signed", "seq": signed, "kind": "signed_agreement",
                           "on": next(e.occurred_on for e in events_of(bureau, ref) if e.seq == signed).isoformat()}
    add(bureau, None, ref, pdf, kind="other", event_seq=signed)  # a document of another kind proves nothing here
    add(bureau, None, ref, pdf, kind="signed_agreement", event_seq=signed)
    add(bureau, None, ref, pdf, kind="dprd_decision", event_seq=seq_of(bureau, ref, "dprd_approved"))
    with bureau.db.session() as session:
        case = load_case(session, ref)
        assert [m["event"] for m in missing_proofs(session, case, history_of(session, case))] == [
            "loi_signed", "confirmation_received", "full_powers_issued"]


@pytest.mark.parametrize("change,message", [
    ({"kind": "minutes"}, "--kind minutes is not a kind of document"),
    ({"event_seq": 99}, "has no event #99"),
    ({"kind": "signed_agreement", "event_seq": 2}, "a document of the kind signed_agreement proves agreement_signed"),
    ({"name": "missing.pdf"}, "is not a file; nothing was archived"),
    ({"name": "script.sh"}, "is not a document kerjasama archives"),
    ({"name": "empty.pdf"}, "is empty; nothing was archived"),
    ({"on": date(2099, 1, 1)}, "is in the future"),
    ({"kind": "kemendagri_letter", "public": True}, "Only a signed text"),
])
def test_a_refused_document_writes_nothing(bureau, tmp_path, change, message):
    ref = case_in(bureau, "loi_signed")
    for name, content in (("doc.pdf", PDF), ("script.sh", b"echo"), ("empty.pdf", b"")):
        (tmp_path / name).write_bytes(content)
    folder = tmp_path / "arsip"
    folder.mkdir()
    before = (count(bureau, Event), count(bureau, Document), count(bureau, DocumentContent))
    options = {"kind": "other", "event_seq": None, "on": None, "public": False} | change
    with pytest.raises(InvalidInput, match=re.escape(message)):
        add(bureau, folder, ref, tmp_path / options.pop("name", "doc.pdf"), **options)
    assert (count(bureau, Event), count(bureau, Document), count(bureau, DocumentContent)) == before
    assert list(folder.iterdir()) == []


def test_the_same_command_twice_is_refused(bureau, pdf):
    ref = case_in(bureau, "loi_signed")
    first = add(bureau, None, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))
    with pytest.raises(InvalidInput, match=f"already archived for {ref} as document {first['id']}"):
        add(bureau, None, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))


def test_only_a_signed_text_is_published_and_only_once(bureau, pdf):
    ref = case_in(bureau, "loi_signed")
    letter = add(bureau, None, ref, pdf, kind="partner_letter")
    loi = add(bureau, None, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))
    with pytest.raises(InvalidInput, match="Only a signed text"):
        publish(bureau, str(letter["id"]))
    with pytest.raises(InvalidInput, match=f"is the content of documents {letter['id']}, {loi['id']}"):
        publish(bureau, loi["sha256"][:10])
    assert publish(bureau, str(loi["id"]), actor="siti") == {"id": loi["id"], "ref": ref, "public": True}
    assert events_of(bureau, ref)[-1].data == {"document": loi["id"], "sha256": loi["sha256"]}
    with pytest.raises(InvalidInput, match="already public"):
        publish(bureau, str(loi["id"]))
    assert problems(bureau) == []


def test_the_public_site_carries_the_public_signed_text_and_nothing_else(bureau, pdf, tmp_path):
    ref = case_in(bureau, "action_plan_drafting")
    mou = add(bureau, None, ref, pdf, kind="signed_agreement", event_seq=seq_of(bureau, ref, "agreement_signed"),
              public=True)
    letter = tmp_path / "kemlu.pdf"
    letter.write_bytes(b"%PDF-1.4\n% confirmation\n")
    add(bureau, None, ref, letter, kind="kemlu_confirmation", event_seq=seq_of(bureau, ref, "confirmation_received"))
    site = tmp_path / "site"
    publish_site(bureau, site)
    assert [p.name for p in (site / "documents").iterdir()] == [f"{mou['sha256']}.pdf"]
    assert (site / "documents" / f"{mou['sha256']}.pdf").read_bytes() == PDF
    page = (site / f"{ref}.html").read_text()
    assert f'<a href="documents/{mou["sha256"]}.pdf">Signed agreement (MoU/PKS)</a>' in page
    with bureau.db.engine.begin() as conn:  # a swapped file is not published
        conn.execute(update(DocumentContent).where(DocumentContent.sha256 == mou["sha256"]).values(content=b"x"))
    with pytest.raises(InvalidInput, match="was changed or swapped"):
        publish_site(bureau, tmp_path / "again")


def test_an_export_carries_the_documents_and_its_import_restores_them(db_url, tmp_path, pdf):
    bureau = make_bureau(db_url)
    url, drop = make_url("sqlite", tmp_path)
    other = make_bureau(url)
    try:
        folder = tmp_path / "arsip"
        folder.mkdir()
        ref = case_in(bureau, "loi_signed")
        add(bureau, None, ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"), public=True)
        scan = tmp_path / "visit.jpg"
        scan.write_bytes(b"\xff\xd8\xff photo of the visit")
        add(bureau, folder, ref, scan, kind="partner_letter")
        exported = export_all(bureau)
        assert sorted(f["sha256"] for f in exported["files"]) == sorted(
            hashlib.sha256(b).hexdigest() for b in (PDF, scan.read_bytes()))
        broken = exported | {"files": [exported["files"][0] | {"content": "AAAA"}] + exported["files"][1:]}
        with pytest.raises(InvalidInput, match="is not the file its SHA-256 names; nothing was restored"):
            import_all(other, broken)
        assert count(other, Document) == 0
        assert import_all(other, exported)["documents"] == 2
        assert [fetch(other, str(row["id"]))[1] for row in documents_of(other)] == [PDF, scan.read_bytes()]
        assert problems(other) == []
        again = export_all(other)
        assert {k: v for k, v in again.items() if k != "exported_at"} == \
            {k: v for k, v in exported.items() if k != "exported_at"}
    finally:
        close_bureau(other)
        drop()
        close_bureau(bureau)


def test_every_kind_is_named_and_proves_events_of_the_procedure():
    events = {e.name for e in procedure.EVENTS} | {procedure.IMPORTED.name}
    assert kinds() and all(set(kind.proves) <= events for kind in kinds().values())
    assert all(PROOF_OF[event] in kinds() and event in kinds()[PROOF_OF[event]].proves for event in PROOF_OF)
    assert set(PUBLISHABLE) <= set(kinds()) and set(_names()["document_kind"]) == set(kinds())
    for kind in kinds().values():
        assert kind.classification == OPEN or re.fullmatch(r"\d{3}(\.\d+)+", kind.classification)
        retention = (kind.active_years, kind.active_from, kind.inactive_years, kind.final)
        assert retention == (OPEN,) * 4 or (kind.active_years.isdigit() and kind.inactive_years.isdigit()
                                            and kind.active_from in ("creation", "agreement_end")
                                            and kind.final in ("permanent", "destroy"))
        assert kind.basis and (OPEN in kind.basis or "[PRACTICE]" in kind.basis or "[LAW]" in kind.basis)
    with open(KINDS_FILE, encoding="utf-8") as f:
        assert next(csv.reader(line for line in f if not line.startswith("#")))[0] == "code"


def test_a_share_mounted_elsewhere_is_read_at_the_configured_folder(bureau, pdf, tmp_path):
    ref = case_in(bureau, "loi_signed")
    (tmp_path / "arsip").mkdir()
    added = add(bureau, tmp_path / "arsip", ref, pdf, kind="signed_loi", event_seq=seq_of(bureau, ref, "loi_signed"))
    moved = (tmp_path / "arsip").rename(tmp_path / "mnt-arsip")
    assert problems(bureau)[0].endswith("is missing")
    assert verify(bureau, documents_folder=moved)["problems"] == []
    assert fetch(bureau, str(added["id"]), moved)[1] == PDF


def test_a_document_archived_by_mistake_is_withdrawn_kept_and_proves_nothing(bureau, pdf):
    ref = case_in(bureau, "action_plan_drafting")
    signed = seq_of(bureau, ref, "agreement_signed")
    wrong = add(bureau, None, ref, pdf, kind="signed_agreement", event_seq=signed, public=True)
    with pytest.raises(InvalidInput, match="needs --note"):
        withdraw(bureau, str(wrong["id"]), actor="siti", note=None)
    assert withdraw(bureau, str(wrong["id"]), actor="siti", note="The draft was archived instead of the signed text") \
        == {"id": wrong["id"], "ref": ref, "withdrawn": True}
    with bureau.db.session() as session:
        case = load_case(session, ref)
        assert "agreement_signed" in [m["event"] for m in missing_proofs(session, case, history_of(session, case))]
    [listed] = documents_of(bureau, ref)
    assert (listed["withdrawn"], listed["public"]) == (True, False)  # off the public site
    assert fetch(bureau, str(wrong["id"]))[1] == pdf.read_bytes()  # and still kept, as archived
    assert problems(bureau) == []  # the flag follows the sealed events
    with pytest.raises(InvalidInput, match="withdrawn already"):
        withdraw(bureau, str(wrong["id"]), actor="siti", note="again")
    with pytest.raises(InvalidInput, match="was withdrawn"):
        publish(bureau, str(wrong["id"]))
