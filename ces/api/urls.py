from django.urls import include, path

from ces.api import views

urlpatterns = [
    path("", views.ApiRootView.as_view(), name="api-root"),
    path("auth/token/", views.TokenView.as_view(), name="api-token"),
    path("agencies/", views.AgencyList.as_view(), name="api-agency-list"),
    path("agencies/<id:pk>/", views.AgencyDetail.as_view(), name="api-agency-detail"),
    path("programs/", views.ProgramList.as_view(), name="api-program-list"),
    path("programs/<id:pk>/", views.ProgramDetail.as_view(), name="api-program-detail"),
    path("clients/<id:pk>/", views.ClientDetail.as_view(), name="api-client-detail"),
    path("", include("intake.api")),
    path("", include("bnl.api")),
    path("", include("referrals.api")),
    path("", include("reassignment.api")),
    path("", include("engagement.api")),
    path("", include("audit.api")),
    path("", include("reports.api")),
    path("", include("grievances.api")),
    path("", include("consent.api")),
]
