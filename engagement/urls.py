from django.urls import path

from engagement import views

urlpatterns = [
    path("", views.engagement_home, name="engagement-home"),
    path("staff-meeting/", views.staff_meeting, name="engagement-staff-meeting"),
    path("<id:pk>/", views.case_detail, name="engagement-case"),
    path("<id:pk>/attempts/", views.case_attempt, name="engagement-attempt"),
    path("<id:pk>/services/", views.case_service, name="engagement-service"),
    path("<id:pk>/lost-contact/", views.case_lost_contact, name="engagement-lost-contact"),
    path("<id:pk>/referral/", views.case_referral, name="engagement-referral"),
    path("<id:pk>/letter/", views.case_letter, name="engagement-letter"),
    path("<id:pk>/letter/preview/", views.case_letter_preview, name="engagement-letter-preview"),
    path("<id:pk>/forms/", views.case_form, name="engagement-form"),
    path("<id:pk>/forms/<id:form_pk>/sign/", views.form_countersign, name="engagement-form-sign"),
    path("clients/<id:client_pk>/open/", views.case_open, name="engagement-open"),
]
