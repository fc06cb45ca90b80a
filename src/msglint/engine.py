"""The pipeline: discover -> read -> extract -> link -> check. Reporters take it from there.

Nothing here stops at the first problem: a file that cannot be read becomes a parse finding, a
rule or extractor that crashes becomes an internal error, and everything else still runs.
"""

from __future__ import annotations

import dataclasses
import traceback
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from msglint import catalog, facts, fixes
from msglint.catalog import Rule
from msglint.checks import Hit
from msglint.config import Config
from msglint.discover import MAX_BYTES, Candidate, discover, git_root
from msglint.documents import Document, display_path, read, transient
from msglint.model import Entity, Finding, Fix, Origin, Related, Result, Setting, Span
from msglint.readers import READ_SECONDS, ParseError

if TYPE_CHECKING:
    from msglint.cache import Cache
    from msglint.parallel import Prepared

PARSE_ERROR = "MSG001"
SKIPPED = "MSG004"


# Result (what a run found) lives in msglint.model, so reporters need not import the engine;
# `engine.Result` stays importable through the import above.


def selected(code: str, select: Sequence[str], ignore: Sequence[str], opt_in: Collection[str] = ()) -> bool:
    """``--select``/``--ignore`` by code or prefix (``ALL`` for every rule), as ruff does: the
    longest matching prefix decides, and on a tie ignore wins. Case does not matter (semgrep rule
    ids are lower case). Without a selection the default rule set runs: every rule but the
    ``opt_in`` ones, which run only when a selector names them."""
    code = code.upper()

    def best(prefixes: Sequence[str]) -> int:
        return max(
            (len(p) if p != "ALL" else 0 for p in prefixes if p == "ALL" or code.startswith(p.upper())), default=-1
        )

    chosen = best(select) if select else -1 if code in opt_in else 0
    dropped = best(ignore)
    return chosen >= 0 and chosen > dropped


def opt_in_codes(rules: Iterable[Rule], select: Sequence[str], extend_select: Sequence[str]) -> frozenset[str]:
    """The opt-in rules left out of this run: none when a selection is given (it says what runs),
    else those that ``extend-select`` does not name."""
    if select:
        return frozenset()
    return frozenset(r.code for r in rules if r.opt_in and not (extend_select and selected(r.code, extend_select, ())))


def internal(errors: list[str], what: str, exc: BaseException) -> None:
    frame = traceback.extract_tb(exc.__traceback__)[-1] if exc.__traceback__ else None
    where = f" ({Path(frame.filename).name}:{frame.lineno})" if frame else ""
    try:
        text = str(exc)
    except Exception:  # a parser's exception whose repr walks a tree too deep to print
        text = "(no message)"
    errors.append(f"{what}: {type(exc).__name__}: {text}{where}")


def read_all(
    candidates: Sequence[Candidate],
    cwd: Path,
    rules: dict[str, Rule],
    result: Result,
    progress: Callable[[int, int], None] | None = None,
    seconds: float | None = READ_SECONDS,
    cache: Cache | None = None,
    workers: int = 1,
) -> list[Document]:
    """Every candidate read; ``seconds`` is each file's time budget (None: no budget). A file the
    ``cache`` knows is not parsed: its document has its lines and what its extractors gave. With
    ``workers``, source files are read and extracted in that many processes (parallel.py)."""
    from msglint import parallel

    documents = []
    # each cacheable file's key and bytes, hashed once whether it then hits, is parsed or goes to a worker
    keys = {c.path: found for c in candidates if cache is not None and (found := _key(c, cwd, cache))}
    known = {c.path: d for c in candidates if (d := _cached(c, keys.get(c.path), cwd, cache)) is not None}
    pending = [c for c in candidates if parallel.eligible(c) and c.path not in known]
    ready = {}
    if workers > 1 and len(pending) >= parallel.MINIMUM:
        ready = dict(
            zip((c.path for c in pending), parallel.prepare_all(pending, cwd, seconds, workers, prepare), strict=True)
        )
    for number, candidate in enumerate(candidates, 1):
        if progress is not None:
            progress(number, len(candidates))
        if candidate.path in known:
            result.files += 1
            documents.append(known[candidate.path])
            continue
        if candidate.path in ready:
            documents.extend(_prepared(candidate, ready[candidate.path], cwd, result, cache, keys.get(candidate.path)))
            continue
        if candidate.skipped is not None:  # too large, or a directory that cannot be listed: never opened
            rule = rules[SKIPPED]
            path = display_path(candidate.path, cwd)
            result.findings.append(Finding(rule.code, rule.name, rule.severity, path, Span.point(1), candidate.skipped))
            continue
        result.files += 1
        try:
            documents.append(_read(candidate, cwd, seconds, keys.get(candidate.path)))
        except ParseError as exc:
            rule = rules[exc.code]
            span = Span.point(exc.line, exc.column)
            path = display_path(candidate.path, cwd)
            result.findings.append(Finding(rule.code, rule.name, rule.severity, path, span, exc.message))
        except OSError as exc:
            rule = rules[PARSE_ERROR]
            path = display_path(candidate.path, cwd)
            message = f"cannot read the file: {exc.strerror or exc}"
            result.findings.append(Finding(rule.code, rule.name, rule.severity, path, Span.point(1), message))
        except Exception as exc:  # a reader bug must not hide the other files
            internal(result.errors, f"reading {display_path(candidate.path, cwd)}", exc)
    return documents


def prepare(candidate: Candidate, cwd: Path, seconds: float | None) -> Prepared:
    """What the engine does for one source file, up to its entities: the work of a ``--jobs`` worker
    (parallel.py), which sends back only the lines, the entities and what went wrong."""
    from msglint.cache import Entry
    from msglint.extract import registry
    from msglint.parallel import Prepared

    result = Result()
    documents = read_all([candidate], cwd, catalog.by_code(), result, seconds=seconds)
    if not documents:
        return Prepared(None, "utf-8", False, Entry([], []), False, result.findings, result.errors, result.files)
    document = documents[0]
    extractor = registry.extractor(document, ())
    entities: list[Entity] = []
    extracted = False
    try:
        entities, extracted = (extractor(document) if extractor is not None else []), True
    except (RecursionError, MemoryError) as exc:  # the input's fault: a finding, as in extract_all
        unanalysable(document, exc, result)
    except Exception as exc:  # one file's bug must not hide the others
        internal(result.errors, f"extracting {document.display}", exc)
    entry = Entry(entities, list(document.problems))
    return Prepared(
        document.lines, document.encoding, document.bom, entry, extracted, result.findings, result.errors, result.files
    )


def _key(candidate: Candidate, cwd: Path, cache: Cache) -> tuple[str, bytes] | None:
    """The cache key of a file, and its bytes; None for a file the cache does not hold."""
    from msglint.cache import cacheable

    if not cacheable(candidate):
        return None
    try:
        data = candidate.data if candidate.data is not None else candidate.path.read_bytes()
    except OSError:
        return None  # the reader says why
    return cache.key(display_path(candidate.path, cwd), candidate.kind, candidate.syntax, data), data


def _cached(candidate: Candidate, found: tuple[str, bytes] | None, cwd: Path, cache: Cache | None) -> Document | None:
    """The document of a file the cache knows: its lines, and what its extractors gave last time."""
    from msglint.documents import unparsed

    entry = cache.load(found[0]) if cache is not None and found is not None else None
    if found is None or entry is None:
        return None
    document = unparsed(candidate, found[1], cwd)
    document.cached, document.problems = entry, list(entry.problems)
    return document


def _prepared(
    candidate: Candidate,
    ready: Prepared,
    cwd: Path,
    result: Result,
    cache: Cache | None,
    found: tuple[str, bytes] | None,
) -> list[Document]:
    """The document a worker read and extracted (parallel.Prepared), as if it was done here."""
    result.files += ready.files
    result.findings += ready.findings
    result.errors += ready.errors
    if ready.lines is None:
        return []
    document = Document(
        candidate.path, display_path(candidate.path, cwd), candidate.kind, candidate.syntax, ready.lines
    )
    document.encoding, document.bom = ready.encoding, ready.bom
    document.cached, document.problems = ready.entry, list(ready.entry.problems)
    if cache is not None and found is not None and ready.extracted:
        cache.store(found[0], ready.entry)
    return [document]


def _read(candidate: Candidate, cwd: Path, seconds: float | None, found: tuple[str, bytes] | None) -> Document:
    """The file parsed; ``found``: its cache key and bytes, so that what it gives can be stored."""
    if found is None:
        return read(candidate, cwd, seconds)
    document = read(dataclasses.replace(candidate, data=found[1]), cwd, seconds)
    document.cache_key = found[0]
    return document


def _extract(document: Document, extractor: Callable[[Document], list[Entity]], cache: Cache | None) -> list[Entity]:
    """The document's entities: from the cache, or extracted now (and stored, before the joins
    change them)."""
    if document.cached is not None:
        return list(document.cached.entities)
    found = extractor(document)
    if cache is not None and document.cache_key is not None and not _spring_reads(document):
        from msglint.cache import Entry

        cache.store(document.cache_key, Entry(found, list(document.problems)))
    return found


def _spring_reads(document: Document) -> bool:
    """Does Spring Boot read part of this YAML file (a root with ``spring`` keys)? Then its tree is
    needed on every run, and what its extractors found is not cached."""
    if document.syntax != "yaml":
        return False
    from msglint.extract import spring_docs

    return bool(spring_docs.documents(document))


def extract_all(documents: list[Document], result: Result, cache: Cache | None = None) -> list[Entity]:
    from msglint import link
    from msglint.extract import kafka_client, kustomize, registry
    from msglint.link import listeners

    entities: list[Entity] = []
    spring_docs = []
    patches = {p for d in documents if d.kind == "kustomization" for p in kustomize.patch_files(d)}
    for document in documents:
        if document.syntax == "yaml" or document.kind == "spring-config" or kafka_client.is_spring(document):
            spring_docs.append(document)
        extractor = registry.extractor(document, patches)
        if extractor is not None:
            try:
                entities.extend(_extract(document, extractor, cache))
            except (RecursionError, MemoryError) as exc:  # the input's fault, not a bug: a finding
                unanalysable(document, exc, result)
            except Exception as exc:  # one file's bug must not hide the others
                internal(result.errors, f"extracting {document.display}", exc)
        for problem in document.problems:
            rule = catalog.by_code()[problem.code]
            span = Span.point(problem.line, problem.column)
            result.findings.append(
                Finding(rule.code, rule.name, rule.severity, document.display, span, problem.message)
            )
    entities.extend(_spring(spring_docs, result))
    try:
        entities.extend(listeners.applications(entities, documents))
    except Exception as exc:
        internal(result.errors, "joining Spring listeners with their applications", exc)
    try:
        link.link(entities)
    except Exception as exc:
        internal(result.errors, "linking entities across files", exc)
    for entity in entities:  # the extractors' side of the contract with the checks
        for wrong in facts.problems(entity):
            result.errors.append(f"the model of {entity.path}: {entity.kind} {wrong}")
    return entities


def unanalysable(document: Document, exc: BaseException, result: Result) -> None:
    rule = catalog.by_code()[PARSE_ERROR]
    what = "too deeply nested to analyse" if isinstance(exc, RecursionError) else "too large to analyse (out of memory)"
    result.findings.append(Finding(rule.code, rule.name, rule.severity, document.display, Span.point(1), what))


def _spring(documents: list[Document], result: Result) -> list[Entity]:
    """Spring Boot files, read together per application; when one is too deep or too big to
    analyse, each file is read alone, so that only that file is lost (with a finding)."""
    from msglint.extract import spring_boot

    def on_error(what: str, exc: Exception) -> None:
        if isinstance(exc, RecursionError | MemoryError):
            raise exc  # to the per-file pass below
        internal(result.errors, what, exc)

    try:
        return spring_boot.extract(documents, on_error)
    except (RecursionError, MemoryError):
        pass
    except Exception as exc:
        internal(result.errors, "extracting the Spring Boot configuration", exc)
        return []
    entities: list[Entity] = []
    for document in documents:
        try:
            entities.extend(spring_boot.extract([document], on_error))
        except (RecursionError, MemoryError) as exc:
            unanalysable(document, exc, result)
        except Exception as exc:
            internal(result.errors, f"extracting {document.display}", exc)
    return entities


def _fix(hit: Hit, entity: Entity, safety: str = "") -> Fix | None:
    """The hit's fix; one that edits takes ``safety`` (its rule's fix_safety; none written: display-only)
    as its applicability."""
    target = hit.on or entity
    if "immutable" in target.traits:
        return None  # the object cannot be changed in place (a topology-operator Queue)
    fix: Fix | None = None
    if hit.rename is not None and target.writer is not None:
        fix = target.writer.rename(*hit.rename)
    elif hit.remove and hit.at is not None:
        fix = fixes.remove(hit.at)
    elif hit.set is not None:
        key, value = hit.set
        current = target.get(key)
        if current is not None:
            fix = fixes.replace_value(current, value)
        elif target.writer is not None:
            fix = target.writer.insert(key, value)
    if fix is None or not fix.edits:
        return fix  # shown only: display-only, whatever the rule says
    return Fix(fix.title, fix.snippet, fix.edits, safety or "display-only")


def _related(place: Setting | Entity | Origin, message: str) -> Related | None:
    if isinstance(place, Entity):
        return Related(place.path, place.anchor, message)
    origin = place.origin if isinstance(place, Setting) else place
    return Related(origin.path, origin.span, message) if origin is not None else None


def _finding(rule: Rule, entity: Entity, hit: Hit) -> Finding:
    origin = hit.at.origin if hit.at is not None else None
    path, span = (origin.path, origin.span) if origin is not None else (entity.path, entity.anchor)
    message = hit.message
    if entity.profile:
        message = f"[profile {entity.profile}] {message}"
    related = tuple(r for place, text in hit.related if (r := _related(place, text)) is not None)
    severity = hit.severity or rule.severity
    fix = _fix(hit, entity, rule.fix_safety)
    return Finding(rule.code, rule.name, severity, path, span, message, fix, entity.profile, related)


def check_all(entities: list[Entity], rules: Iterable[Rule], result: Result) -> None:
    from msglint.checks import hits
    from msglint.link import Workspace

    seen: set[tuple[str, str, Span, str]] = set()
    workspace = Workspace(entities)  # the whole model, for the checks that compare across files
    for rule in rules:
        if "builtin" in rule.check:
            continue  # parse errors are found while reading
        for entity in (e for kind in rule.entities for e in workspace.of(kind)):
            if entity.environment and rule.development == "skip":
                continue  # a durability rule: a development setup may trade safety for convenience
            if rule.languages and entity.client not in rule.languages:
                continue  # a rule for one language's code; the other language has its own
            try:
                findings = [_finding(rule, entity, hit) for hit in hits(rule, entity, workspace)]
            except Exception as exc:
                internal(result.errors, f"rule {rule.code} on {entity.path}", exc)
                continue
            for finding in findings:
                # a profile repeats what the default configuration already said: say it once
                bare = finding.message.removeprefix(f"[profile {entity.profile}] ")
                key = (finding.code, finding.path, finding.span, bare)
                if key not in seen:
                    seen.add(key)
                    result.findings.append(finding)


def _semgrep(rules: Sequence[str], candidates: Sequence[Candidate], cwd: Path, result: Result) -> None:
    """The users' own semgrep rules, once over the source files msglint reads."""
    from msglint import semgrep

    targets = [c.path for c in candidates if c.syntax in ("java", "python")]
    try:
        result.findings.extend(semgrep.run(rules, targets, cwd))
    except semgrep.SemgrepError as exc:
        result.errors.append(str(exc))


@dataclass(frozen=True)
class Judge:
    """What a configuration nested below the run's own asks of the findings in its directory
    (``root``): the selection, per-file ignores and severities that judge them, as ruff's hierarchy."""

    root: Path
    select: tuple[str, ...]
    ignore: tuple[str, ...]
    config: Config


def run(
    paths: Sequence[str],
    select: Sequence[str] = (),
    ignore: Sequence[str] = (),
    cwd: Path | None = None,
    only_relevant: bool = False,
    semgrep_rules: Sequence[str] = (),
    config: Config | None = None,
    progress: Callable[[int, int], None] | None = None,
    repository_context: bool = True,
    given: tuple[Path, bytes] | None = None,
    nested: Sequence[Judge] = (),
    cache: Cache | None = None,
    workers: int = 1,
    overlay: Mapping[Path, bytes] | None = None,
    model: list[Entity] | None = None,
) -> Result:
    """Lint ``paths``. Named files are judged in the context of their repository
    (``repository_context``), and only their findings are reported, with the cross-file findings that
    involve them. ``given``: a file named with its content (standard input), judged as that file.
    ``nested``: configurations below the run's own; each judges the findings in its directory.
    ``cache``: what earlier runs extracted from unchanged source files (cache.py). ``workers``: the
    processes that read and extract source files (parallel.py). ``overlay``: new contents of files on
    disk (absolute paths), judged instead of what is written there: the fixer's next pass. ``model``:
    a list the run's linked entities are added to (msglint graph draws them)."""
    from msglint.discover import Exclusion

    cwd = cwd or Path.cwd()
    config = config or Config()
    every = [_configured(r, config) for r in (*catalog.load(), *config.rules)]
    by_code = {r.code: r for r in every}
    keep = _Keep(every, Judge(config.root, tuple(select), tuple(ignore), config), nested, cwd)
    active = [r for r in every if keep.runs(r.code)]
    result = Result()
    _environments(config, cwd)
    exclusion = Exclusion(config.root, config.exclude, config.extend_exclude, config.include_tests)
    root = context_root(paths, config, repository_context)
    irrelevant = cache.irrelevant(config.max_file_size or MAX_BYTES) if cache is not None else None
    candidates = discover(paths, only_relevant, exclusion, config.max_file_size, root, given, irrelevant)
    if cache is not None and irrelevant is not None:
        cache.keep_irrelevant(irrelevant, config.max_file_size or MAX_BYTES)
    if overlay:
        candidates = [dataclasses.replace(c, data=overlay[c.path]) if c.path in overlay else c for c in candidates]
    memo = None
    if cache is not None and given is None and not overlay and not semgrep_rules and model is None:
        memo = _memo(cache, candidates, (paths, select, ignore, cwd, only_relevant, root, config, nested))
        if memo is not None and isinstance(known := cache.recall(memo), Result):
            return known
    documents = read_all(candidates, cwd, by_code, result, progress, cache=cache, workers=workers)
    # the bytes read while sniffing are parsed now: let them go
    candidates = [dataclasses.replace(c, data=None) if c.data is not None else c for c in candidates]
    entities = extract_all(documents, result, cache)
    if model is not None:
        model.extend(entities)
    check_all(entities, active, result)
    if semgrep_rules:
        _semgrep(semgrep_rules, candidates, cwd, result)
    context = {display_path(c.path, cwd) for c in candidates if c.context}
    result.files -= len(context)
    result.read = {d.display for d in documents} - context
    result.templated = {d.display for d in documents if d.template_lines or _has_template(d)}
    result.findings = [_shown_only(f, result.templated) for f in result.findings]
    result.findings = [keep.graded(f) for f in result.findings if keep(f) and _reported(f, context)]
    _suppress(result, documents, active, by_code, bool(semgrep_rules), keep, context)
    _fingerprint(result, documents, candidates, cwd, config)
    if memo is not None and cache is not None and not result.errors and not any(map(transient, result.findings)):
        cache.remember(memo, result)
    return result


def _shown_only(finding: Finding, templated: set[str]) -> Finding:
    """A fix that edits a template is shown, never applied: what runs is what the template renders."""
    fix = finding.fix
    if fix is None or fix.applicability == "display-only" or not any(e.path in templated for e in fix.edits):
        return finding
    return dataclasses.replace(finding, fix=dataclasses.replace(fix, applicability="display-only"))


def _has_template(document: Document) -> bool:
    """Template actions in a YAML or configuration file (Helm, Jinja): what runs is what they render."""
    if document.syntax not in ("yaml", "natsconf", "conf", "properties"):
        return False  # `{{` in Python or Java source is code, not a template
    return any("{{" in line or "{%" in line for line in document.lines)


def _memo(cache: Cache, candidates: Sequence[Candidate], inputs: tuple[Any, ...]) -> str | None:
    """The key of this run's whole result: its inputs and every file it reads, by the stamp the walk
    took before reading it (discover.stamp), so that an identical re-run costs only its walk. None
    when a file has no stamp to trust: named, or changed too recently (discover.settled)."""
    files = []
    for c in candidates:
        if c.stamp is None:
            return None
        files.append((str(c.path), c.kind, c.syntax, c.explicit, c.context, c.skipped, c.template, c.stamp))
    return cache.run_key((*inputs, git_root(Path(inputs[3]).resolve()), files))


class _Keep:
    """Which findings a run keeps, each judged by the configuration nearest to its file: the run's
    own, or one nested below it (deepest first)."""

    def __init__(self, rules: Sequence[Rule], top: Judge, nested: Sequence[Judge], cwd: Path) -> None:
        self.top, self.cwd = top, cwd
        self.chain = sorted(nested, key=lambda j: len(j.root.resolve().parts), reverse=True)
        # by id: a Judge holds a Config, which does not hash
        self.off = {id(j): opt_in_codes(rules, j.select, j.config.extend_select) for j in (*self.chain, top)}
        self.judges: dict[str, Judge] = {}

    def judge(self, path: str) -> Judge:
        if path not in self.judges:
            file = (self.cwd / path).resolve()
            self.judges[path] = next((j for j in self.chain if j.root.resolve() in file.parents), self.top)
        return self.judges[path]

    def runs(self, code: str) -> bool:
        """Does any configuration of the run select the rule?"""
        return any(selected(code, j.select, j.ignore, self.off[id(j)]) for j in (*self.chain, self.top))

    def __call__(self, finding: Finding) -> bool:
        j = self.judge(finding.path)
        chosen = selected(finding.code, j.select, j.ignore, self.off[id(j)])
        return chosen and not _ignored_here(finding, j.config, self.cwd)

    def graded(self, finding: Finding) -> Finding:
        return _severity(finding, self.judge(finding.path).config)


def context_root(paths: Sequence[str], config: Config, context: bool) -> Path | None:
    """Where a named file's context comes from: its git repository, else its configuration's directory;
    None (no context beyond a file's own siblings) for a file in neither, or when asked."""
    if not context:
        return None
    named = [Path(p).resolve() for p in paths if not Path(p).is_dir()]
    if not named:
        return None
    return git_root(named[0].parent) or (config.root if config.path is not None else None)


def _reported(finding: Finding, context: set[str]) -> bool:
    """A finding in a named file, or one in a context file whose related places include a named file
    (a cluster whose topic, named, asks for more replicas than it has brokers)."""
    return finding.path not in context or any(r.path not in context for r in finding.related)


def _fingerprint(
    result: Result, documents: list[Document], candidates: Sequence[Candidate], cwd: Path, config: Config
) -> None:
    """Fingerprint and sort the findings; note the files that were skipped unread."""
    from msglint import baseline

    lines = {d.display: d.lines for d in documents}
    result.unread = {display_path(c.path, cwd) for c in candidates if c.skipped}
    lines.update({path: [] for path in result.unread})  # never read, not even here
    base = config.path.parent if config.path is not None else git_root(cwd.resolve()) or cwd
    result.findings = baseline.fingerprint_all(
        result.findings, lambda path, n: _line(lines, cwd, path, n), lambda path: _stable(cwd, base, path)
    )
    result.findings.sort(key=Finding.sort_key)


def _stable(cwd: Path, base: Path, path: str) -> str:
    """A finding's path from the repository (or configuration) root: baselines match from any directory."""
    try:
        return (cwd / path).resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path


def _line(lines: dict[str, list[str]], cwd: Path, path: str, number: int) -> str:
    if path not in lines:
        try:
            from msglint.readers import decode, split_lines

            lines[path] = split_lines(decode((cwd / path).read_bytes(), fallback_latin1=True))
        except Exception:  # unreadable: the fingerprint falls back to code and path
            lines[path] = []
    text = lines[path]
    return text[number - 1] if 0 < number <= len(text) else ""


def _suppress(
    result: Result,
    documents: list[Document],
    active: list[Rule],
    by_code: dict[str, Rule],
    semgrep: bool,
    wanted: Callable[[Finding], bool],
    context: Collection[str] = (),
) -> None:
    """Drop what inline ``msglint: disable`` comments cover; report the comments that cover nothing."""
    from msglint import suppress

    codes = [r.code for r in active]

    def judged(code: str, path: str) -> bool:
        ran = [c for c in codes if c.startswith(code)]
        if ran:  # a code run there: not left out of this file by per-file-ignores
            return any(wanted(Finding(c, "", "info", path, Span.point(1), "")) for c in ran)
        return not semgrep and not any(c.startswith(code) for c in by_code)  # a misspelt code

    sources = ((d.display, d.syntax, d.lines) for d in documents)
    kept, unused = suppress.apply(result.findings, sources, judged, rules=list(by_code.values()))
    # a context file's directives still silence what they cover, but the file is not judged: what is
    # wrong with its directives is not reported
    result.findings = [f for f in kept if f.path not in context or f.code not in (suppress.UNUSED, suppress.MALFORMED)]
    rule = by_code.get(suppress.UNUSED)
    if rule is None:
        return
    for directive in (d for d in unused if d.path not in context):
        finding = Finding(
            rule.code,
            rule.name,
            rule.severity,
            directive.path,
            suppress.span(directive),
            suppress.unused_message(directive, judged),
        )
        if wanted(finding):
            result.findings.append(finding)


def _environments(config: Config, cwd: Path) -> None:
    """What marks development settings in this run: the defaults, or the configuration's lists."""
    from msglint import environment

    chosen = config.environments
    settings = environment.Settings(root=config.root, cwd=cwd)
    for key in ("profiles", "namespaces", "directories"):
        if key in chosen:
            setattr(settings, key, frozenset(w.lower() for w in chosen[key]))
    if chosen.get("paths"):
        import pathspec

        settings.paths = pathspec.GitIgnoreSpec.from_lines(chosen["paths"])
    environment.configure(settings)


def _configured(rule: Rule, config: Config) -> Rule:
    """The rule with the configuration's options for it."""
    options = next((v for k, v in config.options.items() if k.upper() == rule.code), None)
    return dataclasses.replace(rule, options={**rule.options, **options}) if options else rule


def _longest(code: str, table: dict[str, Any]) -> Any:
    """The value of the longest code or prefix in ``table`` that ``code`` starts with, or None."""
    matches = [k for k in table if code.upper().startswith(k.upper())]
    return table[max(matches, key=len)] if matches else None


def _severity(finding: Finding, config: Config) -> Finding:
    severity = _longest(finding.code, config.severity) if config.severity else None
    return dataclasses.replace(finding, severity=severity) if severity else finding


def _ignored_here(finding: Finding, config: Config, cwd: Path) -> bool:
    """Does a ``per-file-ignores`` glob (relative to the configuration's directory) cover the finding?"""
    if not config.per_file_ignores:
        return False
    import pathspec

    try:
        relative = (cwd / finding.path).resolve().relative_to(config.root.resolve()).as_posix()
    except ValueError:
        return False
    for pattern, codes in config.per_file_ignores.items():
        if pathspec.GitIgnoreSpec.from_lines([pattern]).match_file(relative) and not selected(
            finding.code, (), [c.upper() for c in codes]
        ):
            return True
    return False
