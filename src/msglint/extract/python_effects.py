"""Side effects of message handlers in Python source: database writes and message sends.

Two facts come out of here, both deliberately conservative:

- a *dual write*: one function (or the module's top level) both writes to a database and sends a
  message, in a module that never mentions an outbox;
- an *unguarded insert*: a message handler (a registered callback, or a function that receives
  from a consumer, and the module functions it calls) inserts rows, in a module with none of the
  usual idempotency idioms (``ON CONFLICT``, upserts, ``get_or_create``, Redis ``SET NX``, a
  caught ``IntegrityError``, a message-id or processed-messages check).

A database write is recognised by what is written, not by type (types are not known statically):
SQL text whose statement is INSERT/UPDATE/DELETE/MERGE/REPLACE, ``commit()`` on a session or
connection, Django ``objects.create``, pymongo ``insert_one`` and friends, ``session.add(Model(...))``.
"""

from __future__ import annotations

import ast
import re
from dataclasses import dataclass, field
from typing import Any

from msglint.extract.effects import IDEMPOTENCY_IDIOMS, sql_write
from msglint.extract.python_kafka import dotted_expression
from msglint.extract.python_rabbit import REPLY_QUEUE
from msglint.readers.pyindex import FUNCTIONS, Arg, Site
from msglint.readers.python import PythonTree

# receivers whose commit()/add() is a database's (the last part of `self.db.session` and the like)
_DB_NAMES = re.compile(
    r"^_?(session|sess|db|db_session|dbsession|conn|connection|con|cursor|cur|tx|txn|"
    r"transaction|uow|database|engine)$",
    re.IGNORECASE,
)
_CHANNEL_NAMES = re.compile(r"^_?(channel|chan|ch)$", re.IGNORECASE)
_SQL_CALLS = {"execute", "executemany", "executescript", "fetch", "fetchrow", "fetchval"}
_DJANGO = {"create", "bulk_create", "update", "delete", "get_or_create", "update_or_create"}
_DJANGO_INSERTS = {"create", "bulk_create"}
_MONGO = {
    "insert_one",
    "insert_many",
    "update_one",
    "update_many",
    "replace_one",
    "delete_one",
    "delete_many",
    "bulk_write",
    "find_one_and_update",
    "find_one_and_replace",
    "find_one_and_delete",
}
_MONGO_INSERTS = {"insert_one", "insert_many"}
_ORM = {"add", "add_all", "merge", "delete"}

# a cheap look at the text before any walk: could anything in this module write to a database?
_WRITE_HINT = re.compile(
    r"\binsert\s+(or\s+\w+\s+)?into\b|\bupdate\s+\S+\s+set\b|\bdelete\s+from\b|\b(merge|replace)\s+into\b|"
    r"\bupsert\b|objects\s*\.|\b(insert|update|delete)_(one|many)\b|replace_one|bulk_write|find_one_and_|"
    r"\b_?(session|sess|db|db_session|dbsession|conn|connection|con|cursor|cur|tx|txn|transaction|uow|database|"
    r"engine)\s*\.\s*(commit|add|add_all|merge|delete)\s*\(",
    re.IGNORECASE,
)


@dataclass
class Effect:
    node: Any  # the call
    what: str  # how the message names it: `cursor.execute("INSERT …")`, `producer.produce()`
    insert: bool = False  # running it twice leaves two rows (or counts twice)


@dataclass
class _Region:
    """A function body (or the module's top level), nested functions and classes excluded."""

    node: Any
    writes: list[Effect] = field(default_factory=list)
    sends: list[Effect] = field(default_factory=list)
    callees: set[str] = field(default_factory=set)  # names of the functions and methods it calls
    receives: Any = None  # where it takes messages from a consumer itself (a loop or a poll)


def _string(node: Any, tree: PythonTree) -> str | None:
    """The text of a string literal, of ``text("…")``/``sql.SQL("…")``, or of an f-string's literal parts."""
    if isinstance(node, ast.Call) and dotted_expression(node.func).split(".")[-1] in ("text", "SQL"):
        args = tree.index.args(node)
        return _string(args[0].value, tree) if args else None
    if isinstance(node, ast.Constant):  # one literal, or several concatenated
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(p.value for p in node.values if isinstance(p, ast.Constant) and isinstance(p.value, str))
    return None


def _write(call: ast.Call, consumers: set[str], tree: PythonTree) -> Effect | None:
    if not isinstance(call.func, ast.Attribute):
        return None
    method, receiver = call.func.attr, dotted_expression(call.func.value)
    last = receiver.split(".")[-1]
    args = tree.index.args(call)
    if method in _SQL_CALLS and args:
        return _sql_effect(call, method, receiver, tree)
    if method == "commit" and _DB_NAMES.match(last) and receiver not in consumers:
        return Effect(call, f"{receiver}.commit()")
    if method in _DJANGO and last == "objects":
        return Effect(call, f"{receiver}.{method}()", method in _DJANGO_INSERTS)
    if method in _MONGO:
        upsert = any(a.name == "upsert" for a in args)
        return Effect(call, f"{receiver or '…'}.{method}()", method in _MONGO_INSERTS and not upsert)
    if method in _ORM and _DB_NAMES.match(last) and args:
        return _orm_effect(call, method, receiver, args[0].value)
    return None


def _sql_effect(call: ast.Call, method: str, receiver: str, tree: PythonTree) -> Effect | None:
    """``cursor.execute("INSERT ...")``: a write when the SQL says so."""
    sql = _string(tree.index.args(call)[0].value, tree)
    written = sql_write(sql) if sql is not None else None
    if written is None:
        return None
    return Effect(call, f'{receiver or "…"}.{method}("{written[0]} …")', written[1])


def _orm_effect(call: ast.Call, method: str, receiver: str, built: Any) -> Effect:
    """``session.add(Order(...))``: an insert when it adds a new object."""
    new = isinstance(built, ast.Call) and dotted_expression(built.func).split(".")[-1][:1].isupper()
    return Effect(call, f"{receiver}.{method}()", method in ("add", "add_all") and new)


def _send(call: ast.Call, producers: set[str], publishes: bool, tree: PythonTree) -> Effect | None:
    if not isinstance(call.func, ast.Attribute):
        return None
    method, receiver = call.func.attr, dotted_expression(call.func.value)
    if method in ("basic_publish", "publish") and REPLY_QUEUE.search(tree.segment(call)):
        return None  # an RPC reply: a lost one fails only its caller, who is waiting for it
    if method in ("produce", "basic_publish"):
        return Effect(call, f"{receiver or '…'}.{method}()")
    if method in ("send", "send_and_wait", "send_batch") and (
        receiver in producers or "producer" in receiver.split(".")[-1].lower()
    ):
        return Effect(call, f"{receiver}.{method}()")
    if method == "publish" and publishes:
        return Effect(call, f"{receiver or '…'}.{method}()")
    return None


def _method(node: Any) -> str:
    """``name`` for a call ``x.name(...)``, else empty."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
        return node.func.attr
    return ""


@dataclass
class _Walk:
    """The regions of a module, built from the shared walk's sites in source order."""

    tree: PythonTree
    consumers: set[str]
    producers: set[str]
    publishes: bool
    functions: dict[str, list[Any]]
    registered: list[tuple[str, Any]]
    regions: dict[int, _Region] = field(default_factory=dict)  # by id of the def; 0 the module
    iterators: set[str] = field(default_factory=set)  # names bound from aio-pika's `queue.iterator()`
    channels: set[str] = field(default_factory=set)  # names bound from `connection.channel()`: AMQP channels
    broker_tx: set[str] = field(default_factory=set)  # names bound from `channel.transaction()`: the broker's

    def region(self, function: Any) -> _Region:
        return self.regions[0 if function is None else id(function)]

    def site(self, site: Site) -> None:
        node = site.node
        if isinstance(node, FUNCTIONS):
            self.functions.setdefault(node.name, []).append(node)
            self.regions[id(node)] = _Region(node)
        elif isinstance(node, ast.Assign):
            self.assign(node)
        elif isinstance(node, ast.withitem):
            if _method(node.context_expr) == "iterator" and isinstance(node.optional_vars, ast.Name):
                self.iterators.add(node.optional_vars.id)
        elif isinstance(node, (ast.For, ast.AsyncFor)):
            # `for m in consumer`, `async for m in messages` (from `queue.iterator()`), `for m in q.iterator()`
            if dotted_expression(node.iter) in self.consumers | self.iterators or _method(node.iter) == "iterator":
                region = self.region(site.function)
                region.receives = region.receives or node
        elif isinstance(node, ast.Call) and not site.in_lambda:
            self.call(node, site)

    def assign(self, node: ast.Assign) -> None:
        value = node.value.value if isinstance(node.value, ast.Await) else node.value
        if not isinstance(value, ast.Call) or not isinstance(value.func, ast.Attribute):
            return
        names = [t.id for t in node.targets if isinstance(t, ast.Name)]
        receiver = dotted_expression(value.func.value)
        if value.func.attr == "channel":
            self.channels.update(names)
        elif value.func.attr in ("transaction", "tx_select") and (
            receiver in self.channels or _CHANNEL_NAMES.match(receiver.split(".")[-1])
        ):
            self.broker_tx.update(names)

    def call(self, node: ast.Call, site: Site) -> None:
        region = self.region(site.function)
        callback = _registered(node, self.tree)
        if callback:
            self.registered.append((callback, node))
        func = node.func
        if isinstance(func, ast.Name):
            region.callees.add(func.id)
        elif isinstance(func, ast.Attribute):
            receiver = dotted_expression(func.value)
            if receiver == "self":
                region.callees.add(func.attr)
            if receiver in self.consumers and func.attr in ("poll", "consume", "getone", "getmany"):
                region.receives = region.receives or node
        write = _write(node, self.consumers | self.broker_tx, self.tree)
        if write is not None:
            region.writes.append(write)
            return
        send = _send(node, self.producers, self.publishes, self.tree)
        if send is not None and not site.excepting:
            region.sends.append(send)  # a send in an except clause routes a failure (dead-letter)


def _regions(
    tree: PythonTree,
    consumers: set[str],
    producers: set[str],
    publishes: bool,
    functions: dict[str, list[Any]],
    registered: list[tuple[str, Any]],
) -> list[_Region]:
    """One region per function and one for the module's top level, from the one walk."""
    walk = _Walk(tree, consumers, producers, publishes, functions, registered)
    walk.regions[0] = _Region(tree.module)
    for site in tree.index.sites:
        walk.site(site)
    return list(walk.regions.values())


@dataclass
class Facts:
    dual_writes: list[tuple[Effect, Effect]]  # (the database write, the send), first of each per function
    inserts: list[tuple[Effect, Any, str]]  # (the unguarded insert, where the handler is, how it gets messages)


# methods that register a function as a message callback, and where the callback is passed
_CALLBACKS = {"basic_consume": ("on_message_callback", 1), "consume": ("callback", 0), "subscribe": ("cb", -1)}


def facts(
    tree: PythonTree, source: str, consumers: set[str], producers: set[str], publishes: bool, test_module: bool
) -> Facts:
    """The dual writes and unguarded inserts of one module."""
    if test_module or not _WRITE_HINT.search(source):
        return Facts([], [])  # no database write can be there: spare the walk
    code = _code_text(source)
    functions: dict[str, list[Any]] = {}
    registered: list[tuple[str, Any]] = []
    regions = _regions(tree, consumers, producers, publishes, functions, registered)
    dual: list[tuple[Effect, Effect]] = []
    if "outbox" not in code.lower():
        for region in regions:
            if region.writes and region.sends and not _relays(region):
                dual.append((region.writes[0], region.sends[0]))
    inserts: list[tuple[Effect, Any, str]] = []
    if not IDEMPOTENCY_IDIOMS.search(code):
        inserts = _unguarded(regions, functions, registered)
    return Facts(dual, inserts)


_STORED = {"body", "payload", "message", "data", "value", "content"}


def _relays(region: _Region) -> bool:
    """An outbox relay by another name: a loop over stored records that publishes each one's stored
    body and updates that record (its sent flag, its tries). The update is bookkeeping, and losing it
    only sends the record again, which the relay does anyway."""
    if any(e.insert for e in region.writes):
        return False
    effects = {id(e.node) for e in (*region.writes, *region.sends)}
    for loop in ast.walk(region.node):
        if not isinstance(loop, ast.For) or not isinstance(loop.target, ast.Name):
            continue
        inside = [n for statement in loop.body for n in ast.walk(statement)]
        if effects <= {id(n) for n in inside} and any(_stored_part(n, loop.target.id) for n in inside):
            return True
    return False


def _stored_part(node: Any, row: str) -> bool:
    """``row["body"]`` or ``row.payload``: the message a stored record holds."""
    if isinstance(node, ast.Subscript) and isinstance(node.value, ast.Name) and node.value.id == row:
        return isinstance(node.slice, ast.Constant) and node.slice.value in _STORED
    return (
        isinstance(node, ast.Attribute)
        and isinstance(node.value, ast.Name)
        and node.value.id == row
        and (node.attr in _STORED)
    )


def _code_text(source: str) -> str:
    """The module's tokens without comments and docstrings: prose saying "no dedupe" is not a guard."""
    import io
    import tokenize

    kept: list[str] = []
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    starts = (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT)
    for index, token in enumerate(tokens):
        if token.type == tokenize.COMMENT:
            continue
        if token.type == tokenize.STRING:
            before = tokens[index - 1].type if index else tokenize.NEWLINE
            after = tokens[index + 1].type if index + 1 < len(tokens) else tokenize.NEWLINE
            if before in starts and after in (tokenize.NEWLINE, tokenize.ENDMARKER):
                continue  # a docstring, or a string standing alone as a statement
        kept.append(token.string)
    return " ".join(kept)


def _unguarded(
    regions: list[_Region], functions: dict[str, list[Any]], registered: list[tuple[str, Any]]
) -> list[tuple[Effect, Any, str]]:
    """Inserts reachable from a handler: its own body and the module functions it calls, two levels deep."""
    by_node = {id(r.node): r for r in regions}
    handlers = [(r, r.receives, "receives from a consumer") for r in regions if r.receives is not None]
    for callback, where in registered:
        for node in functions.get(callback, []):
            handlers.append((by_node[id(node)], where, f"is registered as the message callback `{callback}`"))
    found: list[tuple[Effect, Any, str]] = []
    seen: set[int] = set()
    for region, where, how in handlers:
        reach, frontier = [region], [region]
        for _ in range(2):
            frontier = [by_node[id(n)] for r in frontier for name in r.callees for n in functions.get(name, [])]
            reach.extend(frontier)
        for reached in reach:
            for effect in reached.writes:
                if effect.insert and id(effect.node) not in seen:
                    seen.add(id(effect.node))
                    found.append((effect, where, how))
    return found


def is_true(node: Any) -> bool:
    return isinstance(node, ast.Constant) and node.value is True


def is_jetstream(receiver: Any) -> bool:
    """Is this the conventional name of a nats-py JetStream context (``js``, ``self.js``, ``jetstream``)?"""
    last = dotted_expression(receiver).split(".")[-1]
    return last in ("js", "jetstream", "_js") or last.endswith("_js")


def _registered(node: ast.Call, tree: PythonTree) -> str:
    """The function's name when ``node`` hands a callback to a consume/subscribe call, else empty."""
    if not isinstance(node.func, ast.Attribute) or node.func.attr not in _CALLBACKS:
        return ""
    method = node.func.attr
    keyword, place = _CALLBACKS[method]
    args = tree.index.args(node)
    keywords = {a.name: a.value for a in args if a.name is not None}
    if any(is_true(keywords.get(flag)) for flag in ("auto_ack", "no_ack")):
        return ""  # acknowledged on delivery: never redelivered (RC201 says what that costs)
    if method == "subscribe" and not is_jetstream(node.func.value):
        return ""  # core NATS delivers at most once: nothing is redelivered
    chosen = _callback(args, keyword, place)
    if isinstance(chosen, ast.Name):
        return chosen.id
    if isinstance(chosen, ast.Attribute) and dotted_expression(chosen.value) == "self":
        return chosen.attr
    return ""


def _callback(args: list[Arg], keyword: str, place: int) -> Any:
    """The argument a consume/subscribe call takes its callback in: by keyword, else by position."""
    chosen = next((a.value for a in args if a.name == keyword), None)
    positional = [a.value for a in args if a.name is None and not a.star]
    if chosen is None and place >= 0:
        # pika 0.x took the callback first: basic_consume(callback, queue=...)
        candidates = positional[place : place + 1] + positional[:1]
        chosen = next((c for c in candidates if isinstance(c, (ast.Name, ast.Attribute))), None)
    return chosen
