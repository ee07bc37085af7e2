from django.urls import path

from rencai.targets.views import dashboard, evaluations, targets

app_name = "targets"

urlpatterns = [
    path("", dashboard.dashboard, name="dashboard"),
    path("dashboard.json", dashboard.dashboard_json, name="dashboard_json"),
    path("dashboard.xlsx", dashboard.dashboard_xlsx, name="dashboard_xlsx"),
    path("report.docx", dashboard.report_docx, name="report_docx"),
    path("report.pdf", dashboard.report_pdf, name="report_pdf"),
    path("indicators/", targets.indicators, name="indicators"),
    path("indicators/<slug:code>/records/", targets.records, name="records"),
    path("cascade/", targets.cascade, name="cascade"),
    path("cascade/target/", targets.target_save, name="target_save"),
    path("cascade/period/", targets.period_move, name="period_move"),
    path("adjustments/", targets.adjustment_propose, name="adjustment_propose"),
    path("adjustments/<int:pk>/", targets.adjustment_decide, name="adjustment_decide"),
    path("evaluations/", evaluations.evaluation_list, name="evaluations"),
    path("evaluations/new/", evaluations.evaluation_new, name="evaluation_new"),
    path("evaluations/<int:pk>/", evaluations.evaluation_detail, name="evaluation"),
    path("evaluations/<int:pk>/action/", evaluations.evaluation_action, name="evaluation_action"),
    path("evaluations/<int:pk>/extract.xlsx", evaluations.evaluation_extract, name="evaluation_extract"),
]
