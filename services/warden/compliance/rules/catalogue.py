"""The rule catalogue: every published rule version, which one is active and which runs in shadow.

A rule file's `version` names an immutable text: publishing stores it (a changed text under a
published version is refused), and activation chooses, per rule id, the version that opens
cases and optionally a second version that runs in shadow (its findings are recorded and
counted, no case is opened). Every change appends a row to `rule_activations`; the highest
row number is the catalogue's generation. Each judging transaction reads the generation and,
when it moved, judges with the new rule set from then on: an event is judged once, entirely
by the rules of one generation, by every replica sharing the database, without a restart.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Connection, Engine, func, select

from warden.compliance.domain.findings import Finding, Rule
from warden.compliance.rules.reading import RuleBookInvalid
from warden.compliance.rules.rule_files import RuleFile, digest, files_in, parse_files, parsed
from warden.compliance.storage import shadow_store
from warden.compliance.storage.schema import rule_activations, rule_modes, rule_versions
from warden.errors import FailedPrecondition, InvalidArgument, NotFound
from warden.platform.db import lock_row

log = logging.getLogger(__name__)

ACTIVE = "active"
SHADOW = "shadow"


@dataclass(frozen=True)
class Published:
    """What a publication did: versions stored now, and versions already stored as they are."""

    added: tuple[str, ...]
    unchanged: tuple[str, ...]


@dataclass(frozen=True)
class Rulebook:
    """The rules to judge with, as of one generation of the catalogue."""

    generation: int
    active: tuple[Rule, ...]
    shadow: tuple[Rule, ...]


@dataclass(frozen=True)
class RuleStatus:
    rule_id: str
    title: str
    clause: str
    active_version: int | None
    shadow_version: int | None
    versions: tuple[int, ...]
    changed_at: datetime | None
    changed_by: str


@dataclass(frozen=True)
class Activation:
    seq: int
    rule_id: str
    version: int | None
    mode: str
    at: datetime
    by: str
    reason: str


def publish(conn: Connection, files: Iterable[RuleFile], by: str, at: datetime) -> Published:
    """Store the versions of a candidate set that are not stored yet, all or nothing: an
    invalid file raises RuleBookInvalid, a published version whose text changed raises
    FailedPrecondition; either way nothing is stored."""
    files = list(files)
    rules = parse_files(files)
    texts = {f.path: f.text for f in files}
    added, unchanged, rows = [], [], []
    for rule in rules:
        text = texts[rule.source]
        stored = conn.execute(
            select(rule_versions.c.digest).where(
                rule_versions.c.rule_id == rule.rule_id, rule_versions.c.version == rule.version
            )
        ).first()
        if stored is None:
            added.append(rule.key)
            rows.append(
                {
                    "rule_id": rule.rule_id,
                    "version": rule.version,
                    "digest": digest(text),
                    "text": text,
                    "source": rule.source,
                    "clause": rule.clause,
                    "title": rule.title,
                    "published_at": at,
                    "published_by": by,
                }
            )
        elif stored.digest != digest(text):
            raise FailedPrecondition(
                f"version: {rule.rule_id} version {rule.version} is already published with "
                f"other content ({rule.source}); give the change a new version number"
            )
        else:
            unchanged.append(rule.key)
    if rows:
        conn.execute(rule_versions.insert(), rows)
    return Published(tuple(added), tuple(unchanged))


def _mode_row(conn: Connection, rule_id: str, for_update: bool = False):  # type: ignore[no-untyped-def]
    """The rule's modes; `for_update` holds the row until the transaction ends (lock_row)."""
    if for_update:
        lock_row(conn, rule_modes, "rule_id", rule_id)
    return conn.execute(select(rule_modes).where(rule_modes.c.rule_id == rule_id)).first()


def _set_mode(
    conn: Connection,
    rule_id: str,
    active: int | None,
    shadow: int | None,
    by: str,
    at: datetime,
    exists: bool,
) -> None:
    values = {
        "active_version": active,
        "shadow_version": shadow,
        "changed_at": at,
        "changed_by": by,
    }
    if exists:
        conn.execute(rule_modes.update().where(rule_modes.c.rule_id == rule_id).values(**values))
    else:
        conn.execute(rule_modes.insert().values(rule_id=rule_id, **values))


def _log(
    conn: Connection,
    rule_id: str,
    version: int | None,
    mode: str,
    by: str,
    at: datetime,
    reason: str,
) -> None:
    conn.execute(
        rule_activations.insert().values(
            rule_id=rule_id, version=version, mode=mode, at=at, by=by, reason=reason
        )
    )


def activate(
    conn: Connection,
    rule_id: str,
    version: int,
    by: str,
    at: datetime,
    shadow: bool = False,
    reason: str = "",
) -> None:
    """Make a published version the one that opens cases (or, with `shadow`, the one judged in
    shadow beside it). An unknown rule id or version is NotFound and changes nothing."""
    if not rule_id:
        raise InvalidArgument("rule_id", "is required")
    if version < 1:
        raise InvalidArgument("version", "must be 1 or more")
    known = conn.execute(
        select(rule_versions.c.version).where(
            rule_versions.c.rule_id == rule_id, rule_versions.c.version == version
        )
    ).first()
    if known is None:
        if not conn.execute(
            select(rule_versions.c.rule_id).where(rule_versions.c.rule_id == rule_id)
        ).first():
            raise NotFound("rule", rule_id)
        raise NotFound("rule version", f"{rule_id}@v{version}")
    row = _mode_row(conn, rule_id, for_update=True)
    active = row.active_version if row else None
    in_shadow = row.shadow_version if row else None
    if shadow:
        if active == version:
            raise FailedPrecondition(
                f"version: {rule_id}@v{version} is the active version; shadow another one"
            )
        if in_shadow == version:
            return
        in_shadow = version
    else:
        if active == version:
            return
        active = version
        if in_shadow == version:
            in_shadow = None  # promoted from shadow to active
    _set_mode(conn, rule_id, active, in_shadow, by, at, exists=row is not None)
    _log(conn, rule_id, version, SHADOW if shadow else ACTIVE, by, at, reason)
    log.info("rule %s@v%s is now %s (by %s)", rule_id, version, SHADOW if shadow else ACTIVE, by)


def deactivate(
    conn: Connection, rule_id: str, by: str, at: datetime, shadow: bool = False, reason: str = ""
) -> None:
    """Stop judging with a rule (or only with its shadow version)."""
    row = _mode_row(conn, rule_id, for_update=True)
    if row is None:
        raise NotFound("rule", rule_id)
    current = row.shadow_version if shadow else row.active_version
    if current is None:
        raise FailedPrecondition(
            f"rule_id: {rule_id} has no {'shadow' if shadow else 'active'} version"
        )
    active = row.active_version if shadow else None
    in_shadow = None if shadow else row.shadow_version
    _set_mode(conn, rule_id, active, in_shadow, by, at, exists=True)
    _log(conn, rule_id, None, SHADOW if shadow else ACTIVE, by, at, reason)
    log.info("rule %s %s switched off (by %s)", rule_id, SHADOW if shadow else ACTIVE, by)


# Built once: the judge reads it in every transaction, and building the statement cost more
# than SQLite took to answer it.
_GENERATION = select(func.max(rule_activations.c.seq))


def generation(conn: Connection) -> int:
    """The number of the last change to the catalogue (0: never changed)."""
    return int(conn.execute(_GENERATION).scalar() or 0)


def _rule(conn: Connection, rule_id: str, version: int) -> Rule:
    row = conn.execute(
        select(rule_versions.c.text, rule_versions.c.source).where(
            rule_versions.c.rule_id == rule_id, rule_versions.c.version == version
        )
    ).one()
    return parsed(row.text, row.source)


def current(conn: Connection) -> Rulebook:
    """The active and shadow rules as of now, with the generation they belong to."""
    gen = generation(conn)
    active, shadow = [], []
    for row in conn.execute(select(rule_modes).order_by(rule_modes.c.rule_id)):
        if row.active_version is not None:
            active.append(_rule(conn, row.rule_id, row.active_version))
        if row.shadow_version is not None:
            shadow.append(_rule(conn, row.rule_id, row.shadow_version))
    return Rulebook(gen, tuple(active), tuple(shadow))


def is_empty(conn: Connection) -> bool:
    return conn.execute(select(rule_versions.c.rule_id).limit(1)).first() is None


def seed(conn: Connection, directory: Path, at: datetime, by: str = "startup") -> Published:
    """At start-up: publish the directory's rule files, and activate the version found there
    for every rule id the catalogue has never had a mode for. A newer version of a rule that
    already has one is only published: an operator activates it (`warden rules activate`)."""
    files = files_in(directory)
    if not files:
        log.warning("no rule file in %s: nothing to publish", directory)
        return Published((), ())
    published = publish(conn, files, by, at)
    for rule in parse_files(files):
        row = _mode_row(conn, rule.rule_id)
        if row is None:
            activate(conn, rule.rule_id, rule.version, by, at, reason=f"first seen in {directory}")
        elif row.active_version != rule.version and rule.key in published.added:
            log.warning(
                "%s published from %s; version %s stays active until `warden rules activate %s %s`",
                rule.key,
                directory,
                row.active_version,
                rule.rule_id,
                rule.version,
            )
    return published


def statuses(conn: Connection) -> list[RuleStatus]:
    """Every rule id ever published: its modes and published versions."""
    versions: dict[str, list[tuple[int, str, str]]] = {}
    for row in conn.execute(
        select(
            rule_versions.c.rule_id,
            rule_versions.c.version,
            rule_versions.c.title,
            rule_versions.c.clause,
        ).order_by(rule_versions.c.rule_id, rule_versions.c.version)
    ):
        versions.setdefault(row.rule_id, []).append((row.version, row.title, row.clause))
    modes = {row.rule_id: row for row in conn.execute(select(rule_modes))}
    result = []
    for rule_id, known in versions.items():
        mode = modes.get(rule_id)
        shown = next(
            (v for v in known if mode is not None and v[0] == mode.active_version), known[-1]
        )
        result.append(
            RuleStatus(
                rule_id=rule_id,
                title=shown[1],
                clause=shown[2],
                active_version=mode.active_version if mode else None,
                shadow_version=mode.shadow_version if mode else None,
                versions=tuple(v[0] for v in known),
                changed_at=mode.changed_at if mode else None,
                changed_by=mode.changed_by if mode else "",
            )
        )
    return result


def history(conn: Connection, rule_id: str = "", limit: int = 100) -> list[Activation]:
    """The latest catalogue changes, newest first."""
    query = select(rule_activations).order_by(rule_activations.c.seq.desc()).limit(limit)
    if rule_id:
        query = query.where(rule_activations.c.rule_id == rule_id)
    return [
        Activation(r.seq, r.rule_id, r.version, r.mode, r.at, r.by, r.reason)
        for r in conn.execute(query)
    ]


class RuleCatalog:
    """The catalogue's use cases, one transaction each, for the gRPC servicer and the CLI."""

    def __init__(
        self, engine: Engine, clock: Callable[[], datetime] = lambda: datetime.now(UTC)
    ) -> None:
        self.engine = engine
        self.clock = clock

    def publish(self, files: Iterable[RuleFile], by: str) -> Published:
        try:
            with self.engine.begin() as conn:
                published = publish(conn, files, by, self.clock())
        except RuleBookInvalid as invalid:
            raise InvalidArgument("files", "\n" + "\n".join(map(str, invalid.errors))) from None
        log.info(
            "%s published %d new rule version(s): %s",
            by,
            len(published.added),
            ", ".join(published.added) or "none",
        )
        return published

    def activate(
        self, rule_id: str, version: int, by: str, shadow: bool = False, reason: str = ""
    ) -> tuple[RuleStatus, int]:
        with self.engine.begin() as conn:
            activate(conn, rule_id, version, by, self.clock(), shadow=shadow, reason=reason)
            return self._status(conn, rule_id), generation(conn)

    def deactivate(
        self, rule_id: str, by: str, shadow: bool = False, reason: str = ""
    ) -> tuple[RuleStatus, int]:
        with self.engine.begin() as conn:
            deactivate(conn, rule_id, by, self.clock(), shadow=shadow, reason=reason)
            return self._status(conn, rule_id), generation(conn)

    def rules(self) -> tuple[list[RuleStatus], dict[tuple[str, int, str], int], int]:
        """Every rule's status, the findings per (rule id, version, mode), the generation."""
        with self.engine.connect() as conn:
            return statuses(conn), shadow_store.finding_counts(conn), generation(conn)

    def shadow_findings(self, rule_id: str, limit: int = 50) -> list[Finding]:
        """The rule's latest shadow findings, newest first."""
        with self.engine.connect() as conn:
            return shadow_store.list_shadow_findings(conn, rule_id, limit=limit, newest_first=True)

    def changes(self, rule_id: str = "", limit: int = 100) -> list[Activation]:
        with self.engine.connect() as conn:
            return history(conn, rule_id, limit)

    @staticmethod
    def _status(conn: Connection, rule_id: str) -> RuleStatus:
        return next(s for s in statuses(conn) if s.rule_id == rule_id)
