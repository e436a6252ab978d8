"""Views of the reviews app, one module per part. Each module defines its own ``urlpatterns``;
``reviews/urls.py`` joins them under the ``reviews`` namespace."""
