from django.urls import path

from referrals import views

urlpatterns = [
    path("", views.programs_home, name="referrals-home"),
    path("programs/<id:pk>/", views.program_detail, name="program-detail"),
    path("programs/<id:pk>/vacancies/", views.vacancy_new, name="vacancy-new"),
    path("vacancies/<id:pk>/", views.vacancy_detail, name="vacancy-detail"),
    path("vacancies/<id:pk>/pull/", views.vacancy_pull_view, name="vacancy-pull"),
    path("<id:pk>/decision/", views.referral_decision, name="referral-decision"),
    path("<id:pk>/chronic-documentation/", views.referral_chronic_documentation, name="referral-chronic-documentation"),
    path("rejections/", views.rejections_review, name="referrals-rejections"),
    path("<id:pk>/rejection-review/", views.rejection_review, name="referral-rejection-review"),
    path("shelters/<id:pk>/", views.shelter_detail, name="shelter-detail"),
    path("shelters/<id:pk>/walk-in/", views.shelter_walk_in, name="shelter-walk-in"),
    path("shelters/<id:pk>/lists/<id:list_pk>/", views.shelter_list_download, name="shelter-list-download"),
    path("shelter-referrals/<id:pk>/status/", views.shelter_referral_status, name="shelter-referral-status"),
]
