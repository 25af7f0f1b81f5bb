# Production image: gunicorn behind WhiteNoise for static files; the same image
# runs the web, worker and beat services (docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    CES_VAR_DIR=/var/lib/ces

# Pango and fonts for WeasyPrint (PDFs); gettext for compiling translations.
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation gettext \
    && rm -rf /var/lib/apt/lists/*

WORKDIR /app
COPY pyproject.toml README.md ./
COPY ces ./ces
COPY intake ./intake
COPY bnl ./bnl
COPY referrals ./referrals
COPY reassignment ./reassignment
COPY engagement ./engagement
COPY grievances ./grievances
COPY templates ./templates
COPY static ./static
COPY manage.py gunicorn.conf.py ./
RUN pip install . \
    && useradd --system --home /var/lib/ces ces \
    && mkdir -p /var/lib/ces/media \
    && chown -R ces /var/lib/ces

# collectstatic needs settings but no real secrets or services.
RUN DJANGO_SETTINGS_MODULE=ces.settings.production SECRET_KEY=build-only ALLOWED_HOSTS=build \
    FIELD_ENCRYPTION_KEY=YnVpbGQtb25seS1rZXktbm90LWZvci1ydW50aW1lISE= DATABASE_URL=postgres://build@localhost/build \
    REDIS_URL=redis://localhost:6379/0 python manage.py collectstatic --no-input

USER ces
EXPOSE 8000
# gunicorn.conf.py: the access log leaves query strings and the Referer out (docs/security.md).
ENV GUNICORN_BIND=0.0.0.0:8000 \
    GUNICORN_WORKERS=3
CMD ["gunicorn", "--config", "gunicorn.conf.py"]
