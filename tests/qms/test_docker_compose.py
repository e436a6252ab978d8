"""docker-compose.yml and the Dockerfile, checked against the project without a Docker engine:
the files are parsed and every name they use (modules, settings variables, services, volumes)
is looked up in the source tree."""

import ast
import json
import re
import shlex
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml
from django.urls import resolve

BASE_DIR = Path(__file__).resolve().parents[2]
COMPOSE_FILE = BASE_DIR / "docker-compose.yml"
SETTINGS_DIR = BASE_DIR / "config" / "settings"

SERVICES = {"web", "worker", "beat", "db", "redis", "mail"}
APP_SERVICES = ("web", "worker", "beat")
# Read by Django itself (manage.py, wsgi.py), not through env(...) in the settings.
NOT_READ_BY_SETTINGS = {"DJANGO_SETTINGS_MODULE"}


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    return yaml.safe_load(COMPOSE_FILE.read_text(encoding="utf-8"))


def service(compose: dict[str, Any], name: str) -> dict[str, Any]:
    return compose["services"][name]


def environment(svc: dict[str, Any]) -> dict[str, Any]:
    env = svc.get("environment") or {}
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return dict(env)


def command_lines(svc: dict[str, Any]) -> list[list[str]]:
    """The argv of each program a service's command runs; `sh -c "a && b"` gives two."""
    command = svc["command"]
    argv = shlex.split(command) if isinstance(command, str) else [str(a) for a in command]
    parts = [argv]
    if argv[:2] == ["sh", "-c"]:
        parts = [shlex.split(part) for part in argv[2].split("&&")]
    return [part[1:] if part[:1] == ["exec"] else part for part in parts]


def program(svc: dict[str, Any], name: str) -> list[str]:
    matches = [argv for argv in command_lines(svc) if argv and argv[0] == name]
    assert len(matches) == 1, f"expected one {name!r} in {svc['command']!r}"
    return matches[0]


def option(argv: list[str], *names: str) -> str:
    for i, arg in enumerate(argv):
        for name in names:
            if arg == name:
                return argv[i + 1]
            if arg.startswith(f"{name}="):
                return arg.split("=", 1)[1]
    raise AssertionError(f"none of {names} in {argv}")


def module_file(dotted: str) -> Path:
    return BASE_DIR.joinpath(*dotted.split(".")).with_suffix(".py")


def top_level_assignments(path: Path) -> dict[str, ast.expr]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: dict[str, ast.expr] = {}
    for node in tree.body:
        if isinstance(node, ast.Assign):
            for target in node.targets:
                if isinstance(target, ast.Name):
                    found[target.id] = node.value
    return found


def assert_wsgi_target_exists(target: str) -> None:
    module, _, attr = target.partition(":")
    path = module_file(module)
    assert path.is_file(), f"{target}: {path} does not exist"
    assert attr in top_level_assignments(path), f"{path} does not define {attr}"


def settings_source() -> str:
    return "\n".join(p.read_text(encoding="utf-8") for p in sorted(SETTINGS_DIR.glob("*.py")))


def is_read_by_settings(name: str, source: str) -> bool:
    """True when some settings file reads the variable: env("NAME"...), env.bool("NAME"...)."""
    return re.search(rf"""\benv(?:\.\w+)?\(\s*["']{re.escape(name)}["']""", source) is not None


def required_by_settings(path: Path) -> set[str]:
    """Variables the settings module (and the sibling modules it imports) read without a
    default: loading the settings fails when one of them is missing."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    required: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1 and node.module:
            required |= required_by_settings(path.with_name(f"{node.module}.py"))
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        )
        first = node.args[0]
        has_default = any(kw.arg == "default" for kw in node.keywords) or len(node.args) > 1
        if is_env and isinstance(first, ast.Constant) and not has_default:
            required.add(first.value)
    return required


def healthcheck_test(svc: dict[str, Any]) -> str:
    check = svc.get("healthcheck") or {}
    assert not check.get("disable"), "health check is disabled"
    test = check.get("test")
    assert test, "no health check test"
    if isinstance(test, str):
        return test
    assert test[0] in {"CMD", "CMD-SHELL"}, f"unknown health check form {test[0]!r}"
    return " ".join(test[1:])


def dockerfile_instruction(name: str) -> str:
    """The last instruction of that name, continuation lines joined."""
    text = (BASE_DIR / "Dockerfile").read_text(encoding="utf-8")
    instructions = re.sub(r"\\\n", " ", text).splitlines()
    matches = [line for line in instructions if line.upper().startswith(f"{name.upper()} ")]
    assert matches, f"the Dockerfile has no {name}"
    return matches[-1][len(name) + 1 :].strip()


def test_compose_defines_the_six_services(compose: dict[str, Any]) -> None:
    assert set(compose["services"]) == SERVICES


@pytest.mark.parametrize("name", APP_SERVICES)
def test_app_services_build_from_the_dockerfile_in_the_repository(
    compose: dict[str, Any], name: str
) -> None:
    build = service(compose, name)["build"]
    if isinstance(build, str):
        build = {"context": build}
    context = (COMPOSE_FILE.parent / build.get("context", ".")).resolve()
    assert context == BASE_DIR
    assert (context / build.get("dockerfile", "Dockerfile")).is_file()


def test_app_services_share_one_image(compose: dict[str, Any]) -> None:
    images = {service(compose, name).get("image") for name in APP_SERVICES}
    assert len(images) == 1 and None not in images


def test_dockerfile_default_command_serves_the_wsgi_application() -> None:
    cmd = json.loads(dockerfile_instruction("CMD"))
    assert cmd[0] == "gunicorn"
    targets = [arg for arg in cmd if re.fullmatch(r"[A-Za-z_][\w.]*:[A-Za-z_]\w*", arg)]
    assert targets == ["config.wsgi:application"]
    assert_wsgi_target_exists(targets[0])
    assert option(cmd, "--bind", "-b").endswith(":8000")


def test_dockerfile_runs_as_an_unprivileged_user() -> None:
    assert dockerfile_instruction("USER") not in {"root", "0"}


def test_dockerfile_health_check_requests_healthz() -> None:
    assert "/healthz" in dockerfile_instruction("HEALTHCHECK")
    assert resolve("/healthz").url_name == "healthz"


def test_web_migrates_before_gunicorn_serves_the_wsgi_application(
    compose: dict[str, Any],
) -> None:
    lines = command_lines(service(compose, "web"))
    programs = [argv[0] for argv in lines]
    assert programs == ["python", "gunicorn"]
    manage, gunicorn = lines
    assert (BASE_DIR / manage[1]).is_file()
    assert manage[1:3] == ["manage.py", "migrate"]
    assert "--noinput" in manage
    assert_wsgi_target_exists(gunicorn[1])
    assert gunicorn[1] == "config.wsgi:application"


@pytest.mark.parametrize(("name", "subcommand"), [("worker", "worker"), ("beat", "beat")])
def test_celery_services_load_the_project_celery_app(
    compose: dict[str, Any], name: str, subcommand: str
) -> None:
    argv = program(service(compose, name), "celery")
    assert subcommand in argv
    app = option(argv, "-A", "--app")
    # `celery -A pkg` finds the app in pkg/celery.py, as attribute `app`.
    path = module_file(f"{app}.celery") if (BASE_DIR / app).is_dir() else module_file(app)
    assert path.is_file()
    value = top_level_assignments(path).get("app")
    assert isinstance(value, ast.Call) and getattr(value.func, "id", None) == "Celery"


def test_beat_keeps_its_schedule_where_the_app_user_can_write(compose: dict[str, Any]) -> None:
    beat = service(compose, "beat")
    schedule = Path(option(program(beat, "celery"), "--schedule", "-s"))
    mounts = {Path(str(v).split(":")[1]) for v in beat.get("volumes", [])}
    writable = {Path("/tmp"), *mounts}  # noqa: S108 - a path inside the container
    assert any(schedule.is_relative_to(place) for place in writable)


def test_app_services_share_one_environment(compose: dict[str, Any]) -> None:
    web, worker, beat = (environment(service(compose, name)) for name in APP_SERVICES)
    assert web and web == worker == beat


@pytest.mark.parametrize("name", APP_SERVICES)
def test_every_app_variable_is_read_by_the_settings(compose: dict[str, Any], name: str) -> None:
    source = settings_source()
    unread = [
        var
        for var in environment(service(compose, name))
        if var not in NOT_READ_BY_SETTINGS and not is_read_by_settings(var, source)
    ]
    assert unread == []


def test_settings_module_exists_and_gets_every_variable_it_requires(
    compose: dict[str, Any],
) -> None:
    env = environment(service(compose, "web"))
    path = module_file(env["DJANGO_SETTINGS_MODULE"])
    assert path.is_file()
    required = required_by_settings(path)
    assert "SECRET_KEY" in required  # the scan itself works
    assert required - set(env) == set()


def test_secret_key_must_be_supplied_rather_than_defaulted(compose: dict[str, Any]) -> None:
    value = environment(service(compose, "web"))["SECRET_KEY"]
    assert re.fullmatch(r"\$\{SECRET_KEY:\?[^}]+\}", value)


def test_environment_values_are_strings(compose: dict[str, Any]) -> None:
    """Compose rejects bare YAML booleans in `environment`; "false" must be quoted."""
    env = environment(service(compose, "web"))
    assert all(isinstance(value, str) for value in env.values())
    assert env["SECURE_SSL_REDIRECT"] == "false"


def test_database_url_matches_the_postgres_service(compose: dict[str, Any]) -> None:
    url = urlsplit(environment(service(compose, "web"))["DATABASE_URL"])
    db = environment(service(compose, "db"))
    assert url.scheme in {"postgres", "postgresql"}
    assert url.hostname == "db"
    assert url.username == db["POSTGRES_USER"]
    assert url.password == db["POSTGRES_PASSWORD"]
    assert url.path == f"/{db['POSTGRES_DB']}"


@pytest.mark.parametrize(
    ("variable", "host", "port"),
    [("REDIS_URL", "redis", 6379), ("EMAIL_URL", "mail", 1025)],
)
def test_service_urls_point_at_compose_services(
    compose: dict[str, Any], variable: str, host: str, port: int
) -> None:
    url = urlsplit(environment(service(compose, "web"))[variable])
    assert url.hostname == host and host in compose["services"]
    assert url.port == port


@pytest.mark.parametrize("name", ["db", "redis", "web", "mail"])
def test_service_has_a_health_check(compose: dict[str, Any], name: str) -> None:
    assert healthcheck_test(service(compose, name))


def test_health_checks_use_the_services_own_probes(compose: dict[str, Any]) -> None:
    assert "pg_isready" in healthcheck_test(service(compose, "db"))
    assert "redis-cli ping" in healthcheck_test(service(compose, "redis"))


def test_web_health_check_requests_healthz_on_the_gunicorn_port(
    compose: dict[str, Any],
) -> None:
    web = service(compose, "web")
    probe = healthcheck_test(web)
    port = option(program(web, "gunicorn"), "--bind", "-b").rsplit(":", 1)[1]
    assert "urllib" in probe
    assert f":{port}/healthz" in probe
    assert resolve("/healthz").url_name == "healthz"


def test_web_waits_for_a_healthy_database_and_redis(compose: dict[str, Any]) -> None:
    depends_on = service(compose, "web")["depends_on"]
    for name in ("db", "redis"):
        assert depends_on[name]["condition"] == "service_healthy"


def test_every_awaited_health_is_checked(compose: dict[str, Any]) -> None:
    """Waiting on service_healthy of a service without a health check never ends."""
    for svc in compose["services"].values():
        depends_on = svc.get("depends_on") or {}
        for name, spec in depends_on.items() if isinstance(depends_on, dict) else []:
            if spec.get("condition") == "service_healthy":
                assert healthcheck_test(service(compose, name))


def test_named_volumes_are_declared(compose: dict[str, Any]) -> None:
    declared = set(compose.get("volumes") or {})
    used = {
        str(volume).split(":")[0]
        for svc in compose["services"].values()
        for volume in svc.get("volumes", [])
        if not str(volume).startswith((".", "/", "~"))
    }
    assert used and used <= declared


@pytest.mark.parametrize("name", ["web", "worker"])
def test_uploads_volume_is_mounted_at_media_root(compose: dict[str, Any], name: str) -> None:
    svc = service(compose, name)
    mounts = dict(str(volume).split(":")[:2] for volume in svc.get("volumes", []))
    assert mounts.get("media") == environment(svc)["MEDIA_ROOT"]


def test_database_keeps_its_data_in_a_named_volume(compose: dict[str, Any]) -> None:
    mounts = dict(str(v).split(":")[:2] for v in service(compose, "db").get("volumes", []))
    assert mounts.get("pgdata") == "/var/lib/postgresql/data"
