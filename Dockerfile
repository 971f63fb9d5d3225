FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1 \
    TP_HOST=0.0.0.0 TP_PORT=8000

WORKDIR /app

# Dependencies first, in their own layer: code changes do not reinstall TensorFlow.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
        > /tmp/requirements.txt \
    && pip install --no-cache-dir -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY app ./app
COPY static ./static
COPY templates ./templates

RUN useradd --create-home --uid 10001 playground
USER playground

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"TP_PORT\", \"8000\")}/api/health', timeout=4)"]

CMD ["python", "-m", "app"]
