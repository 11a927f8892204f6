"""``kerjasama doc``: archiving, listing, getting back and publishing documents on the command line; a refusal is one
line and exit code 1 and writes nothing; the audit, the export and the public site carry what was archived."""
from __future__ import annotations

import hashlib
import json

import pytest
from click.testing import CliRunner

from cli import cli
from tests.helpers import carry, error_line, open_case

PDF = b"%PDF-1.4\n% the signed LoI\n"
TO_LOI = ["exploration_started", "consultation_sent", "consultation_cleared", "loi_signed"]


@pytest.fixture
def loi(run, tmp_path):
    """A case whose LoI is signed (event #5), and the LoI's scan."""
    ref = open_case(run)
    carry(run, ref, TO_LOI)
    path = tmp_path / "loi.pdf"
    path.write_bytes(PDF)
    return ref, path


def documents(run, ref=None) -> list[dict]:
    return json.loads(run("doc", "list", *([ref] if ref else []), "--json").stdout)["data"]


def test_add_list_and_get_give_back_the_same_bytes(run, loi, tmp_path):
    ref, path = loi
    added = json.loads(run("doc", "add", ref, str(path), "--kind", "loi_bertanda_tangan", "--event", "5",
                           "--note", "signed in Hildesheim", "--json").stdout)["data"]
    assert (added["kind"], added["proves"], added["sha256"]) == ("signed_loi", 5, hashlib.sha256(PDF).hexdigest())
    [row] = documents(run, ref)
    assert (row["id"], row["dated"], row["proves_event"]) == (added["id"], "2014-01-04", "loi_signed")
    assert row["note"] == "signed in Hildesheim"
    listing = run("doc", "list").stdout
    assert "signed_loi" in listing and "#5 loi_signed" in listing and "loi.pdf" in listing
    out = tmp_path / "out.pdf"
    run("doc", "get", str(added["id"]), "-o", str(out))
    assert out.read_bytes() == PDF
    run("doc", "get", added["sha256"][:8], "-o", str(out))
    assert out.read_bytes() == PDF
    assert "document_added" in run("case", "history", ref).stdout


@pytest.mark.parametrize("args,message", [
    (["--kind", "minutes"], "Error: --kind minutes is not a kind of document"),
    (["--kind", "signed_loi", "--event", "42"], "has no event #42"),
    (["--kind", "signed_agreement", "--event", "5"], "a document of the kind signed_agreement proves"),
    (["--kind", "signed_loi", "--on", "2099-01-01"], "is in the future"),
])
def test_a_refusal_is_one_line_and_writes_nothing(run, loi, args, message):
    ref, path = loi
    history = run("case", "history", ref, "--json").stdout
    result = run("doc", "add", ref, str(path), *args, ok=False)
    assert result.exit_code == 1 and message in error_line(result)
    assert documents(run) == [] and run("case", "history", ref, "--json").stdout == history


def test_a_missing_file_is_one_line_and_writes_nothing(run, loi, tmp_path):
    ref, _path = loi
    result = run("doc", "add", ref, str(tmp_path / "nowhere.pdf"), "--kind", "other", ok=False)
    missing = tmp_path / "nowhere.pdf"
    assert result.exit_code == 1 and error_line(result) == f"Error: {missing} is not a file; nothing was archived."
    assert documents(run) == []
    result = run("doc", "get", "7", "-o", str(tmp_path / "x.pdf"), ok=False)
    assert error_line(result) == "Error: No archived document 7; kerjasama doc list shows them."
    assert not (tmp_path / "x.pdf").exists()


def test_a_folder_in_the_config_keeps_the_files_and_audit_verify_finds_one_swapped(run, loi, tmp_path):
    ref, path = loi
    folder = tmp_path / "arsip"
    folder.mkdir()
    (tmp_path / "config.toml").write_text(f'[documents]\nfolder = "{folder}"\n')
    run("doc", "add", ref, str(path), "--kind", "signed_loi", "--event", "5")
    sha = hashlib.sha256(PDF).hexdigest()
    stored = folder / sha[:2] / sha
    assert stored.read_bytes() == PDF
    assert run("audit", "verify").exit_code == 0
    stored.write_bytes(b"%PDF-1.4\n% another text\n")
    result = run("audit", "verify", ok=False)
    assert result.exit_code == 1
    assert error_line(result) == f"{ref}: the file of document 1 (loi.pdf) was changed or swapped since #6 sealed it."
    result = run("doc", "get", "1", "-o", str(tmp_path / "got.pdf"), ok=False)
    assert result.exit_code == 1 and "was changed or swapped" in error_line(result)
    assert not (tmp_path / "got.pdf").exists()


def test_a_public_signed_text_goes_on_the_public_site(run, loi, tmp_path):
    ref, path = loi
    run("doc", "add", ref, str(path), "--kind", "signed_loi", "--event", "5")
    assert "Document 1 of" in run("doc", "publish", "1").stdout
    assert error_line(run("doc", "publish", "1", ok=False)) == "Error: Document 1 is already public."
    run("publish", str(tmp_path / "site"))
    sha = hashlib.sha256(PDF).hexdigest()
    assert (tmp_path / "site" / "documents" / f"{sha}.pdf").read_bytes() == PDF
    assert f'href="documents/{sha}.pdf"' in (tmp_path / "site" / f"{ref}.html").read_text()


def test_the_export_carries_the_documents_and_the_import_restores_them(run, loi, tmp_path):
    ref, path = loi
    run("doc", "add", ref, str(path), "--kind", "signed_loi", "--event", "5", "--public")
    run("export", "-o", str(tmp_path / "backup.json"))
    exported = json.loads((tmp_path / "backup.json").read_text())
    assert exported["files"] == [{"sha256": hashlib.sha256(PDF).hexdigest(),
                                  "content": "JVBERi0xLjQKJSB0aGUgc2lnbmVkIExvSQo="}]
    other = str(tmp_path / "restored.db")
    result = CliRunner().invoke(cli, ["--db", other, "--config", str(tmp_path / "config.toml"), "import",
                                      str(tmp_path / "backup.json")])
    assert result.exit_code == 0 and "documents: 1" in result.stdout
    got = CliRunner().invoke(cli, ["--db", other, "--config", str(tmp_path / "config.toml"), "doc", "get", "1", "-o",
                                   str(tmp_path / "restored.pdf")])
    assert got.exit_code == 0 and (tmp_path / "restored.pdf").read_bytes() == PDF


def test_the_kinds_are_listed_with_their_archive_code_and_retention(run):
    rows = json.loads(run("doc", "kinds", "--json").stdout)["data"]
    assert {"signed_agreement", "dprd_decision", "kemlu_confirmation", "full_powers", "trip_report"} <= \
        {row["kind"] for row in rows}
    mou = next(row for row in rows if row["kind"] == "signed_agreement")
    assert (mou["classification"], mou["final"]) == ("100.3.7.2", "permanent")
    assert "2 years active after the cooperation ends, 3 inactive, then kept permanently" in run("doc", "kinds").stdout


def test_case_show_and_the_board_name_the_step_without_its_proving_document_until_it_is_archived(run, loi):
    ref, path = loi
    shown = json.loads(run("case", "show", ref, "--json").stdout)["data"]
    assert shown["missing_documents"] == [{"event": "loi_signed", "seq": 5, "on": "2014-01-04", "kind": "signed_loi"}]
    assert f"Not archived: signed_loi proving #5 loi_signed (2014-01-04); kerjasama doc add {ref} FILE --kind " \
           "signed_loi --event 5" in run("case", "show", ref).stdout
    [row] = json.loads(run("board", "--json").stdout)["data"]["stages"][0]["cases"]
    assert row["missing_documents"] == ["signed_loi"]
    run("doc", "add", ref, str(path), "--kind", "signed_loi", "--event", "5")
    assert json.loads(run("case", "show", ref, "--json").stdout)["data"]["missing_documents"] == []
    assert "Not archived" not in run("case", "show", ref).stdout
    [row] = json.loads(run("board", "--json").stdout)["data"]["stages"][0]["cases"]
    assert row["missing_documents"] == []
