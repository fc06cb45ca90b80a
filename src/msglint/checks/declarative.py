"""The data form of a check: one setting of one entity and a condition on its value.

check:
  setting: acks
  fail_if: {in: ["0", "1"]}     # equals, not_equals, in, not_in, lt, le, gt, ge, unset
  when_unset: skip              # skip | default: judge the default that applies
  message: "acks={value} ..."   # {key} {value} {default_note}
  fix: {set: all}
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

from msglint import numbers
from msglint.checks import Hit, default_note
from msglint.defaults import effective
from msglint.kafka.keys import value_bits
from msglint.model import Entity

OPERATORS = ("equals", "not_equals", "in", "not_in", "lt", "le", "gt", "ge", "unset")


def _number(text: Any) -> Decimal | None:
    """A number as written, compared exactly: ``inf``, ``nan`` and 400-digit values are no number."""
    return numbers.decimal(str(text))


def _same(a: Any, b: Any) -> bool:
    na, nb = _number(a), _number(b)
    if na is not None and nb is not None:
        return na == nb
    return str(a).strip().lower() == str(b).strip().lower()


def matches(condition: Mapping[str, Any], value: str) -> bool:
    """Every operator given must hold (they combine with AND)."""
    for op, operand in condition.items():
        if op == "unset":
            continue
        if op == "equals" and not _same(value, operand):
            return False
        if op == "not_equals" and _same(value, operand):
            return False
        if op == "in" and not any(_same(value, o) for o in operand):
            return False
        if op == "not_in" and any(_same(value, o) for o in operand):
            return False
        if op in ("lt", "le", "gt", "ge"):
            v, o = _number(value), _number(operand)
            if v is None or o is None:
                return False
            if not {"lt": v < o, "le": v <= o, "gt": v > o, "ge": v >= o}[op]:
                return False
    return True


def _shown(key: str, value: str) -> str:
    """A value as a message may show it: never a secret's (an organisation's rule may name any key)."""
    from msglint.kafka.keys import is_secret_key
    from msglint.redact import MASK

    return MASK if is_secret_key(key) else value


def _when_unset(spec: Mapping[str, Any], entity: Entity, fix_set: tuple[str, str] | None) -> Iterator[Hit]:
    """``fail_if: {unset: true, ...}``: fires when the key is not written; other operators, if any, judge
    the default that applies."""
    key = spec["setting"]
    condition = spec["fail_if"]
    if entity.get(key) is not None:
        return
    default = effective(entity, key)
    known = default is not None and default.value is not None
    if len(condition) > 1 and not (known and default is not None and matches(condition, default.value or "")):
        return
    value = default.value if known and default is not None else "unknown"
    note = default_note(default) if known and default is not None else ""
    shown = _shown(key, value or "unknown")
    yield Hit(spec["message"].format(key=key, value=shown, default_note=note), None, fix_set)


def run(spec: Mapping[str, Any], entity: Entity) -> Iterator[Hit]:
    """The check of every rule written as data (``check: {setting, fail_if, message}``): KC202, KP101,
    KP102, KP104 and KP302 in the catalog, and an organisation's own rules."""
    key = spec["setting"]
    condition = spec.get("fail_if", {})
    fix = spec.get("fix", {})
    fix_set = (key, str(fix["set"])) if "set" in fix else None
    if condition.get("unset"):
        yield from _when_unset(spec, entity, fix_set)
        return
    setting = entity.get(key) if spec.get("when_unset", "skip") == "skip" else effective(entity, key)
    if setting is None or setting.value is None:
        return
    if isinstance(numbers.integer(setting.value, value_bits(key)), numbers.OutOfRange):
        return  # a number beyond what the key holds: the invalid-value rule's finding, and nothing else's
    if matches(condition, setting.value):
        shown = _shown(key, setting.value or "")
        message = spec["message"].format(key=key, value=shown, default_note=default_note(setting))
        yield Hit(message, setting, fix_set)
