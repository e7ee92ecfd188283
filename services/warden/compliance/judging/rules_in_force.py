"""The rules a judge judges with: a fixed rule set (a rules directory's files, replaced all or
nothing by `reload`), or the rule catalogue's active and shadow versions, re-read in the
judging transaction whenever the catalogue's generation moves (`rule_set`)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from pathlib import Path
from typing import Self

from sqlalchemy import Connection, Engine
from sqlalchemy.exc import IntegrityError

from warden.compliance.domain.ladder import DEFAULT_LADDER, Ladder
from warden.compliance.judging.deadlines import DeadlineBook
from warden.compliance.judging.rule_set import RuleSet
from warden.compliance.rules import catalogue
from warden.compliance.rules.engine import RuleEngine
from warden.compliance.rules.ladder_file import load_ladder
from warden.compliance.rules.reading import RuleBookInvalid
from warden.compliance.rules.rulebook import load_rules
from warden.errors import FailedPrecondition

log = logging.getLogger(__name__)


class RulesInForce:
    """A fixed rule set, or (`catalogued`) the catalogue's active and shadow rules, re-read in
    the judging transaction whenever its generation moves; `engine` is the database's."""

    def __init__(
        self,
        engine: Engine,
        rules: RuleEngine,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        ladder: Ladder = DEFAULT_LADDER,
        shadow: Iterable[str] = (),
        catalogued: bool = False,
    ) -> None:
        self.engine = engine
        self.clock = clock
        self.catalogued = catalogued
        self._set = RuleSet(rules, ladder, frozenset(shadow))
        self._swap = threading.Lock()

    @property
    def rules(self) -> RuleEngine:
        return self._set.engine

    @property
    def ladder(self) -> Ladder:
        return self._set.ladder

    @property
    def deadlines(self) -> DeadlineBook:
        return self._set.deadlines

    @property
    def generation(self) -> int:
        return self._set.generation

    @classmethod
    def from_directory(cls, engine: Engine, directory: Path) -> Self:
        """Judging with the rules and the sanction ladder of a rules directory."""
        return cls(
            engine,
            RuleEngine(load_rules(directory)),
            ladder=load_ladder(directory) or DEFAULT_LADDER,
        )

    @classmethod
    def from_catalogue(
        cls,
        engine: Engine,
        directory: Path,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> Self:
        """Judging with the catalogue's rules and the ladder of `directory`; the directory's rule
        files are published first, and activated where the catalogue has no mode for them."""
        ladder = load_ladder(directory) or DEFAULT_LADDER
        for attempt in (1, 2):
            try:
                with engine.begin() as conn:
                    catalogue.seed(conn, directory, clock())
                break
            except IntegrityError:
                if attempt == 2:
                    raise
                log.info("another replica seeded the rule catalogue meanwhile; seeding again")
        judge = cls(engine, RuleEngine([]), clock=clock, ladder=ladder, catalogued=True)
        with engine.connect() as conn:
            judge.rule_set(conn)
        return judge

    def rule_set(self, conn: Connection) -> RuleSet:
        """The rules to judge with in this transaction: the catalogue's current generation."""
        with self._swap:
            current = self._set
        if not self.catalogued:
            return current
        if catalogue.generation(conn) == current.generation:
            return current
        book = catalogue.current(conn)
        fresh = RuleSet(
            RuleEngine(book.active + book.shadow),
            current.ladder,
            frozenset(r.key for r in book.shadow),
            book.generation,
        )
        with self._swap:
            if self._set.generation < fresh.generation:
                self._set = fresh
        log.info(
            "judging with rule catalogue generation %d: %d active, %d in shadow (%s)",
            book.generation,
            len(book.active),
            len(book.shadow),
            ", ".join(sorted(fresh.shadow)) or "none",
        )
        return fresh

    def reload(self, directory: Path) -> int:
        """Replace the rules (and ladder) with those in `directory`, all or nothing: on any bad
        file raise RuleBookInvalid (file, line, reason) and keep judging with the current ones.
        (A catalogued judge changes rules through the catalogue instead.)"""
        if self.catalogued:
            raise FailedPrecondition(
                "rules: this judge follows the rule catalogue; publish and activate instead"
            )
        try:
            rules = RuleEngine(load_rules(directory))
            ladder = load_ladder(directory) or DEFAULT_LADDER
        except RuleBookInvalid as invalid:
            for error in invalid.errors:
                log.error("rule file refused, previous rules kept: %s", error)
            raise
        with self._swap:
            self._set = RuleSet(rules, ladder)
        log.info("reloaded %d rule(s) from %s", len(rules.rules), directory)
        return len(rules.rules)
