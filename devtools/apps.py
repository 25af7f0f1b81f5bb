from django.apps import AppConfig


class DevtoolsConfig(AppConfig):
    """Development tooling: the README's two commands, demo data and benchmarks. Nothing in the
    apps imports it; it stands above them all."""

    name = "devtools"
    verbose_name = "Development tools"
