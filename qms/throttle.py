"""Login throttling: after repeated failures for a user name or from an address, further
attempts are refused for a while, even with the right password, so passwords cannot be
guessed at speed. Counters live in the cache (Redis in production, shared by all workers)."""

from django.conf import settings
from django.core.cache import cache

LIMIT = getattr(settings, "LOGIN_FAILURE_LIMIT", 5)
WINDOW_SECONDS = getattr(settings, "LOGIN_FAILURE_WINDOW", 15 * 60)


def _keys(username: str, address: str) -> list[str]:
    return [f"login-fail:user:{username.strip().lower()[:150]}", f"login-fail:ip:{address}"]


def is_blocked(username: str, address: str) -> bool:
    return any((cache.get(key) or 0) >= LIMIT for key in _keys(username, address))


def record_failure(username: str, address: str) -> None:
    for key in _keys(username, address):
        # add() starts the window at the first failure; incr() keeps its expiry.
        if not cache.add(key, 1, WINDOW_SECONDS):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, WINDOW_SECONDS)


def reset(username: str) -> None:
    cache.delete(_keys(username, "")[0])
