from django.urls import path

from rencai.challenges.views import awards, bids, office, public, review

app_name = "challenges"

urlpatterns = [
    path("", office.challenge_list, name="list"),
    path("new/", office.challenge_create, name="create"),
    path("from-need/<int:pk>/", office.challenge_from_need, name="from_need"),
    path("<int:pk>/", office.challenge_detail, name="detail"),
    path("<int:pk>/edit/", office.challenge_edit, name="edit"),
    path("<int:pk>/timeline/", office.challenge_timeline, name="timeline"),
    path("<int:pk>/move/", office.challenge_move, name="move"),
    path("<int:pk>/draw/", office.panel_draw, name="draw"),
    path("<int:pk>/conflicts/", office.conflict_declare, name="conflict"),
    path("<int:pk>/award/", office.challenge_award, name="award_form"),
    path("<int:pk>/scores.xlsx", office.scores_xlsx, name="scores_xlsx"),
    path("objections/<int:pk>/resolve/", office.objection_resolve, name="objection_resolve"),
    path("open/", public.public_list, name="public"),
    path("open.xlsx", public.public_xlsx, name="public_xlsx"),
    path("open/<int:pk>/", public.public_detail, name="public_detail"),
    path("open/<int:pk>/notice/", public.public_notice, name="public_notice"),
    path("open/<int:pk>/notice.xlsx", public.public_notice_xlsx, name="public_notice_xlsx"),
    path("open/<int:pk>/objection/", public.objection_file, name="objection"),
    path("open/<int:pk>/bid/", bids.bid_form, name="bid"),
    path("mine/", bids.my_bids, name="mine"),
    path("bids/<int:pk>/", bids.bid_detail, name="my_bid"),
    path("bids/<int:pk>/move/", bids.bid_move, name="bid_move"),
    path("review/", review.review_list, name="review_list"),
    path("review/assignments/<int:pk>/", review.review_assignment, name="review"),
    path("awards/<int:pk>/", awards.award_detail, name="award"),
    path("awards/<int:pk>/gate/", awards.award_gate, name="gate"),
    path("awards/<int:pk>/accept/", awards.award_accept, name="accept"),
    path("awards/<int:pk>/taskbook.docx", awards.award_paper, {"paper": "taskbook", "fmt": "docx"},
         name="taskbook_docx"),
    path("awards/<int:pk>/taskbook.pdf", awards.award_paper, {"paper": "taskbook", "fmt": "pdf"}, name="taskbook_pdf"),
    path("awards/<int:pk>/acceptance.docx", awards.award_paper, {"paper": "acceptance", "fmt": "docx"},
         name="acceptance_docx"),
    path("awards/<int:pk>/acceptance.pdf", awards.award_paper, {"paper": "acceptance", "fmt": "pdf"},
         name="acceptance_pdf"),
    path("milestones/<int:pk>/move/", awards.milestone_move, name="milestone_move"),
    path("milestones/<int:pk>/pay/", awards.milestone_pay, name="milestone_pay"),
]
