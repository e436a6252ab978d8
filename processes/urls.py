from processes.views import documents, map, register, transfer

app_name = "processes"

urlpatterns = [
    *register.urlpatterns,
    *map.urlpatterns,
    *transfer.urlpatterns,
    *documents.urlpatterns,
]
