from django.urls import path

from consent import views

urlpatterns = [
    path("", views.consent_page, name="consent-page"),
    path("<id:consent_pk>/withdraw/", views.consent_withdraw_view, name="consent-withdraw"),
    path("<id:consent_pk>/copy/", views.consent_copy_view, name="consent-copy"),
    path("disclosures/", views.disclosure_view, name="consent-disclosure"),
]
