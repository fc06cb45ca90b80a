"""Checks: functions from an entity to hits. A check knows entities and settings, never a syntax.

A catalog rule either describes its check as data (``check.setting`` + a condition, run by
``declarative``) or names a function here: ``check: {python: "module:function"}`` with the signature
``(entity, options) -> Iterable[Hit]``. A function that compares the entity with the rest of the
tree declares a third parameter, ``workspace``, and is given the whole model (``link.Workspace``):
no entity carries a copy of its context.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

from msglint.kafka.keys import is_secret_key
from msglint.model import Entity, Origin, Setting
from msglint.numbers import clip_digits

if TYPE_CHECKING:
    from msglint.catalog import Rule
    from msglint.link import Workspace


@dataclass(frozen=True)
class Hit:
    message: str
    at: Setting | None = None  # the written setting at fault; None or a default: the entity's anchor
    set: tuple[str, str] | None = None  # the fix: write this key with this value
    rename: tuple[Setting, str] | None = None  # the fix: write this setting under another key
    remove: bool = False  # the fix: delete the line of ``at``
    on: Entity | None = None  # the entity the fix writes to, when not the checked one
    related: tuple[tuple[Setting | Entity | Origin, str], ...] = ()  # other places involved, and why
    severity: str | None = None  # this hit graded below its rule's severity (the rule's is the worst case)

    def __post_init__(self) -> None:
        # a value of 400 digits is shown by its first 20, whichever check wrote the message
        object.__setattr__(self, "message", clip_digits(self.message))


Check = Callable[[Entity, Mapping[str, Any]], Iterable[Hit]]


def hits(rule: Rule, entity: Entity, workspace: Workspace) -> Iterable[Hit]:
    """What ``rule`` finds on ``entity``; its check is given ``workspace`` when it declares one."""
    ref = rule.check.get("python")
    if ref is not None and "workspace" in _parameters(ref):
        return _function(ref)(entity, rule.options, workspace=workspace)
    return rule.run(entity)


@cache
def _function(ref: str) -> Callable[..., Iterable[Hit]]:
    module, _, name = ref.partition(":")
    fn: Callable[..., Iterable[Hit]] = getattr(importlib.import_module(module), name)
    return fn


@cache
def _parameters(ref: str) -> frozenset[str]:
    return frozenset(inspect.signature(_function(ref)).parameters)


def describe(setting: Setting) -> str:
    """``acks=1`` as written, or ``acks=all (not set: the default of ...)``; secrets stay masked."""
    if is_secret_key(setting.key):
        return f"{setting.key}=****"
    if setting.explicit:
        return f"{setting.key}={setting.value if setting.value is not None else setting.raw}"
    return f"{setting.key}={setting.value} (not set: the default of {setting.default_from})"


def default_note(setting: Setting) -> str:
    return "" if setting.explicit else f" (not set: {setting.value} is the default of {setting.default_from})"


def first_explicit(*settings: Setting | None) -> Setting | None:
    for s in settings:
        if s is not None and s.explicit:
            return s
    return None
