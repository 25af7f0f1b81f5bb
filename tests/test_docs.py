"""The API page lists every endpoint: a new one without a line in docs/api.md fails here."""

from pathlib import Path

from django.conf import settings

from tests.security.test_matrix import project_urls


def test_every_api_endpoint_is_in_docs_api_md():
    text = (Path(settings.BASE_DIR) / "docs" / "api.md").read_text()
    missing = []
    for route, name in project_urls():
        if not route.startswith("api/v1/"):
            continue
        path = "/" + route.replace("<id:pk>", "<id>").replace("<id:form_pk>", "<form_id>").replace("<id:consent_pk>", "<consent_id>").replace("<slug:name>", "<report>")
        if f"`{path}`" not in text:
            missing.append(f"{path} ({name})")
    assert not missing, "endpoints missing from docs/api.md: " + ", ".join(missing)
