"""The document archive: the papers of a case (workflow/documents.py) and their content, kept once per SHA-256."""
from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field

from db.models import Table, utcnow
from db.types import AwareDateTime


class DocumentContent(Table, table=True):
    """The bytes of a file stored in the database, keyed by their SHA-256: the same file stored twice is kept once.
    Files kept in the configured folder have no row here."""

    __tablename__ = "document_contents"

    sha256: str = Field(primary_key=True)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))


class Document(Table, table=True):
    """A file archived against a case, optionally proving one of its events. The event that added it
    (``document_added``) seals its hash in the region's chain."""

    __tablename__ = "documents"

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="cases.id", index=True)
    event_id: int = Field(foreign_key="events.id", unique=True)  # the document_added event
    proves_event_id: int | None = Field(default=None, foreign_key="events.id")
    kind: str  # a code of workflow/data/document_kinds.csv
    file_name: str
    media_type: str
    size: int
    sha256: str = Field(index=True)
    dated_on: date | None = None  # the document's own date, when given
    note: str | None = None
    public: bool = False  # shown and linked on the public site
    stored_in: str  # "database" (document_contents) or "folder" (the [documents] folder of the config)
    recorded_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime)
