from django.urls import path

from referrals import views

urlpatterns = [
    path("", views.programs_home, name="referrals-home"),
    path("programs/<int:pk>/", views.program_detail, name="program-detail"),
    path("programs/<int:pk>/vacancies/", views.vacancy_new, name="vacancy-new"),
    path("vacancies/<int:pk>/", views.vacancy_detail, name="vacancy-detail"),
    path("vacancies/<int:pk>/pull/", views.vacancy_pull_view, name="vacancy-pull"),
    path("<int:pk>/decision/", views.referral_decision, name="referral-decision"),
    path("shelters/<int:pk>/", views.shelter_detail, name="shelter-detail"),
    path("shelters/<int:pk>/walk-in/", views.shelter_walk_in, name="shelter-walk-in"),
    path("shelters/<int:pk>/lists/<int:list_pk>/", views.shelter_list_download, name="shelter-list-download"),
    path("shelter-referrals/<int:pk>/status/", views.shelter_referral_status, name="shelter-referral-status"),
]
