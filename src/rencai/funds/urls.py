from django.urls import path

from rencai.funds import views

app_name = "funds"
urlpatterns = [
    path("", views.reconciliation_page, name="reconciliation"),
    path("reconciliation.xlsx", views.reconciliation_xlsx, name="reconciliation_xlsx"),
    path("new/", views.fund_create, name="create"),
    path("<int:pk>/", views.fund_detail, name="detail"),
    path("<int:pk>/adjust/", views.fund_adjust, name="adjust"),
]
