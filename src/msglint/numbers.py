"""Numbers read from linted files, parsed with bounds, in one place.

A file can hold any text where a number belongs: 5,000 digits, ``1e999``, ``nan``. Python takes
most of it and fails later: ``float("1e999")`` is ``inf``, ``float(10**400)`` and ``10**400 / 3``
raise OverflowError, and ``int()`` or ``str()`` of more than 4,300 digits raise ValueError. So the
syntax is checked first, the length before ``int()`` sees the digits, arithmetic is exact (ints,
``Decimal`` with a context wide enough, never ``float``), and a result is bounded to what the
program reading the file can hold: a Java ``int`` or ``long``, a Go ``int64``, a double. Beyond
that the value is the client's own error (a finding, see checks.values) or unknown: None.
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_DOWN, ROUND_FLOOR, Context, Decimal

INT32 = (-(2**31), 2**31 - 1)  # a Java int
INT64 = (-(2**63), 2**63 - 1)  # a Java long, a Go int64
RANGES = {32: INT32, 64: INT64}
JAVA_NAMES = {32: "int", 64: "long"}

# 2**63 has 19 digits: more significant digits than this are out of every range, so int() never
# sees them (a 5,000-digit string would raise in int(), a 4,000-digit one in str() later).
MAX_DIGITS = 20
# A decimal number's text beyond this is not a value anyone means; Decimal never sees it.
MAX_TEXT = 100
# Wide enough for the exact product of a MAX_TEXT-digit number and any unit factor used here.
_EXACT = Context(prec=MAX_TEXT + 60)

_INTEGER = re.compile(r"[+-]?[0-9]+")  # Integer.parseInt / Long.parseLong, after trim(); ASCII digits
_DECIMAL = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_PLAIN = re.compile(r"[+-]?(?:[0-9]+\.?[0-9]*|\.[0-9]+)")  # no exponent: sizes and durations


@dataclass(frozen=True)
class OutOfRange:
    """A whole number, as written, beyond the range of ``bits``: the client refuses it."""

    text: str
    bits: int

    @property
    def low(self) -> int:
        return RANGES[self.bits][0]

    @property
    def high(self) -> int:
        return RANGES[self.bits][1]


def in_range(n: int, bits: int = 64) -> bool:
    low, high = RANGES[bits]
    return low <= n <= high


def integer(text: str, bits: int = 64) -> int | OutOfRange | None:
    """A whole number as Java's ``Integer.parseInt`` (bits=32) or ``Long.parseLong`` (64) reads it
    after ``trim()``: an optional sign and ASCII digits. None: not a whole number (``5ms``,
    ``1_000``, ``1.5``); OutOfRange: digits beyond the type."""
    s = text.strip()
    if not _INTEGER.fullmatch(s):
        return None
    significant = s.lstrip("+-").lstrip("0") or "0"
    if len(significant) > MAX_DIGITS:
        return OutOfRange(s, bits)
    n = -int(significant) if s.startswith("-") else int(significant)  # leading zeros count toward int()'s limit
    return n if in_range(n, bits) else OutOfRange(s, bits)


def parse_int(text: str | None, bits: int = 64) -> int | None:
    """A whole number within ``bits``, or None (not one, or out of range)."""
    if text is None:
        return None
    n = integer(text, bits)
    return n if isinstance(n, int) else None


def decimal(text: str | None, exponent: bool = True) -> Decimal | None:
    """A finite decimal number as written (``0.6``, ``-3``, ``1e3``), exact; None for anything else,
    ``inf``, ``nan``, ``0x1p3`` and ``1_000`` included, and for text longer than MAX_TEXT."""
    if text is None:
        return None
    s = text.strip()
    if len(s) > MAX_TEXT or not (_DECIMAL if exponent else _PLAIN).fullmatch(s):
        return None
    return Decimal(s)


_DOUBLE_MAX = Decimal(sys.float_info.max)


def parse_double(text: str | None) -> float | None:
    """A number a double holds: no ``inf``, ``nan`` or ``1e999`` (Erlang's and Go's parsers refuse
    them; Java's would give Infinity, which no setting means)."""
    d = decimal(text)
    if d is None or abs(d) > _DOUBLE_MAX:
        return None
    return float(d)


def whole(d: Decimal, bits: int = 64, rounding: str = ROUND_FLOOR) -> int | None:
    """``d`` rounded to a whole number (``rounding``: ROUND_FLOOR, ROUND_CEILING, ROUND_DOWN), if
    ``bits`` holds it. The exponent is checked first, so ``1e999999`` never becomes a million-digit
    int."""
    if not d.is_finite():
        return None
    if d.is_zero():
        return 0
    if d.adjusted() > MAX_DIGITS:
        return None
    n = int(d.to_integral_value(rounding=rounding, context=_EXACT))
    return n if in_range(n, bits) else None


def scaled(number: str, factor: int, bits: int = 64, rounding: str = ROUND_FLOOR, exponent: bool = False) -> int | None:
    """``number`` (``1.5``, ``30``) times ``factor`` (a unit), exact, as a whole number within ``bits``."""
    d = decimal(number, exponent)
    if d is None or (not d.is_zero() and d.adjusted() > MAX_DIGITS):
        return None
    return whole(_EXACT.multiply(d, Decimal(factor)), bits, rounding)


# --- sizes -------------------------------------------------------------------------------------

_QUANTITY_SYNTAX = re.compile(r"\s*\+?([0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E|)\s*")
_QUANTITY = {
    "": 1,
    "k": 10**3,
    "M": 10**6,
    "G": 10**9,
    "T": 10**12,
    "P": 10**15,
    "E": 10**18,
    "Ki": 2**10,
    "Mi": 2**20,
    "Gi": 2**30,
    "Ti": 2**40,
    "Pi": 2**50,
    "Ei": 2**60,
}


def kubernetes_bytes(text: str | None) -> int | None:
    """A Kubernetes memory quantity (``2Gi``, ``512M``, ``1.5Gi``) in bytes, rounded up as
    ``Quantity.Value()`` does; None beyond an int64 (the container runtime's type)."""
    m = _QUANTITY_SYNTAX.fullmatch(text or "")
    return None if not m else scaled(m.group(1), _QUANTITY[m.group(2)], rounding=ROUND_CEILING)


_INFORMATION_UNIT = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]{0,3})\s*")
_POWERS = {"k": 1, "m": 2, "g": 3, "t": 4, "p": 5}


def rabbitmq_bytes(text: str | None) -> int | None:
    """A RabbitMQ information unit (``disk_free_limit.absolute``, ``vm_memory_high_watermark.absolute``)
    in bytes. rabbit_resource_monitor_misc:parse_information_unit: ``k``/``K``, ``ki``, ``kib`` are
    powers of 1024 and ``kB``/``KB`` powers of 1000; likewise m, g, t, p (cuttlefish's
    is_supported_information_unit validator lists them case-insensitively). A fraction (``1.5GB``)
    is read, though the broker wants whole numbers; None beyond an int64."""
    m = _INFORMATION_UNIT.fullmatch(text or "")
    if not m:
        return None
    unit = m.group(2).lower()
    if not unit:
        return scaled(m.group(1), 1)
    if unit[0] not in _POWERS or unit[1:] not in ("", "i", "ib", "b"):
        return None
    power = _POWERS[unit[0]]
    return scaled(m.group(1), (1000 if unit[1:] == "b" else 1024) ** power)


# --- durations ---------------------------------------------------------------------------------

_GO_UNITS = {
    "ns": 1,
    "us": 10**3,
    "µs": 10**3,
    "μs": 10**3,
    "ms": 10**6,
    "s": 10**9,
    "m": 60 * 10**9,
    "h": 3600 * 10**9,
}
_GO_PART = re.compile(r"([0-9]*)(?:\.([0-9]*))?(ns|us|µs|μs|ms|s|m|h)")


def go_duration_ns(text: str) -> int | None:
    """Go's ``time.ParseDuration`` (``1m30s``, ``1.5h``, ``-2s``, ``0``) in nanoseconds; None where Go
    fails, an overflow of int64 included ("invalid duration")."""
    s = text.strip()
    sign = -1 if s.startswith("-") else 1
    s = s[1:] if s[:1] in "+-" and s else s
    if s == "0":
        return 0
    if not s:
        return None
    total, at = 0, 0
    while at < len(s):
        part = _GO_PART.match(s, at)
        if part is None or not (part.group(1) or part.group(2)):
            return None  # a unit without a number, or a character Go does not take
        whole_digits, fraction, unit = part.group(1), part.group(2) or "", part.group(3)
        whole_digits = whole_digits.lstrip("0")  # leading zeros count toward int()'s digit limit
        if len(whole_digits) > MAX_DIGITS:
            return None
        amount = int(whole_digits or "0") * _GO_UNITS[unit]
        if fraction:  # Go keeps the fraction's leading digits and truncates the rest
            kept = fraction[:MAX_DIGITS]
            amount += int(kept) * _GO_UNITS[unit] // 10 ** len(kept)
        total += amount
        if total > 2**63:
            return None
        at = part.end()
    total *= sign
    return total if in_range(total, 64) else None


def seconds_to_ns(text: str, bits: int = 64) -> int | None:
    """A number of seconds written in code (``30``, ``1.5``, ``1_000``, ``1e3``) in nanoseconds,
    truncated as ``int(seconds * 1e9)`` does; None beyond ``bits``."""
    return scaled(text.replace("_", ""), 10**9, bits, ROUND_DOWN, exponent=True)


# --- literals in source code ------------------------------------------------------------------

_JAVA_BASES = (("0x", 16), ("0X", 16), ("0b", 2), ("0B", 2))


def java_literal(text: str) -> tuple[str, bool] | None:
    """A Java integer literal (``30_000``, ``0x7fff_ffff``, ``010``, ``0b1``, ``5L``) as decimal text,
    and whether it is a ``long`` (an ``L`` suffix). Hex, octal and binary literals are two's
    complement (``0xFFFFFFFF`` is -1); a decimal one is kept as written, however long, so that a
    value javac refuses ("integer number too large") stays visible; None for a non-decimal one
    javac refuses, or what is not a literal."""
    s = text.replace("_", "")
    is_long = s[-1:] in ("l", "L")
    s = s[:-1] if is_long else s
    if re.fullmatch(r"[0-9]+", s) and (s == "0" or not s.startswith("0")):
        return s, is_long
    bits = 64 if is_long else 32
    base = next((b for prefix, b in _JAVA_BASES if s.startswith(prefix)), 8 if s.startswith("0") else 0)
    digits = s[2:] if base in (2, 16) else s[1:]
    if not base or not digits or len(digits.lstrip("0")) > bits:  # 64 binary digits: the longest there is
        return None
    try:
        n = int(digits, base)
    except ValueError:
        return None
    if n >= 2**bits:
        return None
    return str(n - 2**bits if n >= 2 ** (bits - 1) else n), is_long


def python_int_literal(text: str) -> str | None:
    """A Python integer literal (``1_000``, ``0x10``, ``0o17``, ``0b1``) as decimal text. A decimal
    one is kept as written, however long (CPython refuses to convert one beyond 4,300 digits);
    None for a non-decimal one longer than any 64-bit number."""
    s = text.replace("_", "")
    if re.fullmatch(r"[0-9]+", s):
        return s.lstrip("0") or "0"
    if len(s) > 66:
        return None
    try:
        return str(int(s, 0))
    except ValueError:
        return None


# --- widths ------------------------------------------------------------------------------------

# The Kafka Java client's INT keys (ConfigDef.Type.INT: Integer.parseInt), from apache/kafka trunk
# ProducerConfig.java (commit 0106e705) and ConsumerConfig.java (0025adef). Here, not in kafka.keys,
# so that the model (Setting.as_int) needs nothing from the knowledge layer.
INT32_KEYS = frozenset(
    {
        # ProducerConfig
        "retries",
        "batch.size",
        "delivery.timeout.ms",
        "request.timeout.ms",
        "max.request.size",
        "max.in.flight.requests.per.connection",
        "transaction.timeout.ms",
        "send.buffer.bytes",
        "receive.buffer.bytes",
        "metrics.num.samples",
        "compression.gzip.level",
        "compression.lz4.level",
        "compression.zstd.level",
        # ConsumerConfig
        "session.timeout.ms",
        "heartbeat.interval.ms",
        "max.poll.interval.ms",
        "max.poll.records",
        "auto.commit.interval.ms",
        "fetch.min.bytes",
        "fetch.max.bytes",
        "fetch.max.wait.ms",
        "max.partition.fetch.bytes",
        "default.api.timeout.ms",
    }
)


def value_bits(key: str) -> int:
    """How wide a whole number ``key`` holds: 32 bits for the Kafka client's INT keys (librdkafka and
    the Python clients send them as int32 too), 64 otherwise: no client, broker or operator takes
    more than a 64-bit integer for a setting."""
    return 32 if key in INT32_KEYS else 64


# --- messages ----------------------------------------------------------------------------------

SHOWN_DIGITS = 20
_LONG_DIGITS = re.compile(r"[0-9]{25,}")


def clip(text: str, keep: int = SHOWN_DIGITS) -> str:
    """A value as a message may show it: its first ``keep`` characters and an ellipsis when longer."""
    return text if len(text) <= keep + 4 else f"{text[:keep]}… ({len(text)} characters)"


def clip_digits(message: str) -> str:
    """Every run of 25 digits or more in ``message`` cut to its first 20: a 400-digit value is never
    printed whole."""
    if len(message) < 25:
        return message
    return _LONG_DIGITS.sub(lambda m: f"{m.group(0)[:SHOWN_DIGITS]}… ({len(m.group(0))} digits)", message)
