"""Hypothesis profiles for the fuzz suite.

``default`` is small and deterministic, so that ``pytest`` stays quick and never flaky; ``long`` is
the campaign: ``pytest tests/fuzz --hypothesis-profile=long`` (name tests/fuzz on the command line:
this file must be loaded before the option is read). ``MSGLINT_FUZZ_EXAMPLES`` sets the long
profile's examples per test (default 2000).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

# a generated file is up to 1 MB and each example forks a child: slow by design, never a bug
_QUIET = [HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much, HealthCheck.large_base_example]

_EXAMPLES = os.environ.get("MSGLINT_FUZZ_EXAMPLES")
settings.register_profile(
    "default",
    max_examples=int(_EXAMPLES or 3),
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=_QUIET,
    print_blob=True,
)
settings.register_profile(
    "long", max_examples=int(_EXAMPLES or 2000), deadline=None, suppress_health_check=_QUIET, print_blob=True
)
if settings.get_current_profile_name() == "default":
    settings.load_profile("default")  # the registration above replaced it: load the new one
