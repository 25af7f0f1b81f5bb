"""The public complaint page (mounted at /complaints/): no account needed."""

from django.urls import path

from grievances import views

urlpatterns = [
    path("", views.complaint_public, name="complaint-public"),
    path("received/", views.complaint_public_thanks, name="complaint-public-thanks"),
]
