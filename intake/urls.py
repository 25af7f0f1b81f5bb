from django.urls import path

from intake import views

urlpatterns = [
    path("", views.intake_home, name="intake-home"),
    path("new/", views.intake_new, name="intake-new"),
    path("<id:pk>/", views.intake_detail, name="intake-detail"),
    path("<id:pk>/autosave/", views.intake_autosave_view, name="intake-autosave"),
    path("<id:pk>/complete/", views.intake_complete_view, name="intake-complete"),
    path("<id:pk>/discard/", views.intake_discard_view, name="intake-discard"),
    path("<id:pk>/amend/", views.intake_amend_view, name="intake-amend"),
    path("dv-referrals/", views.dv_referral_inbox, name="dv-referral-inbox"),
    path("dv-referrals/<id:pk>/", views.dv_referral_mark_view, name="dv-referral-mark"),
]
