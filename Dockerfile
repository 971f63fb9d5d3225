# Tensor Playground: the pages, the API and the TensorFlow engine, served by uvicorn on 0.0.0.0:8000.
# Settings are TP_* environment variables (app/config.py): docker run -e TP_MAX_SESSIONS=50 ...

# The runtime requirements, read from pyproject.toml. Only this list reaches the install below, so
# editing anything else in pyproject.toml (test tools, pytest options) does not reinstall TensorFlow.
FROM python:3.11-slim AS requirements
WORKDIR /src
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > requirements.txt

FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 \
    TP_HOST=0.0.0.0 TP_PORT=8000

# The server runs as this unprivileged user; the code stays owned by root, so it cannot rewrite itself.
# Saved runs live in /data (SQLite; TP_DATABASE_URL may name PostgreSQL instead), the one place it writes.
RUN useradd --no-log-init --create-home --user-group --uid 10001 playground \
    && mkdir /data && chown playground:playground /data
ENV TP_DATA_DIR=/data
VOLUME ["/data"]

WORKDIR /app

# Dependencies in their own layer: code changes do not reinstall them. Every requirement is a wheel, so
# no compiler is needed; pip's cache is not kept. Bytecode is compiled here, once, because the server's
# user cannot write it next to the sources and TensorFlow would otherwise be recompiled on every start.
# TensorFlow's C++ headers (tensorflow/include, ~270 MB) serve only to compile custom ops: not kept.
COPY --from=requirements /src/requirements.txt /tmp/requirements.txt
RUN pip install --no-cache-dir --disable-pip-version-check --root-user-action=ignore -r /tmp/requirements.txt \
    && rm -r /tmp/requirements.txt "$(python -c "import sysconfig; print(sysconfig.get_path('purelib'))")/tensorflow/include"

COPY app ./app
COPY static ./static
COPY templates ./templates

USER 10001:10001

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"TP_PORT\", \"8000\")}/api/health', timeout=4)"]

CMD ["python", "-m", "app"]
