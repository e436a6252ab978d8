"""Views of the process register, one module per part (register, documents, map, transfer).
Each module defines its own ``urlpatterns``; ``processes/urls.py`` joins them under the
``processes`` namespace."""
