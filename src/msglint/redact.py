"""Keep secrets out of every output: one redactor that knows where each syntax keeps its secrets.

Some secrets can only be told with the lines around them: the continuation lines of a .properties
value, the ``value:`` under ``- name: DB_PASSWORD``, everything under a Kubernetes Secret's
``data:``, the body of a PEM block or of a NATS ``.creds`` seed. So a :class:`Redactor` takes a
file's lines, learns their context in one pass, and gives for each line the character ranges to
mask, computed once. A reporter can then cut a window out of a long line and still mask a secret
that straddles the window's edge, because the ranges were found on the whole line.

What is masked on a line: the value of every key that looks secret (``is_secret_key``, and the same
name written as an environment variable, a Java constant or in camelCase) in every shape (``k=v``,
``k: v``, ``"k": "v"``, ``{k: v}``, ``put("k", "v")``, ``k="v"``, ``setK("v")``, ``{k, <<"v">>}``,
``--k v``), the password of any URI, JAAS ``password="..."``, nkeys seeds, JWTs, PEM bodies, the
arguments of credential constructors (``PlainCredentials("u", "p")``) and ``rabbitmqadmin -p``.

Everything is linear in the input: lines are scanned left to right with str methods and regular
expressions that cannot back-track (no nested or overlapping quantifiers, no ambiguous runs).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from msglint.kafka.keys import is_secret_key

MASK = "****"
Spans = tuple[tuple[int, int], ...]  # [start, end) character ranges of one line, sorted, disjoint

# -- names ----------------------------------------------------------------------------------------

# beyond is_secret_key: NATS nkeys and seeds, PEM passphrases, Redis, the Erlang cookie, HTTP headers
_EXTRA_MARKERS = ("passphrase", "requirepass", "masterauth", "authorization", "storepass", "keypass")
# words that are secrets only as a whole segment (`nkey`, not `selectionKeys`; `seed`, `erlang_cookie`)
_PW = re.compile(r"(?:^|[._-])(?:pwd?|nkeys?|seeds?|cookie)(?:$|[._-])")
# *_key names that name a key of the data, not a credential
_DATA_KEYS = (
    "routing.key",
    "binding.key",
    "partition.key",
    "message.key",
    "sort.key",
    "primary.key",
    "foreign.key",
    "cache.key",
    "idempotency.key",
    "dedup.key",
    "hash.key",
    "shard.key",
)
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])")
_AUTH_SCHEMES = frozenset({"basic", "bearer", "token", "digest", "negotiate"})


def is_secret_name(name: str, code: bool = False) -> bool:
    """A key, variable, flag or constant whose value is secret: ``is_secret_key`` of the name as written,
    as an environment variable (``DB_PASSWORD``), a Java constant (``SSL_KEYSTORE_KEY_CONFIG``) or in
    camelCase (``accessKey``); a CLI flag's dashes do not count. A name ending in ``key`` is a secret
    as a configuration key (``ssl.key``), but as a code identifier or in camelCase only when the word
    before says whose key it is (``private_key``, ``apiKey``: not ``containsKey``, ``sampling_key``)."""
    return 0 < len(name) <= 200 and _secret_name(name, code)  # a longer "name" is text, and is not cached


# whose key a `...Key` is when that makes it a credential
_KEY_OWNERS = frozenset(
    {
        "api",
        "access",
        "secret",
        "private",
        "signing",
        "sign",
        "encryption",
        "encrypt",
        "client",
        "master",
        "shared",
        "ssl",
        "tls",
        "auth",
        "hmac",
        "account",
        "license",
        "subscription",
        "crypto",
        "aes",
        "rsa",
        "ssh",
        "gpg",
        "pgp",
        "jwt",
        "keystore",
        "webhook",
        "consumer",
        "app",
        "admin",
        "root",
        "server",
        "user",
        "n",
    }
)
_KEY_SUFFIXES = (".key", "-key", "_key")
_SEGMENT = re.compile(r"[._-]")


def _marked(text: str) -> bool:
    """A secret by its words alone (``is_secret_key`` less its ``*.key`` rule, and the extra markers)."""
    if is_secret_key(text) and not text.endswith(_KEY_SUFFIXES):
        return True
    return any(m in text for m in _EXTRA_MARKERS) or _PW.search(text) is not None


@lru_cache(maxsize=8192)
def _secret_name(name: str, code: bool) -> bool:
    name = name.strip().strip("\"'`").lstrip("-#/$@:").strip("\"'`")
    if not name:
        return False
    last = name.rsplit(".", 1)[-1]
    if last.isupper():  # SslConfigs.SSL_KEYSTORE_KEY_CONFIG: the constant's own name
        name = last
    low = name.lower()
    snake = _CAMEL.sub("_", name).lower()
    for suffix in ("_config", "_doc"):
        if snake.endswith(suffix) and len(snake) > len(suffix):
            snake = snake[: -len(suffix)]
    dotted = _SEGMENT.sub(".", snake)
    if dotted.endswith(_DATA_KEYS) or low in ("routingkey", "bindingkey"):
        return False
    if not code and is_secret_key(low):
        return True  # a configuration key: is_secret_key says
    for form in (low, snake, dotted):
        stem = form[:-4] if form.endswith(_KEY_SUFFIXES) else form
        if _marked(stem):
            return True
        if stem is not form and _SEGMENT.split(stem)[-1] in _KEY_OWNERS:
            return True
    return False


def _is_credentials_call(callee: str) -> bool:
    """``PlainCredentials(user, password)``, ``BasicAuth(user, password)``: every argument after the first."""
    low = callee.lower()
    return "credential" in low or low.endswith("auth") or low.endswith("userpass")


_SECRET_CALLEES = frozenset(
    {
        "password",
        "passwd",
        "secret",
        "token",
        "api_key",
        "apikey",
        "credentials",
        "secret_str",
        "secret_bytes",
        "jaas_config",
        "sasl_jaas_config",
        "auth_token",
        "access_token",
        "client_secret",
        "nkey",
        "seed",
    }
)


def _is_secret_call(callee: str) -> bool:
    """``setPassword(x)``, ``withToken(x)``, ``.password(x)``, ``SecretStr(x)``: every argument; not
    ``describeToken(admin)`` or ``containsKey(k)``, whose arguments are not what they are named after."""
    for prefix in ("set", "with", "Set", "With"):
        if callee.startswith(prefix) and len(callee) > len(prefix) and not callee[len(prefix)].islower():
            return _names_a_secret(callee[len(prefix) :])  # setKeystorePassword, not setTokenExpiryMs
    snake = _CAMEL.sub("_", callee).lower()
    return snake in _SECRET_CALLEES or snake.endswith(("password", "passwd"))


_LAST_WORDS = frozenset(
    {
        "password",
        "passwd",
        "pass",
        "pwd",
        "secret",
        "secrets",
        "token",
        "credentials",
        "credential",
        "jaas",
        "passphrase",
        "seed",
        "nkey",
        "cookie",
    }
)


def _names_a_secret(name: str) -> bool:
    """Whether a name's last word is a secret's (``KeystorePassword``, ``SaslJaasConfig``, ``ApiKey``)."""
    words = [w for w in _SEGMENT.split(_CAMEL.sub("_", name).lower()) if w]
    if words[-1:] == ["config"]:
        words.pop()
    if not words:
        return False
    last = words[-1]
    before = words[-2] if len(words) > 1 else ""
    return last in _LAST_WORDS or (last == "key" and before in _KEY_OWNERS) or (last, before) == ("info", "user")


# -- tokens ---------------------------------------------------------------------------------------

# Each pattern is a single character class run or a string whose body alternates between two
# disjoint choices (a character that is neither quote nor backslash | a backslash and any one
# character) and whose closing quote is optional: a match never fails half way, so never back-tracks.
_STRINGS = {q: re.compile(q + r"(?:[^" + q + r"\\]|\\.)*" + q + "?", re.DOTALL) for q in "\"'`"}
_WORD = re.compile(r"[^\s\"'`=:,;(){}<>]+")
_SPACE = re.compile(r"\s+")
_BARE = re.compile(r"[^\s,;)}\]&\"'`<>]+")  # a value written without quotes, in the middle of a line
_WORD_TOKEN, _STRING_TOKEN, _PUNCT = 0, 1, 2
_SEPARATORS = frozenset("=:,")
_LEADERS = frozenset(
    {"-", "#", "//", "!", "export", "set", "ENV", "readonly", "declare", "local", "const", "let", "var", "val"}
)
_NOT_SECRETS = frozenset({"true", "false", "null", "none", "nil", "~", ""})  # what no secret is
_STRING_PREFIXES = frozenset({"b", "r", "f", "u", "rb", "br", "fr", "rf"})
_NAME_KEYS = frozenset({"name", "key", "env", "variable"})
_RABBITMQCTL_SECRET = frozenset({"add_user", "change_password", "authenticate_user"})
_SHELL_BREAKS = frozenset({"&&", "||", "|", "&"})
_CREDENTIAL_FLAGS = frozenset({"-u", "--user", "--basic-auth"})  # curl -u user:password


def _tokens(line: str) -> list[tuple[int, int, int]]:
    """(kind, start, end) of each word, string and punctuation character; spaces are skipped."""
    out: list[tuple[int, int, int]] = []
    i, n = 0, len(line)
    while i < n:
        c = line[i]
        if c.isspace():
            m = _SPACE.match(line, i)
            assert m is not None
            i = m.end()
            continue
        if c in _STRINGS:
            m = _STRINGS[c].match(line, i)
            assert m is not None
            out.append((_STRING_TOKEN, i, m.end()))
            i = m.end()
            continue
        m = _WORD.match(line, i)
        if m is not None:
            out.append((_WORD_TOKEN, i, m.end()))
            i = m.end()
        else:
            out.append((_PUNCT, i, i + 1))
            i += 1
    return out


def _body(line: str, token: tuple[int, int, int]) -> tuple[int, int]:
    """The inside of a string token (without its quotes), or a word's whole text."""
    kind, start, end = token
    if kind != _STRING_TOKEN:
        return start, end
    closed = end - start >= 2 and line[end - 1] == line[start] and line[end - 2] != "\\"
    return start + 1, end - 1 if closed else end


def _text(line: str, token: tuple[int, int, int]) -> str:
    start, end = _body(line, token)
    return line[start:end]


# -- one line -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _State:
    """What a line leaves open for the next one."""

    pending: bool = False  # a secret key or flag ended the line: its value is the next line's first word
    open_call: bool = False  # inside the arguments of setPassword( or PlainCredentials(
    rabbitmqadmin: bool = False  # the command goes on (\ or a list of arguments): -p is its password


_CLEAN = _State()


@dataclass
class _Scan:
    line: str
    syntax: str
    out: list[tuple[int, int]]
    rabbitmqadmin: bool = False
    rabbitmqctl: int = -1  # after `rabbitmqctl add_user`: how many positional words were seen
    pending_name: bool = False  # `name: DB_PASSWORD` seen: a `value` key on this line is secret
    open_call: bool = False  # a secret's value is a call that goes on to the next line

    def mask(self, start: int, end: int) -> None:
        if end > start:
            self.out.append((start, end))


def _line_end(line: str) -> int:
    """Where a value written to the end of the line ends: before trailing spaces and a continuation ``\\``."""
    end = len(line.rstrip())
    if end and line[end - 1] == "\\":
        end = len(line[: end - 1].rstrip())
    return end


def _whitespace_separates(syntax: str, key: str) -> bool:
    """Whether ``key value`` (no = or :) assigns at the start of a line: .properties and server .conf
    files allow it; elsewhere only a key that cannot be an English or code word (it has . _ or -)."""
    if syntax in ("properties", "conf"):
        return True
    return syntax == "" and any(c in key for c in "._-") and key not in ("-",)


@dataclass
class _Walk:
    """Where the scan of one line is: the token it is at and what the tokens before it left."""

    scan: _Scan
    tokens: list[tuple[int, int, int]]
    depth: int
    first: int = 0  # the token that starts the line's content
    i: int = 0
    masked_to: int = 0  # tokens that start before this are inside a masked value
    value_of: int = -1  # this token is a value, not the next key
    pending: bool = False
    open_call: bool = False


# what a step of the scan says: go on at walk.i (already moved), or stop at this token
_NEXT, _STOP = 1, 2


def _scan_line(line: str, syntax: str, state: _State, out: list[tuple[int, int]], depth: int = 0) -> _State:
    """Append the ranges to mask on ``line`` to ``out``; return what the line leaves open."""
    walk = _Walk(_Scan(line, syntax, out, rabbitmqadmin=state.rabbitmqadmin), _tokens(line), depth)
    if not _resume(walk, state):
        return _State(open_call=True, rabbitmqadmin=walk.scan.rabbitmqadmin)
    tokens = walk.tokens
    walk.first = _first_key(line, tokens)
    while walk.i < len(tokens):
        if _step(walk) == _STOP:
            break
    first = walk.first
    continues = line.rstrip().endswith(("\\", ",", "[", "(")) or (first == 1 and _text(line, tokens[0]) == "-")
    open_call = walk.open_call or walk.scan.open_call
    return _State(pending=walk.pending, open_call=open_call, rabbitmqadmin=walk.scan.rabbitmqadmin and continues)


def _resume(walk: _Walk, state: _State) -> bool:
    """Finish what the line before left open; False when a call's arguments go on past this line too."""
    scan, tokens = walk.scan, walk.tokens
    line = scan.line
    n = len(tokens)
    if state.open_call:
        close = _closing(line, tokens, 0)
        first = tokens[0][1] if tokens else 0
        scan.mask(first, tokens[close][1] if close < n else _line_end(line))
        if close >= n:
            return False
        walk.i = close
    elif state.pending and tokens:
        j = 1 if n > 1 and _text(line, tokens[0]) == "-" and tokens[0][0] == _WORD_TOKEN else 0
        if j < n and not _is_key(line, tokens, j) and tokens[j][0] != _PUNCT:
            _mask_value(scan, tokens, j, whole_line=False)
            walk.i = j + 1
    return True


def _step(walk: _Walk) -> int | None:
    """Judge the token at walk.i: each shape in turn, the first that applies decides where to go on."""
    scan, tokens = walk.scan, walk.tokens
    line = scan.line
    kind, start, end = tokens[walk.i]
    if start < walk.masked_to:
        walk.i += 1
        return None
    text = line[start:end] if kind != _STRING_TOKEN else _text(line, tokens[walk.i])
    _track_commands(scan, tokens[walk.i], text)
    for shape in (_at_call, _at_key, _at_flag, _at_spaced_key):
        outcome = shape(walk, text)
        if outcome is not None:
            return outcome
    if kind == _STRING_TOKEN and walk.depth < 2:
        _scan_string(walk)
    walk.i += 1
    return None


def _track_commands(scan: _Scan, token: tuple[int, int, int], text: str) -> None:
    """Follow rabbitmqadmin (its -p is a password) and `rabbitmqctl add_user NAME PASSWORD`."""
    kind, start, _ = token
    low = text.lower()
    if low.endswith(("rabbitmqadmin", "rabbitmqadmin.py")):
        scan.rabbitmqadmin = True
    elif low.endswith("rabbitmqctl"):
        scan.rabbitmqctl = -2
    elif scan.rabbitmqctl == -2 and low in _RABBITMQCTL_SECRET:
        scan.rabbitmqctl = 0
    elif scan.rabbitmqctl >= 0 and (low in _SHELL_BREAKS or scan.line[start] == ";"):
        scan.rabbitmqctl = -1
    elif scan.rabbitmqctl >= 0 and kind != _PUNCT and not text.startswith("-"):
        scan.rabbitmqctl += 1
        if scan.rabbitmqctl == 2:  # add_user NAME PASSWORD
            scan.mask(*_body(scan.line, token))


def _at_call(walk: _Walk, text: str) -> int | None:
    """A call: setPassword("x"), PlainCredentials("u", "p")."""
    scan, tokens, i = walk.scan, walk.tokens, walk.i
    line = scan.line
    n = len(tokens)
    kind, _, end = tokens[i]
    if not (kind == _WORD_TOKEN and i + 1 < n and tokens[i + 1][2] == end + 1 and line[end] == "("):
        return None
    callee = text.rsplit(".", 1)[-1]
    skip_first = _is_credentials_call(callee)
    if not (skip_first or _is_secret_call(callee)):
        return None
    close = _closing(line, tokens, i + 2)
    args = i + 2
    if skip_first:
        args = _after_first_argument(line, tokens, i + 2, close)
    if args < n:
        stop = tokens[close][1] if close < n else _line_end(line)
        scan.mask(tokens[args][1], stop)
        walk.masked_to = max(walk.masked_to, stop)
    if close >= n:
        walk.open_call = True
        return _STOP
    walk.i = close + 1
    return _NEXT


def _at_key(walk: _Walk, text: str) -> int | None:
    """A key and its value."""
    scan, tokens, i = walk.scan, walk.tokens, walk.i
    line = scan.line
    n = len(tokens)
    sep = _separator(line, tokens, i) if i != walk.value_of else None
    if tokens[i][0] == _PUNCT or sep is None:
        return None
    if _secret_key(scan, text, tokens, i, sep):
        value = sep + 1
        while value < n and line[tokens[value][1]] == "<":  # Erlang <<"binary">>
            value += 1
        if value >= n:
            # the value on the next line: `--password`, `"--password",`, `password:` in a
            # properties or YAML file; not code, where `if has_token:` ends a line
            walk.pending = scan.syntax != "code"
            return _STOP
        whole_line = i == walk.first and line[tokens[sep][1]] != ","
        walk.masked_to = _mask_value(scan, tokens, value, whole_line=whole_line)
        walk.i = _next_token(tokens, value, walk.masked_to)
        return _NEXT
    if text.lower() in _NAME_KEYS and sep + 1 < n and is_secret_name(_text(line, tokens[sep + 1])):
        scan.pending_name = True
    if line[tokens[sep][1]] != ",":
        walk.value_of = sep + 1  # `value = "secret", required = false`: a value, not the next key
    walk.i = sep + 1
    return _NEXT


def _at_flag(walk: _Walk, text: str) -> int | None:
    """A flag and its value: --password x, rabbitmqadmin -p x, curl -u user:x."""
    scan, tokens, i = walk.scan, walk.tokens, walk.i
    kind, start, end = tokens[i]
    if kind == _PUNCT or not text.startswith("-") or len(text) <= 1:
        return None
    if not _flag_value(scan, text, start, end):
        return None
    if i + 1 >= len(tokens):
        walk.pending = True
        return _STOP
    nxt = tokens[i + 1]
    if nxt[0] == _PUNCT or _text(scan.line, nxt).startswith("-"):
        return None
    if text in _CREDENTIAL_FLAGS:  # user:password, one word though : splits tokens
        _mask_after_colon(scan, nxt)
    else:
        walk.masked_to = _mask_value(scan, tokens, i + 1, whole_line=False)
    walk.i = _next_token(tokens, i + 1, walk.masked_to)
    return _NEXT


def _mask_after_colon(scan: _Scan, token: tuple[int, int, int]) -> None:
    line = scan.line
    b_start, b_end = _body(line, token)
    if token[0] != _STRING_TOKEN:
        bare = _BARE.match(line, b_start)
        b_end = bare.end() if bare is not None else b_end
    colon = line.find(":", b_start, b_end)
    if colon >= 0:
        scan.mask(colon + 1, b_end)


def _at_spaced_key(walk: _Walk, text: str) -> int | None:
    """`ssl.key.password secret` at the start of a .properties or NATS .conf line."""
    scan, tokens, i = walk.scan, walk.tokens, walk.i
    if (
        i == walk.first
        and tokens[i][0] == _WORD_TOKEN
        and i + 1 < len(tokens)
        and tokens[i + 1][0] != _PUNCT
        and _whitespace_separates(scan.syntax, text)
        and is_secret_name(text)
    ):
        scan.mask(tokens[i + 1][1], _line_end(scan.line))
        return _STOP
    return None


def _scan_string(walk: _Walk) -> None:
    """A string that holds more: "-Dpassword=x", "{\\"password\\": \\"x\\"}", a JAAS line in Java."""
    scan = walk.scan
    b_start, b_end = _body(scan.line, walk.tokens[walk.i])
    inner = scan.line[b_start:b_end]
    if not _worth_scanning(inner):
        return
    inner_out: list[tuple[int, int]] = []
    # \" and \' become space + quote: the same length, so ranges map back one to one
    inner = inner.replace('\\"', ' "').replace("\\'", " '")
    inner_state = _scan_line(inner, "string", _State(rabbitmqadmin=scan.rabbitmqadmin), inner_out, walk.depth + 1)
    scan.rabbitmqadmin = scan.rabbitmqadmin or inner_state.rabbitmqadmin
    scan.out.extend((b_start + s, b_start + e) for s, e in inner_out)


def _first_key(line: str, tokens: list[tuple[int, int, int]]) -> int:
    """The token that starts the line's content: after a YAML dash and `export`."""
    i = 0
    while i < len(tokens) - 1 and tokens[i][0] == _WORD_TOKEN and line[tokens[i][1] : tokens[i][2]] in _LEADERS:
        i += 1
    return i


def _separator(line: str, tokens: list[tuple[int, int, int]], i: int) -> int | None:
    """The index of the = : , (or := =>) that follows token i as an assignment, else None."""
    return _separator_at(line, tokens, i + 1)


def _separator_at(line: str, tokens: list[tuple[int, int, int]], j: int) -> int | None:
    if j >= len(tokens):
        return None
    kind, start, _ = tokens[j]
    if kind != _PUNCT or line[start] not in _SEPARATORS:
        return None
    c = line[start]
    after = line[start + 1] if start + 1 < len(line) else ""
    if c == "=" and after == "=":
        return None  # ==: a comparison
    if c == ":" and after == ":":
        return None  # :: a method reference or scope
    if (c == ":" and after == "=") or (c == "=" and after == ">"):
        return j + 1 if j + 1 < len(tokens) else None
    return j


def _is_key(line: str, tokens: list[tuple[int, int, int]], i: int) -> bool:
    sep = _separator(line, tokens, i)
    return sep is not None and line[tokens[sep][1]] != ","


def _secret_key(scan: _Scan, text: str, tokens: list[tuple[int, int, int]], i: int, sep: int) -> bool:
    line = scan.line
    code = scan.syntax == "code" and tokens[i][0] == _WORD_TOKEN  # an identifier, not a quoted key
    if text and text.strip("]") == "" and i > 0:  # os.environ["DB_PASSWORD"] = ...
        text = _text(line, tokens[i - 1])
        code = False
    if any(c.isspace() for c in text):
        return False  # a sentence in a string, not a key
    if line[tokens[sep][1]] == "," and tokens[i][0] == _WORD_TOKEN:
        # f(token, x), `1 secret, but`: a list; Map.of(SSL_KEY_PASSWORD_CONFIG, x), {default_pass, x}: a key
        constant = scan.syntax == "code" and text.rsplit(".", 1)[-1].isupper()
        if not constant and scan.syntax not in ("erlang", ""):
            return False
    if is_secret_name(text, code):
        return True
    if text == "-p" and scan.rabbitmqadmin:
        return True
    return scan.pending_name and text.lower() == "value"


def _flag_value(scan: _Scan, text: str, start: int, end: int) -> bool:
    """Whether a flag takes a secret as its next word; ``-pSECRET`` of rabbitmqadmin is masked here."""
    if len(text) > 64 or any(c.isspace() for c in text):
        return False  # "-----BEGIN PRIVATE KEY-----...": text, not a flag
    if text in _CREDENTIAL_FLAGS:
        return True
    if scan.rabbitmqadmin and text.startswith("-p") and not text.startswith("--"):
        if len(text) > 2:
            scan.mask(start + 2, end)
            return False
        return True
    return (text.startswith("--") or len(text) > 2) and is_secret_name(text)  # keytool -storepass x


def _mask_value(scan: _Scan, tokens: list[tuple[int, int, int]], j: int, whole_line: bool) -> int:
    """Mask the value that starts at token j; return where the masked text ends. `password: str = "x"`
    (a type annotation), `a.password = b.password = "x"`: each next = assigns the same secret."""
    while True:
        stop = _mask_one(scan, tokens, j, whole_line)
        if stop <= tokens[j][1]:
            return stop
        k = _next_token(tokens, j, stop)
        if k >= len(tokens) or tokens[k][0] != _PUNCT or scan.line[tokens[k][1]] != "=":
            return stop
        sep = _separator_at(scan.line, tokens, k)
        if sep is None or sep + 1 >= len(tokens):
            return stop
        j, whole_line = sep + 1, False


def _mask_one(scan: _Scan, tokens: list[tuple[int, int, int]], j: int, whole_line: bool) -> int:
    line = scan.line
    kind, start, end = tokens[j]
    if kind == _STRING_TOKEN:
        body = _body(line, tokens[j])
        if line[body[0] : body[1]].lower() not in _NOT_SECRETS:
            scan.mask(*body)
        return end
    prefixed = j + 1 < len(tokens) and tokens[j + 1][0] == _STRING_TOKEN and tokens[j + 1][1] == end
    if prefixed and kind == _WORD_TOKEN and line[start:end].lower() in _STRING_PREFIXES:
        scan.mask(*_body(line, tokens[j + 1]))  # b"x", f"x": a Python string with a prefix
        return tokens[j + 1][2]
    c = line[start]
    if c in "{(" or (c == "[" and (end - start == 1 or line[start + 1] in "\"'[{")):
        return start  # a structure: its own keys are judged one by one
    if whole_line:
        return _mask_to_line_end(scan, start, end)
    if kind == _WORD_TOKEN and j + 1 < len(tokens) and tokens[j + 1][1] == end and line[end] == "(":
        return _mask_call(scan, tokens, j)
    return _mask_bare(scan, start)


def _mask_to_line_end(scan: _Scan, start: int, end: int) -> int:
    """A value that is the rest of the line (``password: x y``)."""
    line = scan.line
    if _is_block(line[start:]):
        return start  # `password: |`: the lines below are the value
    stop = _line_end(line)
    if line[start:stop].rstrip(",;").lower() in _NOT_SECRETS:
        return stop  # `password = None`
    scan.mask(start, stop)
    return max(stop, end)


def _mask_call(scan: _Scan, tokens: list[tuple[int, int, int]], j: int) -> int:
    """credentials=PlainCredentials("u", "p"): the whole call."""
    close = _closing(scan.line, tokens, j + 2)
    stop = tokens[close][2] if close < len(tokens) else _line_end(scan.line)
    scan.mask(tokens[j][1], stop)
    scan.open_call = scan.open_call or close >= len(tokens)
    return stop


def _mask_bare(scan: _Scan, start: int) -> int:
    """A value without quotes, up to the first character no bare value has."""
    line = scan.line
    m = _BARE.match(line, start)
    if m is None:
        return start
    stop = m.end()
    if line[start:stop].lower() in _NOT_SECRETS:
        return stop
    if line[start:stop].lower() in _AUTH_SCHEMES:  # Authorization: Bearer <token>
        rest = _SPACE.match(line, stop)
        if rest is not None:
            more = _BARE.match(line, rest.end())
            stop = more.end() if more is not None else stop
    scan.mask(start, stop)
    return stop


def _next_token(tokens: list[tuple[int, int, int]], j: int, position: int) -> int:
    while j < len(tokens) and tokens[j][1] < position:
        j += 1
    return j


def _closing(line: str, tokens: list[tuple[int, int, int]], i: int) -> int:
    """The index of the ``)`` that closes the call whose arguments start at token i (len: not on this line)."""
    depth = 0
    for k in range(i, len(tokens)):
        if tokens[k][0] != _PUNCT:
            continue
        c = line[tokens[k][1]]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            if depth == 0:
                return k
            depth -= 1
    return len(tokens)


def _after_first_argument(line: str, tokens: list[tuple[int, int, int]], i: int, close: int) -> int:
    depth = 0
    for k in range(i, min(close, len(tokens))):
        if tokens[k][0] != _PUNCT:
            continue
        c = line[tokens[k][1]]
        if c in "([{":
            depth += 1
        elif c in ")]}":
            depth -= 1
        elif c == "," and depth == 0:
            return k + 1
    return close


_MARKERS = (
    "pass",
    "pwd",
    "pw",
    "secret",
    "token",
    "jaas",
    "credential",
    "key",
    "private",
    "user",
    "auth",
    "seed",
    "cookie",
    "@",
    "://",
    ":\\/\\/",
    "-----",
    "eyj",
    "rabbitmq",
)


def _worth_scanning(text: str) -> bool:
    """Cheap: whether a line could hold anything the scanner masks (most lines cannot)."""
    low = text.lower()
    return any(m in low for m in _MARKERS) or _SEED.search(text) is not None


# -- shapes found anywhere on a line --------------------------------------------------------------

_SCHEME_SEPARATOR = re.compile(r":(?:\\?/){2}")  # :// and JSON's :\/\/
_URI_STOP = re.compile(r"[\s\"`<>]")  # not ' : a password may have one (a sub-delimiter)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*$")
_TOKEN_SCHEMES = ("nats", "tls", "ws", "wss")  # nats://TOKEN@host: a user alone is a token
# starts only where a run of its characters starts, so it is tried once per run: linear
_SEED = re.compile(r"(?<![A-Z2-7])S[A-Z][A-Z2-7]{54,}")
_JWT = re.compile(r"(?<![A-Za-z0-9_-])eyJ[A-Za-z0-9_-]*\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*")
_USERINFO_STOP = re.compile(r"[\s\"`<>]")  # a password may hold = , ; ( [ ' : from the first : on


def _uris(line: str, out: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Mask the password of every ``scheme://user:password@host`` (a list of them too); return the
    authorities seen, so that ``user:password@host`` without a scheme is not judged twice."""
    seen: list[tuple[int, int]] = []
    separators = list(_SCHEME_SEPARATOR.finditer(line))
    for k, m in enumerate(separators):
        start = m.end()
        limit = separators[k + 1].start() if k + 1 < len(separators) else len(line)
        stop = _URI_STOP.search(line, start, limit)
        end = stop.start() if stop is not None else limit
        at = line.rfind("@", start, end)
        if at < 0:
            continue
        seen.append((start, at))
        colon = line.find(":", start, at)
        if colon >= 0 and "/" not in line[start:colon]:
            out.append((colon + 1, at))
        elif colon < 0 and "/" not in line[start:at]:
            scheme = _SCHEME.search(line, max(0, m.start() - 20), m.start())
            if scheme is not None and scheme.group().lower() in _TOKEN_SCHEMES:
                out.append((start, at))
    return seen


def _userinfo(line: str, seen: list[tuple[int, int]], out: list[tuple[int, int]]) -> None:
    """``user:password@host`` without a scheme (Spring's rabbitmq addresses)."""
    previous = 0
    k = 0
    at = line.find("@")
    while at >= 0:
        while k < len(seen) and seen[k][1] < at:
            k += 1
        inside = k < len(seen) and seen[k][0] <= at
        host_follows = at + 1 < len(line) and (line[at + 1].isalnum() or line[at + 1] in "[_")
        host_follows = host_follows and not line.startswith(("sha256:", "sha512:"), at + 1)  # image:tag@digest
        if not inside and host_follows:
            begin = max(previous, at - 256)
            segment = line[begin:at]
            stops = [m.end() for m in _USERINFO_STOP.finditer(segment)]
            start = begin + (stops[-1] if stops else 0)
            colon = line.find(":", start, at)
            if colon > start:
                out.append((colon + 1, at))
        previous = at + 1
        at = line.find("@", at + 1)


_BASE64 = re.compile(r"(?:[A-Za-z0-9+/=]|\\[nr])*")  # two disjoint choices: linear
# what may follow a BEGIN marker that starts a block in a string: `"-----BEGIN ...-----\n" +`
_PEM_OPENS = re.compile(r"(?:\\n)?[\"']{0,3}[ \t]*\+?[ \t]*$")


def _pem(line: str, out: list[tuple[int, int]]) -> None:
    """The body of a PEM block written on one line (``"-----BEGIN PRIVATE KEY-----\\nMII...``)."""
    begin = line.find("-----BEGIN")
    while begin >= 0:
        header = line.find("-----", begin + 10)
        if header < 0:
            return
        body = header + 5
        end = line.find("-----END", body)
        if end < 0:  # the block goes on below: only its base64 (and \n escapes) on this line
            m = _BASE64.match(line, body)
            out.append((body, m.end() if m is not None else body))
            return
        out.append((body, end))
        begin = line.find("-----BEGIN", end)


def _patterns(line: str, out: list[tuple[int, int]]) -> None:
    if "@" in line:
        seen = _uris(line, out) if ":" in line else []
        _userinfo(line, seen, out)
    out.extend(m.span() for m in _SEED.finditer(line))
    if "eyJ" in line:
        out.extend(m.span() for m in _JWT.finditer(line))
    if "-----BEGIN" in line:
        _pem(line, out)


def _merge(ranges: list[tuple[int, int]]) -> Spans:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(r for r in ranges if r[1] > r[0]):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged)


def apply(line: str, spans: Spans) -> str:
    """The line with each range replaced by ****."""
    if not spans:
        return line
    parts: list[str] = []
    last = 0
    for start, end in spans:
        parts += [line[last:start], MASK]
        last = end
    parts.append(line[last:])
    return "".join(parts)


# -- a file: the context of each line -------------------------------------------------------------


def syntax_of(path: str) -> str:
    """The syntax a file name says, as far as redaction cares."""
    name = path.replace("\\", "/").rsplit("/", 1)[-1].lower()
    suffix = name.rsplit(".", 1)[-1] if "." in name else ""
    if suffix in ("properties", "env"):
        return "properties"
    if suffix in ("yml", "yaml"):
        return "yaml"
    if suffix == "json":
        return "json"
    if suffix == "conf":
        return "conf"
    if suffix in ("py", "java", "kt", "kts", "scala", "groovy", "js", "ts", "go", "rb"):
        return "code"
    if suffix in ("config", "erl"):
        return "erlang"  # {default_pass, <<"x">>}: a tuple's first atom is the key
    if suffix in ("sh", "bash", "mk") or name in ("makefile", "gnumakefile", "dockerfile"):
        return "shell"
    return ""


@dataclass
class _Frame:
    """An open key of a YAML (or pretty JSON) mapping: the lines indented under it are its value."""

    indent: int
    key: str
    secret: bool  # its value is secret
    line: int
    inherits: bool = False  # and all under it (a Kubernetes Secret's data)


@dataclass
class _Group:
    """Sibling keys of one mapping (one list item): ``name: DB_PASSWORD`` makes ``value:`` secret."""

    indent: int
    secret_name: bool = False
    values: list[int] | None = None


_BLOCK = re.compile(r"(?:[&!][^\s]*\s+)*[|>][-+0-9]*\s*(?:#.*)?$")
_KIND_SECRET = re.compile(r"""^["']?kind["']?\s*:\s*["']?\w*Secret["']?\s*,?\s*$""")
_SECRET_DATA = frozenset({"data", "stringData", "encryptedData"})
_LEAVES = frozenset({"key", "config", "value", "info", "data", "string", "text", "content"})
_PEM_LINES = 200  # no key or seed is longer; a BEGIN without an END stops masking there


_NOT_IN_KEYS = re.compile(r"[\s=;(){},\"'`<>]")


def _head(line: str, start: int) -> tuple[str, int] | None:
    """A YAML or JSON key that starts at ``start`` (quoted or plain) and where its value starts."""
    n = len(line)
    if start >= n:
        return None
    c = line[start]
    if c in "\"'":
        close = line.find(c, start + 1, start + 256)
        if close < 0:
            return None
        colon = close + 1
        while colon < n and line[colon] in " \t":
            colon += 1
        if colon >= n or line[colon] != ":":
            return None
        return line[start + 1 : close], colon + 1
    if c in "#{}[],&*!|>%@`":
        return None
    colon = line.find(":", start, start + 256)
    while colon >= 0:
        if colon + 1 >= n or line[colon + 1] in " \t":
            key = line[start:colon].rstrip()
            if not key or _NOT_IN_KEYS.search(key):
                return None  # a sentence or code with a colon in it, not a key
            return key, colon + 1
        colon = line.find(":", colon + 1, start + 256)
    return None


def _backslashed(line: str) -> bool:
    """Whether the line ends with an odd number of backslashes: the next line continues it."""
    stripped = line.rstrip(" \t")
    count = len(stripped) - len(stripped.rstrip("\\"))
    return count % 2 == 1


def _property_key(line: str) -> str:
    """The key of a .properties or shell assignment line (up to = : or a space)."""
    text = line.lstrip()[:256]
    for leader in ("- ", "export "):
        if text.startswith(leader):
            text = text[len(leader) :].lstrip()
    m = re.match(r"[^\s=:]+", text)
    return m.group() if m is not None else ""


class Redactor:
    """One file's lines, each masked with what the lines around it say; each line is judged once."""

    def __init__(self, lines: Sequence[str], path: str = "") -> None:
        self.lines = lines
        self.syntax = syntax_of(path)
        self._spans: list[Spans] | None = None

    def spans(self, number: int) -> Spans:
        """The ranges to mask on line ``number`` (1-based); () for a line that is not there."""
        if self._spans is None:
            self._spans = self._judge()
        return self._spans[number - 1] if 0 < number <= len(self._spans) else ()

    def line(self, number: int) -> str:
        """Line ``number`` (1-based) with its secrets masked."""
        text = self.lines[number - 1] if 0 < number <= len(self.lines) else ""
        return apply(text, self.spans(number))

    def text(self) -> str:
        return "\n".join(self.line(n) for n in range(1, len(self.lines) + 1))

    def _judge(self) -> list[Spans]:
        whole, secret_value = self._context()
        out: list[Spans] = []
        state = _CLEAN
        for index, line in enumerate(self.lines):
            ranges: list[tuple[int, int]] = []
            if whole[index]:
                body = len(line) - len(line.lstrip())
                ranges.append((body, _line_end(line) if self.syntax not in ("yaml", "json") else len(line.rstrip())))
                state = _State(rabbitmqadmin=state.rabbitmqadmin and _backslashed(line))
            else:
                value_start = secret_value[index]
                if value_start >= 0:
                    _mask_rest(line, value_start, ranges)
                if state != _CLEAN or _worth_scanning(line):
                    state = _scan_line(line, self.syntax, state, ranges)
                    _patterns(line, ranges)
                else:
                    state = _CLEAN
            out.append(_merge(ranges))
        return out

    def _context(self) -> tuple[list[bool], list[int]]:
        """For each line: whether it is all secret, and where a secret value starts on it (-1: nowhere)."""
        structured = self.syntax in ("yaml", "json", "")
        context = _Context(self.lines, self.syntax, self._secret_documents() if structured else [])
        for index, line in enumerate(self.lines):
            context.judge(index, line)
        return context.finish()

    def _secret_documents(self) -> list[bool]:
        """For each YAML document (split at ---): whether it is a Kubernetes Secret."""
        out = [False]
        for line in self.lines:
            stripped = line.strip()
            if stripped in ("---", "...") or stripped.startswith("--- "):
                out.append(False)
            elif "kind" in stripped[:8] and "Secret" in stripped and _KIND_SECRET.match(stripped):
                out[-1] = True
        return out


class _Context:
    """One pass over a file's lines that learns what each line's neighbours say about it."""

    def __init__(self, lines: Sequence[str], syntax: str, secret_docs: list[bool]) -> None:
        count = len(lines)
        self.lines = lines
        self.syntax = syntax
        self.whole = [False] * count
        self.secret_value = [-1] * count
        self.structured = syntax in ("yaml", "json", "")
        self.continued = syntax not in ("yaml", "json")
        self.secret_docs = secret_docs
        self.document = 0
        self.frames: list[_Frame] = []
        self.groups: list[_Group] = []
        self.owner = [-1] * count  # the key line whose value a line belongs to
        self.key_secret: dict[int, bool] = {}
        self.value_at: dict[int, int] = {}
        self.block_indent = -1  # inside a block scalar or a quoted scalar: lines indented deeper than this
        self.pem = False
        self.pem_start = 0
        self.continuation = False  # this line goes on from a backslash
        self.continuation_secret = False

    def close_groups(self, indent: int) -> None:
        groups = self.groups
        while groups and groups[-1].indent > indent:
            done = groups.pop()
            if done.secret_name and done.values:
                for v in done.values:
                    self.key_secret[v] = True

    def judge(self, index: int, line: str) -> None:
        if self._continues(index, line) or self._in_pem(index, line):
            return
        if self.structured:
            self._structure(index, line)

    def _continues(self, index: int, line: str) -> bool:
        """Whether the line goes on from a backslash (then it is secret as the line it continues)."""
        was_continued = self.continuation
        self.continuation = self.continued and _backslashed(line)
        if was_continued:
            self.whole[index] = self.continuation_secret
            return True
        if self.continuation:
            key = _property_key(line)
            rest = line.lstrip()[len(key) :].lstrip(" \t") if key else ""
            self.continuation_secret = is_secret_name(key) and (
                rest[:1] in ("=", ":") or _whitespace_separates(self.syntax, key)
            )
        return False

    def _in_pem(self, index: int, line: str) -> bool:
        """Whether the line is inside a PEM block (then it is all secret); notes a block that begins."""
        if self.pem:
            self.pem = "-----END" not in line and index - self.pem_start < _PEM_LINES
            self.whole[index] = self.pem
            return True
        if "-----BEGIN" in line and "-----END" not in line:
            # a marker line of its own, or a private key or seed begun inside a string in code
            stripped = line.strip()
            marker = stripped.startswith("-----BEGIN") and stripped.endswith("-----")
            self.pem = marker or _opens_block(line)
            self.pem_start = index
        return False

    def _structure(self, index: int, line: str) -> None:
        """A line of YAML or pretty JSON: a document marker, a key, a scalar or a block's text."""
        stripped = line.strip()
        if stripped in ("---", "...") or stripped.startswith("--- "):
            self.document += 1
            self.frames.clear()
            self.close_groups(-1)
            self.block_indent = -1
            return
        indent = len(line) - len(line.lstrip(" \t"))
        if self.block_indent >= 0:
            if not stripped or indent > self.block_indent:
                self.owner[index] = self.frames[-1].line if self.frames else -1
                return
            self.block_indent = -1
        if not stripped or stripped.startswith("#") or stripped.startswith("//"):
            return
        start, item = _after_dashes(line, indent)
        self.close_groups(indent if item else start)
        head = _head(line, start) if start < len(line) else None
        if head is None:
            if item or stripped[0] not in "{}[]":
                # a scalar: a list item or a plain scalar's next line belongs to the key above
                self._pop_frames(indent if not item else start)
                if self.frames:
                    self.owner[index] = self.frames[-1].line
            return
        self._key_line(index, line, start, item, head)

    def _pop_frames(self, indent: int) -> None:
        while self.frames and self.frames[-1].indent >= indent:
            self.frames.pop()

    def _key_line(self, index: int, line: str, start: int, item: bool, head: tuple[str, int]) -> None:
        key, after = head
        self._pop_frames(start)
        parent = self.frames[-1] if self.frames else None
        inherited = parent is not None and parent.inherits
        docs = self.secret_docs
        data = key in _SECRET_DATA and self.document < len(docs) and docs[self.document]
        # jaas: / config:, ssl: / key:, password: / value: (a leaf named for what it is part of)
        joined = parent is not None and key.lower() in _LEAVES and is_secret_name(f"{parent.key}.{key}")
        secret = inherited or data or joined or is_secret_name(key)
        self.frames.append(_Frame(start, key, secret, index, inherited or data))
        self.key_secret[index] = secret
        value = after
        while value < len(line) and line[value] in " \t":
            value += 1
        self.value_at[index] = value
        rest = line[value:]
        self._group(index, key, rest, start, item)
        if _is_block(rest) or _unterminated(rest):
            self.block_indent = start

    def _group(self, index: int, key: str, rest: str, start: int, item: bool) -> None:
        """Note the key among its siblings: ``name: DB_PASSWORD`` and ``value:``."""
        groups = self.groups
        if not groups or groups[-1].indent != start or item:
            if groups and groups[-1].indent == start:
                self.close_groups(start - 1)
            groups.append(_Group(start))
        group = groups[-1]
        if key.lower() in _NAME_KEYS and is_secret_name(_scalar(rest)):
            group.secret_name = True
        elif key.lower() == "value":
            group.values = [*(group.values or []), index]

    def finish(self) -> tuple[list[bool], list[int]]:
        self.close_groups(-1)
        for index in range(len(self.lines)):
            if self.key_secret.get(index):
                self.secret_value[index] = self.value_at[index]
            owner = self.owner[index]
            if owner >= 0 and self.key_secret.get(owner) and self.lines[index].strip():
                self.whole[index] = True
        return self.whole, self.secret_value


def _after_dashes(line: str, indent: int) -> tuple[int, bool]:
    """Where a line's content starts after its YAML list dashes, and whether it had any."""
    start = indent
    item = False
    while line.startswith("-", start) and (start + 1 == len(line) or line[start + 1] in " \t"):
        item = True
        start += 2
        while start < len(line) and line[start] in " \t":
            start += 1
    return start, item


def _is_block(rest: str) -> bool:
    """A block scalar's header: | or > (with an anchor, a tag, indicators, a comment)."""
    return len(rest) < 200 and _BLOCK.match(rest) is not None


def _opens_block(line: str) -> bool:
    """A private key or seed begun in a string of code (``"-----BEGIN PRIVATE KEY-----\n" +``)."""
    begin = line.rfind("-----BEGIN")
    header = line.find("-----", begin + 10)
    if header < 0 or not ("PRIVATE KEY" in line[begin:header] or "SEED" in line[begin:header]):
        return False
    return len(line) - header < 64 and _PEM_OPENS.match(line, header + 5) is not None


def _scalar(rest: str) -> str:
    text = rest.strip()
    if text[:1] in ("'", '"'):
        close = text.find(text[0], 1)
        return text[1:close] if close > 0 else text[1:]
    return text.split(" #", 1)[0].rstrip(",").strip()


def _unterminated(rest: str) -> bool:
    """A quoted scalar that goes on to the next lines."""
    if rest[:1] not in ("'", '"'):
        return False
    m = _STRINGS[rest[0]].match(rest)
    assert m is not None
    return m.end() < 2 or rest[m.end() - 1] != rest[0] or rest[m.end() - 2 : m.end()] == "\\" + rest[0]


def _mask_rest(line: str, start: int, out: list[tuple[int, int]]) -> None:
    """A secret key's value from ``start``: a string's inside, a flow collection or a scalar whole."""
    if start >= len(line):
        return
    rest = line[start:]
    if _is_block(rest) or "".join(rest.split()).rstrip(",") in ("{", "[", "[{", "{}", "[]"):
        return  # its lines below are judged one by one
    if rest[0] in "\"'":
        m = _STRINGS[rest[0]].match(line, start)
        assert m is not None
        body = _body(line, (_STRING_TOKEN, start, m.end()))
        if line[body[0] : body[1]].lower() not in _NOT_SECRETS:
            out.append(body)
        return
    if rest.rstrip().rstrip(",;").lower() not in _NOT_SECRETS:
        out.append((start, len(line.rstrip())))


@lru_cache(maxsize=1024)  # the key is the line object itself, not a copy
def redact_spans(line: str) -> Spans:
    """The ranges to mask on one line judged alone (no file around it)."""
    return Redactor([line]).spans(1)


def redact_line(line: str) -> str:
    """The line with any secret value replaced by ****, judged alone (cached: one line, one scan)."""
    return apply(line, redact_spans(line))


def redact_text(text: str, path: str = "") -> str:
    """Several lines (a fix snippet, an example file) with each line judged in its context."""
    lines = text.split("\n")
    return "\n".join(Redactor(lines, path).line(n) for n in range(1, len(lines) + 1))
