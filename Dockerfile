# SZJ production image: gunicorn serves the app on port 8000; the same image runs the Celery
# worker and beat (see docker-compose.yml). Configuration comes only from the environment
# (config/settings/prod.py): SECRET_KEY, DATABASE_URL, ALLOWED_HOSTS, REDIS_URL at the least.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=config.settings.prod

# WeasyPrint's runtime libraries (Pango, HarfBuzz) and a font with Polish glyphs; gettext gives
# msgfmt for compilemessages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
    && rm -rf /var/lib/apt/lists/*

# The app runs unprivileged. The code stays owned by root, so the app cannot change it;
# only /data/media (uploads) is writable. A named volume mounted there copies this ownership.
RUN groupadd --system --gid 10001 szj \
    && useradd --system --uid 10001 --gid szj --home-dir /app --no-create-home \
        --shell /usr/sbin/nologin szj \
    && mkdir -p /data/media \
    && chown szj:szj /data/media

WORKDIR /app

# Dependencies first, in their own layer, so a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

COPY . .
RUN pip install . \
    && rm -rf build *.egg-info

# Throwaway values only for this step: prod settings refuse to load without them, and neither
# command connects to the database or Redis. They are not kept in the image.
RUN SECRET_KEY=build-only-not-a-secret \
    DATABASE_URL=postgres://build:build@127.0.0.1:5432/build \
    ALLOWED_HOSTS=localhost \
    REDIS_URL=redis://127.0.0.1:6379/0 \
    sh -c "python manage.py compilemessages --ignore=.venv \
        && python manage.py collectstatic --noinput"

USER szj

EXPOSE 8000

# /healthz is 200 only when the database and Redis answer. The request carries a Host that
# ALLOWED_HOSTS accepts (its first entry; a leading-dot or "*" entry is turned into a name),
# otherwise Django would answer 400 to a request for 127.0.0.1.
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import os, urllib.request as u; h = os.environ.get('ALLOWED_HOSTS', '').split(',')[0].strip().lstrip('*.') or 'localhost'; u.urlopen(u.Request('http://127.0.0.1:8000/healthz', headers={'Host': h}), timeout=4)"]

CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "60", "--access-logfile", "-"]
