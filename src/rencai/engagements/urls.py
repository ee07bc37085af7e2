from django.urls import path

from rencai.engagements.views import agreements, assessment, programmes, service

app_name = "engagements"
urlpatterns = [
    path("", agreements.agreement_list, name="list"),
    path("export/", agreements.agreement_export, name="export"),
    path("new/", agreements.agreement_create_view, name="create"),
    path("<int:pk>/", agreements.agreement_detail, name="detail"),
    path("<int:pk>/adjust/", agreements.agreement_adjust_view, name="adjust"),
    path("<int:pk>/end/", agreements.agreement_end_view, name="end"),
    path("<int:pk>/request/", agreements.agreement_request_view, name="request"),
    path("<int:pk>/log/", service.visit_log_view, name="log"),
    path("<int:pk>/outcomes/", service.outcome_add_view, name="outcome_add"),
    path("<int:pk>/rate/", assessment.rate_view, name="rate"),
    path("<int:pk>/review/", assessment.review_view, name="review"),
    path("<int:pk>/return/", assessment.return_view, name="assessment_return"),
    path("<int:pk>/letter/", assessment.letter_send_view, name="letter_send"),
    path("visits/<int:pk>/attachment/", service.visit_attachment_view, name="visit_attachment"),
    path("outcomes/<int:pk>/evidence/", service.outcome_evidence_view, name="outcome_evidence"),
    path("visits/<int:pk>/decide/", service.visit_decide_view, name="visit_decide"),
    path("visits/<int:pk>/resolve/", service.visit_resolve_view, name="visit_resolve"),
    path("letters/", assessment.letter_list, name="letters"),
    path("letters/<int:pk>/<str:fmt>/", assessment.letter_file, name="letter_file"),
    path("programmes/", programmes.programme_list, name="programmes"),
    path("programmes/new/", programmes.programme_create, name="programme_create"),
    path("programmes/<int:pk>/", programmes.programme_detail, name="programme"),
    path("programmes/<int:pk>/letters/", programmes.programme_letters_send, name="programme_letters"),
    path("programmes/<int:pk>/letters.zip", programmes.programme_letters_zip, name="programme_zip"),
]
