"""The sign-in backend: Django's own, except that the signed-in person is read with their
roles (``qms.models.with_roles``), which every page asks for — one query less per request."""

from django.contrib.auth.backends import ModelBackend

from qms.models import User, with_roles


class RoleAwareBackend(ModelBackend):
    def get_user(self, user_id):
        user = with_roles(User._default_manager.filter(pk=user_id)).first()
        return user if user is not None and self.user_can_authenticate(user) else None
