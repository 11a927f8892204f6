"""The papers of a case (``kerjasama doc``): files archived against it, each of them proving one of its events or none.

A file is kept once per content, by its SHA-256: in the database (db.archive.DocumentContent) or, when the config
names a folder (``[documents] folder``, the bureau's shared store), in that folder as ``<sha256[:2]>/<sha256>``.
Archiving records ``document_added``, whose data holds the hash, the kind, the file's name, size and media type and
the event it proves: the hash is sealed in the region's chain, so that audit verify (workflow/audit.py) finds stored
bytes that are not those archived, and every read here checks them against the sealed hash before giving them out.

The kinds of document, with the events each proves, its archive code and its retention (JRA), are in
workflow/data/document_kinds.csv (workflow/document_kinds.py).
"""
from __future__ import annotations

import hashlib
import os
import re
import tempfile
from datetime import date
from pathlib import Path

from sqlalchemy import update
from sqlmodel import select

from db.archive import Document, DocumentContent
from db.models import Case, Event
from workflow.bureau import Bureau
from workflow.document_kinds import kind_code, kinds
from workflow.errors import ConcurrentChange, InvalidInput
from workflow.i18n import _, day
from workflow.inputs import check_text
from workflow.store import load_case, load_region
from workflow.timeline import CORRECTION
from workflow.vocabulary import name

IN_DATABASE = "database"  # Document.stored_in of a file kept in the database; otherwise the folder's path
ATTEMPTS = 3  # two officers archiving the same new file at once: the second retries and finds it kept

# The steps the law proves by a document, and the kind of document that proves each.
PROOF_OF = {
    "loi_signed": "signed_loi",  # PP 28/2018 Pasal 28 ayat (4)-(5): the LoI both heads signed
    "dprd_approved": "dprd_decision",  # PP 28/2018 Pasal 30: the DPRD's approval of the plan
    "confirmation_received": "kemlu_confirmation",  # PP 28/2018 Pasal 33 ayat (3)-(4): Kemlu's surat konfirmasi
    "full_powers_issued": "full_powers",  # UU 24/2000 Pasal 1 angka 3, Pasal 7: the Surat Kuasa
    "agreement_signed": "signed_agreement",  # PP 28/2018 Pasal 33 ayat (4): the signed text
}
# What the public site may show: the texts the region signed, never the letters around them.
PUBLISHABLE = ("signed_loi", "signed_agreement", "signed_action_plan")
# The events of the archive itself: a document proves a step of the case, not another document.
ARCHIVE_EVENTS = ("document_added", "document_published", "document_withdrawn", CORRECTION)

# What is archived, by the file's extension: PDF, scans and images, office documents.
MEDIA_TYPES = {
    ".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
    ".tif": "image/tiff", ".tiff": "image/tiff", ".webp": "image/webp", ".rtf": "application/rtf",
    ".doc": "application/msword", ".xls": "application/vnd.ms-excel", ".ppt": "application/vnd.ms-powerpoint",
    ".docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    ".xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ".odt": "application/vnd.oasis.opendocument.text", ".ods": "application/vnd.oasis.opendocument.spreadsheet",
    ".odp": "application/vnd.oasis.opendocument.presentation",
}
_SHA256 = re.compile(r"[0-9a-f]{8,64}")


def add(bureau: Bureau, folder: Path | None, ref: str, path: Path, *, kind: str, event_seq: int | None = None,
        on: date | None = None, public: bool = False, note: str | None = None, actor: str | None = None) -> dict:
    """Archive the file at ``path`` against case ``ref``, as proof of its event ``event_seq`` if given, and record
    ``document_added``.

    :param folder: the config's ``[documents] folder``; None keeps the file in the database.
    :param on: the date the document bears; by default that of the event it proves.
    :param public: publish it on the public site as well (a signed text only).
    :raises InvalidInput: an unknown kind, a file that cannot be archived, an event the kind does not prove, a date
        in the future; nothing is written then.
    """
    kind = kind_code(kind)
    if public:
        _check_publishable(kind, None)
    data, media_type = _read(path)
    sha = hashlib.sha256(data).hexdigest()
    with bureau.db.session() as session:
        region = load_region(session)
        case = load_case(session, ref)
        proved = _proved_event(session, case, event_seq, kind) if event_seq is not None else None
        twin = session.exec(select(Document.id).where(Document.case_id == case.id, Document.sha256 == sha,
                                                      Document.kind == kind,
                                                      Document.proves_event_id == (proved.id if proved else None))
                            ).first()
        in_database = _kept_in_database(session, sha) is not None  # kept there before a folder was configured
    if twin is not None:  # the same command run twice
        raise InvalidInput(_("This file is already archived for {ref} as document {id}.").format(ref=case.ref, id=twin))
    dated = on or (proved.occurred_on if proved else None)
    if dated and dated > bureau.today(region):
        raise InvalidInput(_("--on {on} is in the future (today is {today}); give the date the document bears.")
                           .format(on=day(dated), today=day(bureau.today(region))))
    stored_in = store_in_folder(folder, sha, data) if folder and not in_database else IN_DATABASE
    details = {"document_kind": kind, "file_name": path.name, "media_type": media_type, "size": len(data),
               "sha256": sha} | ({"proves": event_seq} if proved else {}) | ({"dated": dated} if dated else {})
    kept: list[Document] = []

    def keep(session, case, event_row):
        if stored_in == IN_DATABASE and _kept_in_database(session, sha) is None:
            session.add(DocumentContent(sha256=sha, content=data))
        if public:
            event_row.data = event_row.data | {"public": True}
        document = Document(case_id=case.id, proves_event_id=proved.id if proved else None, kind=kind,
                            file_name=path.name, media_type=media_type, size=len(data), sha256=sha, dated_on=dated,
                            note=event_row.note, public=public, stored_in=stored_in)
        kept[:] = [document]

        def link(event_id: int) -> None:
            document.event_id = event_id
            session.add(document)
            session.flush()  # its id, which the officer gets
        return link

    from workflow.engine import apply  # here: audit verify and the public site read documents without recording

    for attempt in range(ATTEMPTS):
        try:
            apply(bureau, case.ref, "document_added", actor=actor, note=note, data=details, on_recorded=keep,
                  internal=True)
            break
        except ConcurrentChange:
            if attempt == ATTEMPTS - 1:
                raise
    return {"id": kept[0].id, "ref": case.ref, "kind": kind, "sha256": sha, "size": len(data),
            "stored_in": IN_DATABASE if stored_in == IN_DATABASE else "folder", "public": public,
            "proves": event_seq if proved else None}


def _read(path: Path) -> tuple[bytes, str]:
    """The bytes of the file to archive and its media type."""
    check_text(str(path), "FILE")
    if not path.is_file():
        raise InvalidInput(_("{path} is not a file; nothing was archived.").format(path=path))
    media_type = MEDIA_TYPES.get(path.suffix.lower())
    if media_type is None:
        raise InvalidInput(_("{path} is not a document kerjasama archives; it archives PDF, images and office "
                             "documents ({suffixes}).").format(path=path, suffixes=" ".join(MEDIA_TYPES)))
    try:
        data = path.read_bytes()
    except OSError as err:
        raise InvalidInput(_("{path} cannot be read ({reason}); nothing was archived.")
                           .format(path=path, reason=err.strerror)) from None
    if not data:
        raise InvalidInput(_("{path} is empty; nothing was archived.").format(path=path))
    return data, media_type


def _proved_event(session, case: Case, seq: int, kind: str) -> Event:
    """Event ``seq`` of ``case``, when a document of ``kind`` can prove it."""
    target = session.exec(select(Event).where(Event.case_id == case.id, Event.seq == seq)).first()
    if target is None:
        raise InvalidInput(_("{ref} has no event #{seq}; kerjasama case history {ref} lists them.")
                           .format(ref=case.ref, seq=seq))
    proves = kinds()[kind].proves
    if target.name in ARCHIVE_EVENTS or (proves and target.name not in proves):
        allowed = ", ".join(name("event", event) for event in proves) or _("a step of the case")
        raise InvalidInput(_("#{seq} of {ref} is {event}; a document of the kind {kind} proves {allowed}.").format(
            seq=seq, ref=case.ref, event=name("event", target.name), kind=name("document_kind", kind),
            allowed=allowed))
    return target


def store_in_folder(folder: Path, sha: str, data: bytes) -> str:
    """Keep ``data`` in the documents folder as ``<sha[:2]>/<sha>``; returns the folder as recorded.

    Written under a temporary name and renamed, so that no one reads half a file. A file already there is kept when
    whole and replaced when not. A file written for an archiving that is then refused is content no row names:
    harmless, and kept if the same file comes again.
    """
    if not folder.is_dir():
        raise InvalidInput(_("The documents folder {folder} ([documents] folder of the config) is not there; is the "
                             "bureau's share mounted? Nothing was archived.").format(folder=folder))
    target = folder / sha[:2] / sha
    if _file_digest(target) == sha:
        return str(folder)
    try:
        target.parent.mkdir(exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".incoming-")
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(handle, 0o666 & ~umask)  # as any file made here: readable by the other officers the umask allows
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        os.replace(temporary, target)
    except OSError as err:
        raise InvalidInput(_("The documents folder {folder} cannot be written ({reason}); nothing was archived.")
                           .format(folder=folder, reason=err.strerror)) from None
    return str(folder)


def _file_digest(path: Path) -> str | None:
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except OSError:
        return None


def _kept_in_database(session, sha: str) -> str | None:
    return session.exec(select(DocumentContent.sha256).where(DocumentContent.sha256 == sha)).first()


def stored_bytes(session, document: Document, folder: Path | None = None) -> bytes | None:
    """The bytes kept for ``document``, unchecked; None when they are not there. A file of a folder is looked for
    where it was put, then in ``folder`` (the share mounted elsewhere now)."""
    if document.stored_in == IN_DATABASE:
        return session.exec(select(DocumentContent.content).where(DocumentContent.sha256 == document.sha256)).first()
    for place in dict.fromkeys(p for p in (Path(document.stored_in), folder) if p):
        try:
            return (place / document.sha256[:2] / document.sha256).read_bytes()
        except OSError:
            continue
    return None


def content_problem(document: Document, sealed: Event | None, proved: Event | None, data: bytes | None) -> str | None:
    """What is wrong with an archived document (its row, the event it proves, its bytes) against the event that
    sealed it; None if nothing."""
    where = _("document {id} ({file})").format(id=document.id, file=document.file_name)
    if sealed is None or sealed.name != "document_added":
        return _("{document} has no document_added event that sealed it").format(document=where)
    recorded = {"sha256": document.sha256, "document_kind": document.kind, "file_name": document.file_name,
                "size": document.size, "media_type": document.media_type, "proves": proved.seq if proved else None}
    if any(sealed.data.get(key) != value for key, value in recorded.items()):
        return _("{document} is not the one its event #{seq} sealed").format(document=where, seq=sealed.seq)
    if data is None:
        return _("the file of {document}, sealed by #{seq}, is missing").format(document=where, seq=sealed.seq)
    if hashlib.sha256(data).hexdigest() != sealed.data["sha256"]:
        return _("the file of {document} was changed or swapped since #{seq} sealed it").format(
            document=where, seq=sealed.seq)
    return None


def verified_bytes(session, document: Document, folder: Path | None = None) -> bytes:
    """The bytes of ``document``, checked against the hash its event sealed.

    :raises InvalidInput: they are missing, or are not those archived.
    """
    data = stored_bytes(session, document, folder)
    proved = session.get(Event, document.proves_event_id) if document.proves_event_id else None
    problem = content_problem(document, session.get(Event, document.event_id), proved, data)
    if problem:
        raise InvalidInput(_("{problem}; nothing was written (kerjasama audit verify checks every archived file).")
                           .format(problem=problem[0].upper() + problem[1:]))
    return data


def documents_of(bureau: Bureau, ref: str | None = None) -> list[dict]:
    """The archived documents in the order archived; of one case when ``ref`` is given."""
    with bureau.db.session() as session:
        load_region(session)
        query = (select(Document, Case.ref, Event).join(Case, Case.id == Document.case_id)
                 .join(Event, Event.id == Document.event_id).order_by(Document.id))
        if ref:
            query = query.where(Document.case_id == load_case(session, ref).id)
        rows = session.exec(query).all()
        proved = {e.id: e for e in session.exec(select(Event).where(
            Event.id.in_([d.proves_event_id for d, _r, _e in rows if d.proves_event_id])))}
        taken_back = withdrawn(session.exec(select(Event).where(Event.name == "document_withdrawn")).all())
    return [_as_dict(document, case_ref, added, proved.get(document.proves_event_id))
            | {"withdrawn": document.id in taken_back} for document, case_ref, added in rows]


def _as_dict(document: Document, ref: str, added: Event, proved: Event | None) -> dict:
    return {"id": document.id, "ref": ref, "kind": document.kind, "file_name": document.file_name,
            "media_type": document.media_type, "size": document.size, "sha256": document.sha256,
            "dated": document.dated_on.isoformat() if document.dated_on else None,
            "proves": proved.seq if proved else None, "proves_event": proved.name if proved else None,
            "public": document.public, "archived_on": added.occurred_on.isoformat(), "archived_by": added.actor,
            "seq": added.seq, "note": document.note,
            "stored_in": IN_DATABASE if document.stored_in == IN_DATABASE else "folder"}


def fetch(bureau: Bureau, key: str, folder: Path | None = None) -> tuple[dict, bytes]:
    """Document ``key`` (its number, or its SHA-256 or at least 8 of its first hex digits) and its bytes, checked.

    :raises InvalidInput: no such document, or its bytes are missing or not those archived.
    """
    with bureau.db.session() as session:
        load_region(session)
        document = _find(session, key)
        data = verified_bytes(session, document, folder)
        ref = session.get(Case, document.case_id).ref
    return {"id": document.id, "ref": ref, "file_name": document.file_name, "sha256": document.sha256}, data


def located(bureau: Bureau, key: str) -> tuple[str, str]:
    """The case ref and SHA-256 of document ``key`` (as :func:`fetch` takes it), without reading its bytes."""
    with bureau.db.session() as session:
        document = _find(session, key, one=True)
        if document.id in withdrawn(session.exec(select(Event).where(Event.case_id == document.case_id)).all()):
            raise InvalidInput(_("Document {id} was withdrawn; it proves nothing.").format(id=document.id))
        return session.get(Case, document.case_id).ref, document.sha256


def _find(session, key: str, one: bool = False) -> Document:
    """The document ``key`` names; by its hash, the first archived with it (the bytes are the same), or with ``one``
    the only one."""
    text = key.strip().lower()
    if text.isdigit():
        found = [session.get(Document, int(text))]
    elif _SHA256.fullmatch(text):
        found = list(session.exec(select(Document).where(Document.sha256.startswith(text)).order_by(Document.id)))
    else:
        found = []
    if not found or found[0] is None:
        raise InvalidInput(_("No archived document {key}; kerjasama doc list shows them.").format(key=key.strip()[:70]))
    if one and len(found) > 1:
        raise InvalidInput(_("{key} is the content of documents {ids}; give the number of one.").format(
            key=key.strip()[:70], ids=", ".join(str(d.id) for d in found)))
    return found[0]


def publish(bureau: Bureau, key: str, *, actor: str | None = None) -> dict:
    """Make document ``key`` public: record ``document_published``; the public site links it from then on.

    :raises InvalidInput: no such document, one already public, or one that is not a signed text.
    """
    with bureau.db.session() as session:
        load_region(session)
        document = _find(session, key, one=True)
        ref = session.get(Case, document.case_id).ref
        taken_back = withdrawn(session.exec(select(Event).where(Event.case_id == document.case_id)).all())
    if document.id in taken_back:
        raise InvalidInput(_("Document {id} was withdrawn (#{seq}); archive the right file with kerjasama doc add.")
                           .format(id=document.id, seq=taken_back[document.id].seq))
    _check_publishable(document.kind, document)

    from workflow.engine import apply

    def mark(session, case, event_row):
        session.execute(update(Document).where(Document.id == document.id).values(public=True))

    apply(bureau, ref, "document_published", actor=actor, data={"document": document.id, "sha256": document.sha256},
          on_recorded=mark, internal=True)
    return {"id": document.id, "ref": ref, "public": True}


def _check_publishable(kind: str, document: Document | None) -> None:
    if document is not None and document.public:
        raise InvalidInput(_("Document {id} is already public.").format(id=document.id))
    if kind not in PUBLISHABLE:
        raise InvalidInput(_("Only a signed text ({kinds}) goes on the public site; this is {kind}.").format(
            kinds=", ".join(name("document_kind", k) for k in PUBLISHABLE), kind=name("document_kind", kind)))


def published(document: Document, record: list[Event]) -> bool:
    """Whether an event of the case's ``record`` made ``document`` public and none withdrew it (the sealed decision
    behind the flag)."""
    return document.id not in withdrawn(record) and any(
        (e.name == "document_published" and e.data.get("document") == document.id)
        or (e.id == document.event_id and e.data.get("public")) for e in record)


def withdrawn(record: list[Event]) -> dict[int, Event]:
    """The documents of a case's ``record`` withdrawn as archived by mistake, each with the event that withdrew it."""
    return {e.data["document"]: e for e in record if e.name == "document_withdrawn"}


def withdraw(bureau: Bureau, key: str, *, actor: str | None, note: str | None) -> dict:
    """Record that document ``key`` was archived by mistake (``document_withdrawn``, with the reason): it is kept
    with its hash, as every record is, but proves nothing from then on and leaves the public site.

    :raises InvalidInput: no such document, one already withdrawn, or no note.
    """
    from workflow.engine import apply

    with bureau.db.session() as session:
        load_region(session)
        document = _find(session, key, one=True)
        ref = session.get(Case, document.case_id).ref
        record = session.exec(select(Event).where(Event.case_id == document.case_id)).all()
    if document.id in withdrawn(record):
        raise InvalidInput(_("Document {id} was withdrawn already (#{seq}).").format(
            id=document.id, seq=withdrawn(record)[document.id].seq))

    def unpublish(session, case, event_row):
        session.execute(update(Document).where(Document.id == document.id).values(public=False))

    apply(bureau, ref, "document_withdrawn", actor=actor, note=note, on_recorded=unpublish, internal=True,
          data={"document": document.id, "sha256": document.sha256})
    return {"id": document.id, "ref": ref, "withdrawn": True}


def extension(document: Document) -> str:
    """The file name's extension, as archived ("" when it is not one of those kerjasama archives)."""
    suffix = Path(document.file_name).suffix.lower()
    return suffix if suffix in MEDIA_TYPES else ""
