"""The catalog library: catalogs, their append-only revisions and autosaved drafts."""

from __future__ import annotations

import builtins
import dataclasses
import secrets
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from types import TracebackType
from typing import Any, Self

from sqlalchemy import Connection, delete, exc, func, insert, select, update

from catalog.store import _tables as t
from catalog.store._document import (
    MAX_NAME_CHARS,
    clean_name,
    clean_note,
    describe,
    search_text,
)
from catalog.store._engine import WRITE, make_engine, resolve_url, upgrade
from catalog.store._errors import ConflictError, DraftConflictError
from catalog.store._records import (
    CatalogInfo,
    CatalogSummary,
    Draft,
    Revision,
    RevisionInfo,
)
from catalog.store._rows import (
    OutputOptions,
    append,
    clean_output_options,
    database_errors,
    insert_revision,
    live,
    newest_revision,
    not_found,
    replace_tags,
    revision,
    summary_fields,
    tags_of,
    upsert_draft,
)

Clock = Callable[[], datetime]
Document = dict[str, Any]
_COPY = " (copy)"


def new_id() -> str:
    """A fresh catalog id: 11 URL-safe characters (64 random bits), fit for ``?catalog=``."""
    return secrets.token_urlsafe(8)


def _utcnow() -> datetime:
    return datetime.now(UTC)


class Store:
    """The catalog library in one SQL database: a SQLite file, or PostgreSQL when shared.

    Every method is one transaction, so a ``Store`` may be shared by threads, and several
    processes or replicas may use one database at once.  Saving never overwrites: it
    appends revision ``base_revision + 1`` or raises :class:`ConflictError`.  Deleting
    hides a catalog until :meth:`undelete` or :meth:`purge_deleted`.

    ``url`` defaults to ``$MODEL_CATALOG_DB_URL``, else ``<data dir>/catalogs.db`` with the
    data directory ``$MODEL_CATALOG_DATA_DIR`` or ``./data``.  Opening migrates the schema
    to the newest version.  ``clock`` (aware UTC datetimes) is for tests.
    """

    def __init__(self, url: str | None = None, *, clock: Clock = _utcnow) -> None:
        self.url = resolve_url(url)
        self._engine = make_engine(self.url)
        self._writer = self._engine.execution_options(**{WRITE: True})
        self._clock = clock
        try:
            with database_errors():
                upgrade(self._engine)
        except BaseException:
            self.close()
            raise

    def __repr__(self) -> str:
        return f"Store({str(self.url)!r})"

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Close the pooled database connections."""
        self._engine.dispose()

    # -- catalogs -------------------------------------------------------------------------

    def create(
        self,
        name: str | None,
        document: Document,
        note: str | None = None,
        *,
        output_options: OutputOptions | None = None,
    ) -> CatalogInfo:
        """Store a new catalog with ``document`` as revision 1.

        Without a name (None or blank) the catalog is named after its document, and the
        name follows the document at every save until :meth:`rename` gives one.
        ``output_options`` (``layout``, ``kind``, ``api_definition``) are kept with the
        revision: they say how it is published to Backstage.
        """
        facts = describe(document)
        named = bool((name or "").strip())
        name, note, now = clean_name(name, facts), clean_note(note), self._clock()
        # 64 random bits: a clash is not worth a retry loop; the primary key would refuse it.
        catalog_id = new_id()
        with self._write() as conn:
            conn.execute(
                insert(t.catalogs).values(
                    id=catalog_id,
                    name=name,
                    named=named,
                    owner=facts.owner,
                    search_text=search_text(name, facts),
                    model_count=facts.model_count,
                    latest_revision=1,
                    created_at=now,
                    updated_at=now,
                )
            )
            insert_revision(conn, catalog_id, 1, document, note, now, output_options)
            replace_tags(conn, catalog_id, facts.tags)
        return CatalogInfo(
            id=catalog_id,
            name=name,
            revision=1,
            model_count=facts.model_count,
            tags=facts.tags,
            created_at=now,
            updated_at=now,
            owner=facts.owner,
            named=named,
            document=document,
        )

    def get(self, catalog_id: str) -> CatalogInfo:
        """The catalog with its latest revision's number and document."""
        with self._read() as conn:
            row = live(conn, catalog_id)
            document = revision(conn, catalog_id, row.latest_revision).document
            tags = tags_of(conn, [catalog_id])
        return CatalogInfo(**summary_fields(row, tags), document=document)

    def summary(self, catalog_id: str) -> CatalogSummary:
        """The catalog's listing line (latest revision number, name...), without a document."""
        with self._read() as conn:
            row = live(conn, catalog_id)
            tags = tags_of(conn, [catalog_id])
        return CatalogSummary(**summary_fields(row, tags))

    def list(
        self, search: str = "", tag: str | None = None, *, deleted: bool = False
    ) -> builtins.list[CatalogSummary]:
        """Catalogs, newest change first, whose name or model names contain ``search``.

        Matching ignores case; ``tag`` keeps catalogs with that tag.  ``deleted=True``
        lists the deleted ones instead (the bin), most recently deleted first.
        """
        c = t.catalogs.c
        query = select(t.catalogs).where(
            c.deleted_at.is_not(None) if deleted else c.deleted_at.is_(None)
        )
        if needle := search.strip().casefold():
            query = query.where(c.search_text.contains(needle, autoescape=True))
        if tag and (tag := tag.strip().lower()):
            tagged = t.catalog_tags.c
            query = query.where(
                select(tagged.catalog_id)
                .where(tagged.catalog_id == c.id, tagged.tag == tag)
                .exists()
            )
        order = c.deleted_at.desc() if deleted else c.updated_at.desc()
        with self._read() as conn:
            rows = conn.execute(query.order_by(order, c.name, c.id)).all()
            tags = tags_of(conn, query.with_only_columns(c.id))
        return [CatalogSummary(**summary_fields(row, tags)) for row in rows]

    def all_tags(self) -> builtins.list[tuple[str, int]]:
        """Every tag in the library with how many catalogs carry it, most used first."""
        c, g = t.catalogs.c, t.catalog_tags.c
        count = func.count().label("count")
        query = (
            select(g.tag, count)
            .join(t.catalogs, c.id == g.catalog_id)
            .where(c.deleted_at.is_(None))
            .group_by(g.tag)
            .order_by(count.desc(), g.tag)
        )
        with self._read() as conn:
            return [(tag, n) for tag, n in conn.execute(query)]

    def load_all(self) -> builtins.list[CatalogInfo]:
        """Every catalog (not deleted) with its latest document, newest change first."""
        c, r = t.catalogs.c, t.revisions.c
        query = (
            select(t.catalogs, r.document)
            .join(t.revisions, (r.catalog_id == c.id) & (r.number == c.latest_revision))
            .where(c.deleted_at.is_(None))
        )
        with self._read() as conn:
            rows = conn.execute(query.order_by(c.updated_at.desc(), c.name, c.id)).all()
            tags = tags_of(conn, select(c.id).where(c.deleted_at.is_(None)))
        return [CatalogInfo(**summary_fields(row, tags), document=row.document) for row in rows]

    def rename(self, catalog_id: str, name: str) -> CatalogSummary:
        """Give the catalog a new name; empty: the document's, and following it from now on."""
        now = self._clock()
        with self._write() as conn:
            row = live(conn, catalog_id, lock=True)
            facts = describe(revision(conn, catalog_id, row.latest_revision).document)
            named = bool(name.strip())
            name = clean_name(name, facts)
            conn.execute(
                update(t.catalogs)
                .where(t.catalogs.c.id == catalog_id)
                .values(
                    name=name,
                    named=named,
                    search_text=search_text(name, facts),
                    updated_at=now,
                )
            )
            tags = tags_of(conn, [catalog_id])
        return dataclasses.replace(
            CatalogSummary(**summary_fields(row, tags)), name=name, named=named, updated_at=now
        )

    def duplicate(self, catalog_id: str, new_name: str | None = None) -> CatalogInfo:
        """A new catalog whose revision 1 is this one's latest document."""
        source = self.get(catalog_id)
        copy_name = new_name or source.name[: MAX_NAME_CHARS - len(_COPY)] + _COPY
        note = f"Copied from “{source.name}” revision {source.revision}"
        options = self.revision(catalog_id, source.revision).output_options
        return self.create(copy_name, source.document, note=note, output_options=options)

    def delete(self, catalog_id: str) -> None:
        """Hide the catalog from everything but :meth:`undelete` and the bin."""
        with self._write() as conn:
            c = t.catalogs.c
            result = conn.execute(
                update(t.catalogs)
                .where(c.id == catalog_id, c.deleted_at.is_(None))
                .values(deleted_at=self._clock())
            )
            if result.rowcount != 1:
                raise not_found(catalog_id)

    def undelete(self, catalog_id: str) -> CatalogSummary:
        """Bring back a deleted (not yet purged) catalog; harmless if it is not deleted."""
        with self._write() as conn:
            row = conn.execute(select(t.catalogs).where(t.catalogs.c.id == catalog_id)).first()
            if row is None:
                raise not_found(catalog_id)
            conn.execute(
                update(t.catalogs).where(t.catalogs.c.id == catalog_id).values(deleted_at=None)
            )
            tags = tags_of(conn, [catalog_id])
        return dataclasses.replace(CatalogSummary(**summary_fields(row, tags)), deleted_at=None)

    def purge_deleted(self, older_than: timedelta = timedelta(0)) -> int:
        """Remove for good the catalogs deleted at least ``older_than`` ago; how many."""
        cutoff = self._clock() - older_than
        c = t.catalogs.c
        with self._write() as conn:
            # Revisions, tags and drafts go with them (ON DELETE CASCADE).
            result = conn.execute(
                delete(t.catalogs).where(c.deleted_at.is_not(None), c.deleted_at <= cutoff)
            )
        return result.rowcount

    # -- revisions ------------------------------------------------------------------------

    def save(
        self,
        catalog_id: str,
        document: Document,
        base_revision: int,
        note: str | None = None,
        *,
        output_options: OutputOptions | None = None,
    ) -> RevisionInfo:
        """Append ``document`` as revision ``base_revision + 1``, with its output options.

        Raises :class:`ConflictError` (and writes nothing) when ``base_revision`` is not
        the latest revision any more.
        """
        facts = describe(document)
        note, now = clean_note(note), self._clock()
        number = base_revision + 1
        try:
            with self._write() as conn:
                row = live(conn, catalog_id, lock=True)
                if row.latest_revision != base_revision:
                    latest = revision(conn, catalog_id, row.latest_revision)
                    raise ConflictError(base_revision, latest)
                append(conn, row, number, document, facts, note, now, output_options)
        except exc.IntegrityError:
            # Only when a writer got past the row lock: the primary key refused a second
            # revision with this number.  Nothing was written; report as a conflict.
            with self._read() as conn:
                latest = newest_revision(conn, catalog_id)
            raise ConflictError(base_revision, latest) from None
        return RevisionInfo(catalog_id=catalog_id, number=number, created_at=now, note=note)

    def restore(self, catalog_id: str, number: int, note: str | None = None) -> RevisionInfo:
        """Append revision ``number``'s document (and output options) as a new latest one."""
        note, now = clean_note(note or f"Restored revision {number}"), self._clock()
        with self._write() as conn:
            row = live(conn, catalog_id, lock=True)
            old = revision(conn, catalog_id, number)
            new_number = row.latest_revision + 1
            append(
                conn, row, new_number, old.document, describe(old.document), note, now,
                old.output_options,
            )  # fmt: skip
        return RevisionInfo(catalog_id=catalog_id, number=new_number, created_at=now, note=note)

    def revisions(self, catalog_id: str) -> builtins.list[RevisionInfo]:
        """The catalog's revisions without documents, newest first."""
        r = t.revisions.c
        query = (
            select(r.number, r.note, r.created_at)
            .where(r.catalog_id == catalog_id)
            .order_by(r.number.desc())
        )
        with self._read() as conn:
            live(conn, catalog_id)
            rows = conn.execute(query).all()
        return [
            RevisionInfo(catalog_id=catalog_id, number=n, note=note, created_at=at)
            for n, note, at in rows
        ]

    def revision(self, catalog_id: str, number: int) -> Revision:
        """One revision of the catalog, with its document."""
        with self._read() as conn:
            live(conn, catalog_id)
            return revision(conn, catalog_id, number)

    # -- drafts ---------------------------------------------------------------------------

    def save_draft(
        self,
        catalog_id: str,
        document: Document,
        base_revision: int,
        *,
        editor: str = "",
        expected_version: int | None = None,
        browser: str = "",
        output_options: OutputOptions | None = None,
    ) -> Draft:
        """Keep ``document`` as ``editor``'s working draft of the catalog, replacing theirs.

        Each editor (a token naming one line of editing, e.g. a browser tab) has a draft of
        its own, so two people never overwrite each other's unsaved work.  With
        ``expected_version`` (the ``version`` of the draft as last read or written) a
        draft someone else wrote in between raises :class:`DraftConflictError` and
        nothing is written.  ``browser`` names the browser writing it (see
        :attr:`Draft.browser`); ``output_options`` are the options chosen meanwhile
        (None: the base revision's).
        """
        describe(document)
        options = clean_output_options(output_options)
        now = self._clock()
        values = {
            "catalog_id": catalog_id,
            "editor": editor,
            "browser": browser,
            "base_revision": base_revision,
            "document": document,
            "updated_at": now,
            "output_options": options,
        }
        with self._write() as conn:
            row = live(conn, catalog_id)
            if not 1 <= base_revision <= row.latest_revision:
                raise ValueError(f"catalog {catalog_id!r} has no revision {base_revision}")
            version = conn.execute(upsert_draft(conn, values, expected_version)).scalar()
            if version is None:  # the row has another version: someone else wrote it
                current = self._draft_row(conn, catalog_id, editor)
                assert current is not None  # the row exists, or the insert would have run
                raise DraftConflictError(
                    catalog_id, editor, self._draft(current, row.latest_revision)
                )
        return Draft(
            catalog_id=catalog_id,
            document=document,
            base_revision=base_revision,
            latest_revision=row.latest_revision,
            updated_at=now,
            editor=editor,
            version=version,
            browser=browser,
            output_options=options,
        )

    def get_draft(self, catalog_id: str, editor: str | None = None) -> Draft | None:
        """``editor``'s draft (any editor's newest when None), if any; ``stale`` when a
        newer revision was saved since it was started."""
        if editor is None:
            found = self.drafts(catalog_id)
            return found[0] if found else None
        with self._read() as conn:
            row = live(conn, catalog_id)
            draft = self._draft_row(conn, catalog_id, editor)
        return None if draft is None else self._draft(draft, row.latest_revision)

    def drafts(self, catalog_id: str) -> builtins.list[Draft]:
        """Every editor's draft of the catalog, the most recently written first."""
        d = t.drafts.c
        with self._read() as conn:
            row = live(conn, catalog_id)
            rows = conn.execute(
                select(t.drafts)
                .where(d.catalog_id == catalog_id)
                .order_by(d.updated_at.desc(), d.version.desc(), d.editor)
            ).all()
        return [self._draft(r, row.latest_revision) for r in rows]

    def discard_draft(self, catalog_id: str, editor: str | None = None) -> None:
        """Forget ``editor``'s draft (every draft of the catalog when None); no draft is fine."""
        d = t.drafts.c
        condition = d.catalog_id == catalog_id
        if editor is not None:
            condition = condition & (d.editor == editor)
        with self._write() as conn:
            conn.execute(delete(t.drafts).where(condition))

    def purge_drafts(self, older_than: timedelta) -> int:
        """Remove the drafts nobody wrote for ``older_than`` (abandoned tabs); how many."""
        cutoff = self._clock() - older_than
        with self._write() as conn:
            result = conn.execute(delete(t.drafts).where(t.drafts.c.updated_at <= cutoff))
        return result.rowcount

    @staticmethod
    def _draft_row(conn: Connection, catalog_id: str, editor: str) -> Any:
        d = t.drafts.c
        query = select(t.drafts).where(d.catalog_id == catalog_id, d.editor == editor)
        return conn.execute(query).first()

    @staticmethod
    def _draft(row: Any, latest_revision: int) -> Draft:
        return Draft(
            catalog_id=row.catalog_id,
            document=row.document,
            base_revision=row.base_revision,
            latest_revision=latest_revision,
            updated_at=row.updated_at,
            editor=row.editor,
            version=row.version,
            browser=row.browser,
            output_options=row.output_options,
        )

    # -- plumbing -------------------------------------------------------------------------

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        with database_errors(), self._writer.begin() as conn:
            yield conn

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with database_errors(), self._engine.connect() as conn:
            yield conn
