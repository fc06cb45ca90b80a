# msglint in a container: docker run --rm -v "$PWD:/src:ro" msglint [PATHS] [OPTIONS]
FROM python:3.12-slim

# The build context has no .git (.dockerignore), so hatch-vcs cannot read the tag: a release build
# passes it (RELEASING.md), e.g. --build-arg MSGLINT_VERSION="$(git describe --tags | sed 's/^v//')".
# Without it the version is pyproject's fallback_version.
ARG MSGLINT_VERSION=""
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1

COPY . /tmp/msglint
RUN if [ -n "$MSGLINT_VERSION" ]; then export SETUPTOOLS_SCM_PRETEND_VERSION="$MSGLINT_VERSION"; fi \
    && pip install --no-cache-dir /tmp/msglint \
    && rm -rf /tmp/msglint \
    && useradd --create-home --uid 10001 --shell /usr/sbin/nologin msglint

# Not root: the mounted tree is only read, and the catalog cache goes to the user's home.
USER msglint
WORKDIR /src
ENTRYPOINT ["msglint"]
CMD ["."]
