"""The version, in a leaf module: everything may import it without importing the package's API.

hatch-vcs writes it from the git tag into _version.py when msglint is built or installed (an
editable install too); a source tree that was never installed has no such file."""

try:
    from msglint._version import __version__ as __version__
except ImportError:  # never built: say so rather than guess a release
    __version__ = "0.0.0+unknown"
