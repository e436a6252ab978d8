from reviews.views import context, feedback, objectives, policy, proposals, review, risks

app_name = "reviews"

urlpatterns = [
    *policy.urlpatterns,
    *context.urlpatterns,
    *proposals.urlpatterns,
    *objectives.urlpatterns,
    *risks.urlpatterns,
    *feedback.urlpatterns,
    *review.urlpatterns,
]
