from django.urls import path

from bnl import views

urlpatterns = [
    path("", views.bnl_list, name="bnl-list"),
    path("export.csv", views.bnl_export, name="bnl-export"),
    path("<id:pk>/", views.bnl_detail, name="bnl-detail"),
    path("<id:pk>/case-management/", views.bnl_case_management, name="bnl-case-management"),
    path("<id:pk>/status/", views.bnl_status, name="bnl-status"),
    path("<id:pk>/place-on-coc-list/", views.bnl_place_on_coc, name="bnl-place-on-coc"),
    path("<id:pk>/rrh-placement-failed/", views.bnl_placement_failed, name="bnl-rrh-placement-failed"),
]
