from django.urls import path

from reassignment import views

urlpatterns = [
    path("", views.reassignment_list, name="reassignment-list"),
    path("<int:pk>/", views.reassignment_detail, name="reassignment-detail"),
    path("<int:pk>/<str:action>/", views.reassignment_action, name="reassignment-action"),
    path("clients/<int:client_pk>/request/", views.client_reassignment_new, name="client-reassignment-new"),
    path("clients/<int:client_pk>/safety/", views.client_safety_transfer, name="client-safety-transfer"),
    path("clients/<int:client_pk>/assign/", views.client_assign, name="client-assign"),
    path("clients/<int:client_pk>/worker-alert/", views.client_worker_alert, name="client-worker-alert"),
]
