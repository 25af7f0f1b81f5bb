from django.urls import path

from audit import views

urlpatterns = [
    path("", views.audit_timeline, name="audit-timeline"),
    path("export.csv", views.audit_export_csv, name="audit-export"),
    path("retention/", views.retention_report, name="audit-retention"),
]
