from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from ces import health, views

handler400 = "ces.web.bad_request"
handler404 = "ces.web.page_not_found"

admin.site.site_header = "CA-515 Coordinated Entry — administration"
admin.site.site_title = "CES admin"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("healthz", health.healthz, name="healthz"),
    path("accounts/login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("network/", views.network, name="network"),
    path("clients/", views.client_list, name="client-list"),
    path("clients/<id:pk>/", views.client_detail, name="client-detail"),
    path("clients/<id:pk>/reveal-ssn/", views.client_reveal_ssn, name="client-reveal-ssn"),
    path("clients/<id:pk>/consents/", include("consent.urls")),
    path("notifications/<id:pk>/read/", views.notification_read, name="notification-read"),
    path("intake/", include("intake.urls")),
    path("bnl/", include("bnl.urls")),
    path("referrals/", include("referrals.urls")),
    path("reassignments/", include("reassignment.urls")),
    path("engagement/", include("engagement.urls")),
    path("audit/", include("audit.urls")),
    path("reports/", include("reports.urls")),
    path("grievances/", include("grievances.urls")),
    path("complaints/", include("grievances.public_urls")),
    path("clients/<id:pk>/documents/<id:document_pk>/", views.client_document_download, name="client-document"),
    path("admin/", admin.site.urls),
    path("api/v1/", include("ces.api.urls")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerView.as_view(url_name="api-schema"), name="api-docs"),
]

# Nothing under MEDIA_URL is served, in any mode (DEBUG included): stored files are people's
# records, reached only through the logged-in, access-logged download views.
