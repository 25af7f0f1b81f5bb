"""The committee's and CoC staff's screens (mounted at /grievances/)."""

from django.urls import path

from grievances import views

urlpatterns = [
    path("", views.home, name="grievances-home"),
    path("title-vi/new/", views.complaint_new, name="grievances-complaint-new"),
    path("title-vi/<id:pk>/", views.complaint_detail, name="grievances-complaint"),
    path("title-vi/<id:pk>/<slug:action>/", views.complaint_action, name="grievances-complaint-action"),
    path("ce/new/", views.grievance_new, name="grievances-grievance-new"),
    path("ce/<id:pk>/", views.grievance_detail, name="grievances-grievance"),
    path("ce/<id:pk>/<slug:action>/", views.grievance_action, name="grievances-grievance-action"),
    path("meetings/", views.meetings, name="grievances-meetings"),
    path("meetings/new/", views.meeting_new, name="grievances-meeting-new"),
    path("meetings/<id:pk>/", views.meeting_detail, name="grievances-meeting"),
    path("letters/<id:pk>/", views.letter_download, name="grievances-letter"),
    path("letters/<id:pk>/sent/", views.letter_sent, name="grievances-letter-sent"),
    path("letters/<id:pk>/new-version/", views.letter_new_version, name="grievances-letter-new-version"),
    path("attachments/<id:pk>/", views.attachment_download, name="grievances-attachment"),
    path("flags/<id:pk>/review/", views.flag_review_view, name="grievances-flag-review"),
]
