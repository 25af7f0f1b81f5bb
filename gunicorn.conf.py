"""gunicorn's settings for every way the web process starts (Procfile, Dockerfile, docker-compose).

The access log leaves query strings and the Referer out: both can carry what someone searched
for (a name, a date of birth, an SSN), and a log line is kept and copied far beyond the access
log's protections (docs/security.md, "Logs"). `%(U)s` is the path without the query string.
"""

import os

wsgi_app = "ces.wsgi"
bind = os.environ.get("GUNICORN_BIND", f"127.0.0.1:{os.environ.get('CES_PORT', '8000')}")
workers = int(os.environ.get("GUNICORN_WORKERS", "2"))
threads = int(os.environ.get("GUNICORN_THREADS", "4"))
timeout = 60
accesslog = "-"
access_log_format = '%(h)s %(l)s %(u)s %(t)s "%(m)s %(U)s %(H)s" %(s)s %(b)s %(L)s "%(a)s"'
