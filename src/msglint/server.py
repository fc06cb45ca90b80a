"""``msglint server``: a Language Server (LSP 3.17, on pygls) that shows findings as you type.

- Diagnostics on open, change (debounced) and save. A document is judged as ``msglint FILE``
  judges it, in the context of its repository and with its nearest configuration; every open
  buffer counts with its unsaved text (``msglint.lint(contents=...)``). A result is kept per
  document version, so a request for code actions or a hover does not lint again.
- Code actions: the finding's own fix (quick fix), "fix all safe fixes" for the document (the
  passes of ``msglint.fix``, on the buffer), and "disable CODE for this line" (a
  ``msglint: disable-next-line`` comment above it, in the file's comment syntax).
- Hover: the documentation of the rule whose finding is under the cursor.

Positions: msglint counts columns in code points, LSP in UTF-16 code units; both are converted here.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from lsprotocol import types as lsp
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from msglint import catalog
from msglint.model import Edit, Finding
from msglint.version import __version__

DEBOUNCE_SECONDS = 0.3
_SEVERITY = {
    "error": lsp.DiagnosticSeverity.Error,
    "warning": lsp.DiagnosticSeverity.Warning,
    "info": lsp.DiagnosticSeverity.Information,
}
_SLASH_COMMENTS = (".java", ".kt", ".kts", ".gradle")


@dataclass
class _Judged:
    version: int | None
    findings: list[Finding]
    base: Path  # what the findings' paths are relative to


class MsglintServer(LanguageServer):
    def __init__(self) -> None:
        super().__init__("msglint", __version__)
        self.judged: dict[str, _Judged] = {}  # uri -> the findings of its latest version
        self.pending: dict[str, asyncio.Task[None]] = {}

    def buffers(self) -> dict[str, bytes]:
        """Every open document's text, by path: what the linter judges in place of the disk."""
        out = {}
        for uri, document in self.workspace.text_documents.items():
            path = to_fs_path(uri)
            if path:
                out[str(Path(path).resolve())] = document.source.encode("utf-8")
        return out

    def lint(self, uri: str) -> list[Finding]:
        """The findings of the document at ``uri`` as it is now (cached by version)."""
        import msglint

        document = self.workspace.get_text_document(uri)
        known = self.judged.get(uri)
        if known is not None and known.version == document.version:
            return known.findings
        path = to_fs_path(uri)
        if not path or not Path(path).is_file():
            return []  # a buffer never saved: nothing on disk to judge it as
        target = Path(path).resolve()
        result = msglint.lint([str(target)], contents=self.buffers(), cwd=target.parent)
        mine = [f for f in result.findings if (target.parent / f.path).resolve() == target]
        self.judged[uri] = _Judged(document.version, mine, target.parent)
        return mine

    def base(self, uri: str) -> Path:
        known = self.judged.get(uri)
        return known.base if known is not None else Path.cwd()

    def publish(self, uri: str) -> None:
        document = self.workspace.get_text_document(uri)
        diagnostics = [_diagnostic(f, document.lines, self.base(uri)) for f in self.lint(uri)]
        self.text_document_publish_diagnostics(
            lsp.PublishDiagnosticsParams(uri=uri, diagnostics=diagnostics, version=document.version)
        )

    def schedule(self, uri: str, delay: float) -> None:
        """Lint ``uri`` after ``delay`` seconds unless it changes again before then."""
        pending = self.pending.pop(uri, None)
        if pending is not None:
            pending.cancel()

        async def later() -> None:
            await asyncio.sleep(delay)
            await asyncio.to_thread(self.lint, uri)
            self.publish(uri)

        self.pending[uri] = asyncio.get_running_loop().create_task(later())


server = MsglintServer()


@server.feature(lsp.TEXT_DOCUMENT_DID_OPEN)
async def did_open(ls: MsglintServer, params: lsp.DidOpenTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CHANGE)
async def did_change(ls: MsglintServer, params: lsp.DidChangeTextDocumentParams) -> None:
    ls.schedule(params.text_document.uri, DEBOUNCE_SECONDS)


@server.feature(lsp.TEXT_DOCUMENT_DID_SAVE)
async def did_save(ls: MsglintServer, params: lsp.DidSaveTextDocumentParams) -> None:
    ls.judged.clear()  # a saved file may change what other documents are judged with
    for uri in list(ls.workspace.text_documents):
        ls.schedule(uri, 0)


@server.feature(lsp.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: MsglintServer, params: lsp.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    ls.judged.pop(uri, None)
    ls.text_document_publish_diagnostics(lsp.PublishDiagnosticsParams(uri=uri, diagnostics=[]))


@server.feature(
    lsp.TEXT_DOCUMENT_CODE_ACTION,
    lsp.CodeActionOptions(code_action_kinds=[lsp.CodeActionKind.QuickFix, lsp.CodeActionKind.SourceFixAll]),
)
def code_action(ls: MsglintServer, params: lsp.CodeActionParams) -> list[lsp.CodeAction]:
    uri = params.text_document.uri
    document = ls.workspace.get_text_document(uri)
    lines = document.lines
    findings = ls.lint(uri)
    wanted = params.range
    actions: list[lsp.CodeAction] = []
    for finding in findings:
        diagnostic = _diagnostic(finding, lines, ls.base(uri))
        if not _overlaps(diagnostic.range, wanted):
            continue
        fix = finding.fix
        if fix is not None and fix.edits and fix.applicability in ("safe", "unsafe"):
            edits = [_text_edit(e, lines) for e in fix.edits if e.path == finding.path]
            actions.append(
                lsp.CodeAction(
                    title=f"{finding.code}: {fix.title}" + (" (unsafe)" if fix.applicability == "unsafe" else ""),
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    is_preferred=fix.applicability == "safe",
                    edit=lsp.WorkspaceEdit(changes={uri: edits}),
                )
            )
        disable = _disable(finding, lines, uri)
        if disable is not None:
            actions.append(
                lsp.CodeAction(
                    title=f"Disable {finding.code} for this line",
                    kind=lsp.CodeActionKind.QuickFix,
                    diagnostics=[diagnostic],
                    edit=lsp.WorkspaceEdit(changes={uri: [disable]}),
                )
            )
    if any(f.fix is not None and f.fix.edits and f.fix.applicability == "safe" for f in findings):
        fixed = _fix_all(ls, uri)
        if fixed is not None:
            actions.append(
                lsp.CodeAction(
                    title="msglint: fix all safe fixes",
                    kind=lsp.CodeActionKind.SourceFixAll,
                    edit=lsp.WorkspaceEdit(changes={uri: [fixed]}),
                )
            )
    return actions


@server.feature(lsp.TEXT_DOCUMENT_HOVER)
def hover(ls: MsglintServer, params: lsp.HoverParams) -> lsp.Hover | None:
    uri = params.text_document.uri
    lines = ls.workspace.get_text_document(uri).lines
    at = params.position
    for finding in ls.lint(uri):
        diagnostic = _diagnostic(finding, lines, ls.base(uri))
        if _overlaps(diagnostic.range, lsp.Range(at, at)):
            return lsp.Hover(
                contents=lsp.MarkupContent(kind=lsp.MarkupKind.Markdown, value=rule_markdown(finding.code)),
                range=diagnostic.range,
            )
    return None


def rule_markdown(code: str) -> str:
    """A rule's documentation as Markdown: what ``msglint explain CODE`` says."""
    rule = catalog.by_code().get(code)
    if rule is None:
        return f"**{code}**"
    parts = [f"**{rule.code}** {rule.name} ({rule.severity})", rule.summary, rule.what, rule.why]
    parts.append(f"**Fix** ({rule.fix_safety or 'display-only'}). {rule.fix.strip()}")
    refs = [f"- [{r['title']}]({r['url']})" for r in rule.references if isinstance(r, dict) and "url" in r]
    if refs:
        parts.append("\n".join(refs))
    return "\n\n".join(p.strip() for p in parts if p and p.strip())


def _fix_all(ls: MsglintServer, uri: str) -> lsp.TextEdit | None:
    """The document after every safe fix, as one edit over the whole of it."""
    import msglint

    path = to_fs_path(uri)
    if not path:
        return None
    target = Path(path).resolve()
    report = msglint.fix([str(target)], write=False, contents=ls.buffers(), cwd=target.parent)
    after = report.after.get(target)
    if after is None or after == report.before.get(target):
        return None
    lines = ls.workspace.get_text_document(uri).lines
    end = lsp.Position(line=len(lines), character=0)
    return lsp.TextEdit(range=lsp.Range(lsp.Position(0, 0), end), new_text=after.decode("utf-8"))


def _disable(finding: Finding, lines: Sequence[str], uri: str) -> lsp.TextEdit | None:
    """A ``msglint: disable-next-line=CODE`` comment above the finding's line, indented as it is."""
    if uri.endswith(".json"):
        return None  # JSON has no comments: per-file-ignores or the baseline
    line = finding.span.line - 1
    if not 0 <= line < len(lines):
        return None
    text = lines[line]
    indent = text[: len(text) - len(text.lstrip())]
    mark = "//" if uri.endswith(_SLASH_COMMENTS) else "#"
    ending = "\r\n" if text.endswith("\r\n") else "\n"
    comment = f"{indent}{mark} msglint: disable-next-line={finding.code}{ending}"
    return lsp.TextEdit(range=lsp.Range(lsp.Position(line, 0), lsp.Position(line, 0)), new_text=comment)


def _utf16(lines: Sequence[str], line: int, column: int) -> lsp.Position:
    """msglint's 1-based line and code-point column -> an LSP position (UTF-16 code units)."""
    if line > len(lines):
        return lsp.Position(line=len(lines), character=0)
    text = lines[line - 1].rstrip("\r\n")
    prefix = text[: max(0, column - 1)]
    return lsp.Position(line=line - 1, character=len(prefix.encode("utf-16-le")) // 2)


def _diagnostic(finding: Finding, lines: Sequence[str], base: Path) -> lsp.Diagnostic:
    span = finding.span
    start = _utf16(lines, span.line, span.column)
    end = _utf16(lines, span.end_line, span.end_column)
    related = [
        lsp.DiagnosticRelatedInformation(
            location=lsp.Location(
                uri=(base / r.path).resolve().as_uri(),
                range=lsp.Range(lsp.Position(r.span.line - 1, 0), lsp.Position(r.span.line - 1, 0)),
            ),
            message=r.message,
        )
        for r in finding.related
    ]
    data: dict[str, Any] = {"fixable": bool(finding.fix and finding.fix.edits)}
    return lsp.Diagnostic(
        range=lsp.Range(start, end),
        message=finding.message,
        severity=_SEVERITY.get(finding.severity, lsp.DiagnosticSeverity.Warning),
        code=finding.code,
        source="msglint",
        related_information=related or None,
        data=data,
    )


def _text_edit(edit: Edit, lines: Sequence[str]) -> lsp.TextEdit:
    start = _utf16(lines, edit.span.line, edit.span.column)
    end = _utf16(lines, edit.span.end_line, edit.span.end_column)
    ending = "\r\n" if lines and lines[0].endswith("\r\n") else "\n"
    return lsp.TextEdit(range=lsp.Range(start, end), new_text=edit.content.replace("\n", ending))


def _overlaps(a: lsp.Range, b: lsp.Range) -> bool:
    def key(p: lsp.Position) -> tuple[int, int]:
        return (p.line, p.character)

    return key(a.start) <= key(b.end) and key(b.start) <= key(a.end)


def main() -> None:
    """Serve LSP over standard input and output until the client says exit."""
    server.start_io()
