from django.urls import path

from reassignment import views

urlpatterns = [
    path("", views.reassignment_list, name="reassignment-list"),
    path("<id:pk>/", views.reassignment_detail, name="reassignment-detail"),
    path("<id:pk>/<str:action>/", views.reassignment_action, name="reassignment-action"),
    path("clients/<id:client_pk>/request/", views.client_reassignment_new, name="client-reassignment-new"),
    path("clients/<id:client_pk>/safety/", views.client_safety_transfer, name="client-safety-transfer"),
    path("clients/<id:client_pk>/assign/", views.client_assign, name="client-assign"),
    path("clients/<id:client_pk>/worker-alert/", views.client_worker_alert, name="client-worker-alert"),
]
