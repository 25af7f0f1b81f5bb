from django.urls import path

from engagement import views

urlpatterns = [
    path("", views.engagement_home, name="engagement-home"),
    path("staff-meeting/", views.staff_meeting, name="engagement-staff-meeting"),
    path("<int:pk>/", views.case_detail, name="engagement-case"),
    path("<int:pk>/attempts/", views.case_attempt, name="engagement-attempt"),
    path("<int:pk>/letter/", views.case_letter, name="engagement-letter"),
    path("<int:pk>/forms/", views.case_form, name="engagement-form"),
    path("<int:pk>/forms/<int:form_pk>/sign/", views.form_countersign, name="engagement-form-sign"),
    path("clients/<int:client_pk>/open/", views.case_open, name="engagement-open"),
]
