"""Spring profile expressions (``prod``, ``!local``, ``prod & eu``, ``(a | b) & !c``), evaluated the
way ``org.springframework.core.env.Profiles.of`` does. A list of expressions matches when any does.
"""

from __future__ import annotations

import re

_TOKEN = re.compile(r"\s*([()!&|]|[^()!&|\s]+)")


def names(expressions: list[str]) -> set[str]:
    """The profile names an expression mentions."""
    return {t for e in expressions for t in _TOKEN.findall(e) if t not in "()!&|"}


def matches(expressions: list[str], active: set[str]) -> bool:
    return any(_evaluate(_TOKEN.findall(e), active) for e in expressions if e.strip())


def _evaluate(tokens: list[str], active: set[str]) -> bool:
    position = 0

    def expression() -> bool:
        nonlocal position
        result = unary()
        while position < len(tokens) and tokens[position] in "&|":
            op = tokens[position]
            position += 1
            right = unary()
            result = (result and right) if op == "&" else (result or right)
        return result

    def unary() -> bool:
        nonlocal position
        if position >= len(tokens):
            return False
        token = tokens[position]
        position += 1
        if token == "!":
            return not unary()
        if token == "(":
            value = expression()
            if position < len(tokens) and tokens[position] == ")":
                position += 1
            return value
        return token in active

    return expression()
