from django.urls import path

from reports import views

urlpatterns = [
    path("", views.reports_home, name="reports-home"),
    path("what-if/", views.whatif, name="reports-what-if"),
    path("what-if/pdf/", views.whatif_pdf, name="reports-what-if-pdf"),
    path("exports/", views.exports, name="reports-exports"),
    path("exports/new/", views.export_create, name="reports-export-create"),
    path("exports/<id:pk>/progress/", views.export_progress, name="reports-export-progress"),
    path("exports/<id:pk>/download/", views.export_download, name="reports-export-download"),
    path("<slug:name>/", views.report_detail, name="reports-detail"),
    path("<slug:name>/pdf/", views.report_pdf, name="reports-pdf"),
    path("<slug:name>/csv/", views.report_csv, name="reports-csv"),
]
