"""The install path of the README, followed as a new user follows it (issue 7).

Builds alma-cms's sdist and wheel with ``python -m build``, then runs the shell blocks of
docs/tutorial.md (read from the page, so the tutorial cannot drift from what is tested): a fresh
virtualenv (no system site-packages: the wheel's own dependencies must be enough), ``pip install``
of the wheel, ``wagtail start``, the example files of docs/examples/ applied as written,
``migrate`` and ``alma_setup --base-url``. Then it adds a forum edition with an image and a
document download (test setup, not tutorial), runs the real development server and requests
pages, API v2 and v3, a rendition, a document and the calendar feeds over HTTP: all answer 200
and every absolute URL they hold is on the server's own address, and answers too.

The fresh virtualenv gets the Django and Wagtail of the interpreter running the tests (pip
constraints), so each CI line proves its own versions, Wagtail 7.4 included. Locally the test
skips when PyPI cannot be reached; under ALMA_REQUIRE_SERVICES=1 (CI) it fails instead.
"""

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tarfile
import textwrap
import time
import urllib.error
import urllib.request
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import django
import pytest
import wagtail

from tests.conftest import REQUIRE_SERVICES
from tests.test_packaging import OFFLINE_MARKERS, _ignore, package_files

pytestmark = pytest.mark.install

REPO = Path(__file__).resolve().parents[2]
TUTORIAL = REPO / "docs" / "tutorial.md"
TUTORIAL_ADDRESS = "127.0.0.1:8000"
HAS_API_V3 = wagtail.VERSION[0] >= 8
# Absolute URLs that are not the site's own and are meant to be there.
EXTERNAL_HOSTS = {"schema.org", "www.w3.org"}
URL_PATTERN = re.compile(r"https?://[^\s\"'<>\\)]+")

# Tutorial lines the test leaves out: they wait for a person's input.
INTERACTIVE = ("python manage.py createsuperuser",)


def tutorial_commands():
    """The lines of the ```sh blocks of docs/tutorial.md, in order, without comments."""
    blocks = re.findall(r"^```sh\n(.*?)^```", TUTORIAL.read_text(), flags=re.M | re.S)
    lines = [line.strip() for block in blocks for line in block.splitlines()]
    return [line for line in lines if line and not line.startswith("#")]


def unavailable(reason):
    if REQUIRE_SERVICES:
        pytest.fail(f"{reason} (ALMA_REQUIRE_SERVICES=1)", pytrace=False)
    pytest.skip(reason)


def run(command, *, cwd, env, timeout, what):
    """Run ``command``; on failure skip if PyPI is unreachable (locally), else fail with the
    end of its output."""
    result = subprocess.run(
        command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )
    output = result.stdout + result.stderr
    if result.returncode != 0:
        if any(marker in output for marker in OFFLINE_MARKERS):
            unavailable(f"{what}: PyPI unreachable: {output[-300:]}")
        pytest.fail(f"{what} failed ({result.returncode}):\n{output[-6000:]}", pytrace=False)
    return result.stdout


def free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def fetch(url, *, follow=True):
    """``(status, headers, body text)`` of a GET of ``url``, never raising on an HTTP status."""
    opener = urllib.request.build_opener(*(() if follow else (NoRedirect,)))
    try:
        with opener.open(url, timeout=60) as response:
            return response.status, response.headers, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read().decode("utf-8", "replace")


def absolute_urls(text):
    """Every http(s) URL in ``text`` (HTML, JSON or iCalendar, lines unfolded)."""
    text = text.replace("\\/", "/").replace("\r\n ", "").replace("\r\n\t", "")
    return {url.rstrip(".,;") for url in URL_PATTERN.findall(text)}


def build_wheel(tmp_path):
    """``python -m build`` on a clean copy of the work tree: an sdist, and a wheel built from
    it (so the sdist is complete) that ships the templates, static files and catalogues."""
    try:
        import build  # noqa: F401  (the dev extra installs it)
    except ImportError:
        unavailable("the `build` package is not installed (pip install -e '.[dev]')")
    source = tmp_path / "src" / "alma-cms"
    shutil.copytree(REPO, source, ignore=_ignore)
    dist = tmp_path / "dist"
    run(
        [sys.executable, "-m", "build", "--outdir", str(dist), str(source)],
        cwd=tmp_path,
        env=clean_env(),
        timeout=600,
        what="python -m build",
    )
    [sdist] = dist.glob("alma_cms-*.tar.gz")
    [wheel] = dist.glob("alma_cms-*-py3-none-any.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
    for subdir in ("templates", "static", "locale"):
        shipped = package_files(subdir)
        assert shipped and not set(shipped) - names, f"the wheel lacks alma_cms/{subdir} files"
    assert "alma_cms/locale/ru/LC_MESSAGES/django.mo" in names
    with tarfile.open(sdist) as archive:
        members = archive.getnames()
    assert any(name.endswith("/alma_cms/locale/ru/LC_MESSAGES/django.mo") for name in members)
    return wheel


def clean_env(**extra):
    """The environment of a new user's shell: none of the test run's Django, Python path or
    virtualenv, nor its database."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"DJANGO_SETTINGS_MODULE", "PYTHONPATH", "VIRTUAL_ENV", "DATABASE_URL"}
        and not key.startswith(("PYTEST", "ALMA_"))
    }
    # PIP_NO_COMPILE: Python compiles what it imports anyway; compiling all of Django and
    # Wagtail at install time would double the test's pip time.
    env.update(
        PIP_DISABLE_PIP_VERSION_CHECK="1",
        PIP_NO_INPUT="1",
        PIP_NO_COMPILE="1",
        PYTHONUNBUFFERED="1",
        **extra,
    )
    return env


def tutorial_script(wheel, port):
    """The tutorial's commands up to running the server, with this run's values, and the
    server command (``python manage.py runserver ...``) apart."""
    address = f"127.0.0.1:{port}"
    lines = tutorial_commands()
    # Each must match a line of the tutorial: a change there fails here, not passes untested.
    replacements = {
        "python3 -m venv .venv": f'"{sys.executable}" -m venv .venv',
        "ALMA=/path/to/alma-cms": f'ALMA="{REPO}"',
        'pip install "$ALMA"': f'pip install "{wheel}"',
    }
    script, server, used = [], None, set()
    for line in lines:
        for start, replacement in replacements.items():
            if line.startswith(start):
                used.add(start)
                line = replacement
        if TUTORIAL_ADDRESS in line:
            used.add(TUTORIAL_ADDRESS)
            line = line.replace(TUTORIAL_ADDRESS, address)
        if line.startswith("python manage.py runserver"):
            server = line
        elif line not in INTERACTIVE:
            script.append(line)
    missing = {*replacements, TUTORIAL_ADDRESS} - used
    assert not missing, f"docs/tutorial.md no longer has {missing}: update this test with it"
    assert set(INTERACTIVE) <= set(lines) and server, "docs/tutorial.md changed its last steps"
    for step in ("wagtail start mysite", "python manage.py migrate"):
        assert step in script, f"docs/tutorial.md lost {step!r}"
    assert script.index("wagtail start mysite") < script.index("python manage.py migrate")
    return script, server


CONTENT = textwrap.dedent(
    """
    import datetime, io, json
    from django.core.files.base import ContentFile
    from django.core.files.images import ImageFile
    from PIL import Image
    from wagtail.documents import get_document_model
    from wagtail.images import get_image_model
    from wagtail.models import Locale, Site
    from alma_cms.pages.models import ForumEditionPage, ForumIndexPage

    site = Site.objects.get(is_default_site=True)
    home = site.root_page.specific
    png = io.BytesIO()
    Image.new("RGB", (320, 200), "#2a6f97").save(png, "PNG")
    image = get_image_model().objects.create(
        title="ALMA 2021 poster", file=ImageFile(png, name="poster.png")
    )
    document = get_document_model().objects.create(
        title="ALMA 2021 programme", file=ContentFile(b"%PDF-1.4\\n", name="programme.pdf")
    )
    index = home.add_child(instance=ForumIndexPage(title="ALMA", slug="alma"))
    edition = index.add_child(instance=ForumEditionPage(
        title="ALMA 2021",
        slug="alma-2021",
        year=2021,
        theme="Is Library a Leader or a Non-Player Character?",
        start_date=datetime.date(2021, 4, 20),
        body=[
            {"type": "image", "value": {"image": image.pk, "alt": "Poster"}},
            {"type": "document", "value": {"document": document.pk}},
        ],
    ))
    edition.save_revision().publish()
    russian = Locale.objects.get(language_code="ru")
    for page, title in ((home, "Добро пожаловать"), (index, "АЛМА"), (edition, "АЛМА 2021")):
        translation = page.copy_for_translation(russian)
        translation.title = title
        translation.save_revision().publish()
    print(json.dumps({"edition": edition.pk, "document": document.pk}))
    """
)


@pytest.fixture
def server_log(tmp_path):
    return tmp_path / "runserver.log"


def test_readme_install_path_on_a_new_wagtail_site(tmp_path, server_log):
    timings = {}
    started = time.monotonic()
    wheel = build_wheel(tmp_path)
    timings["build"] = time.monotonic() - started

    port = free_port()
    base = f"http://127.0.0.1:{port}"
    # The Django and Wagtail of this test run, so each CI line proves its own versions.
    constraints = tmp_path / "constraints.txt"
    constraints.write_text(f"Django=={django.__version__}\nwagtail=={wagtail.__version__}\n")
    env = clean_env(BASE_URL=base, PIP_CONSTRAINT=str(constraints))
    work = tmp_path / "user"
    work.mkdir()
    script, server = tutorial_script(wheel, port)
    step = time.monotonic()
    run(
        ["bash", "-c", "set -euxo pipefail\n" + "\n".join(script)],
        cwd=work,
        env=env,
        timeout=900,
        what="the tutorial's commands",
    )
    timings["tutorial"] = time.monotonic() - step
    project, python = work / "mysite", work / ".venv" / "bin" / "python"
    versions = run(
        [python, "-c", "import django, wagtail; print(django.__version__, wagtail.__version__)"],
        cwd=project,
        env=env,
        timeout=60,
        what="versions",
    ).split()
    assert versions == [django.__version__, wagtail.__version__]

    step = time.monotonic()
    output = run(
        [python, "manage.py", "shell", "-c", CONTENT],
        cwd=project,
        env=env,
        timeout=300,
        what="creating content",
    )
    ids = json.loads(output.strip().splitlines()[-1])
    timings["content"] = time.monotonic() - step

    assert server == f"python manage.py runserver 127.0.0.1:{port}"
    with server_log.open("w") as log:
        process = subprocess.Popen(
            [python, *server.split()[1:], "--noreload"],
            cwd=project,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    try:
        step = time.monotonic()
        wait_for(base, process, server_log)
        checked = check_site(base, ids, server_log)
        timings["http"] = time.monotonic() - step
    finally:
        process.terminate()
        process.wait(timeout=30)
    timings["total"] = time.monotonic() - started
    print(
        f"install test: {len(checked)} absolute URLs followed; timings (s):",
        {key: round(value) for key, value in timings.items()},
    )


def wait_for(base, process, log):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"runserver exited:\n{log.read_text()[-4000:]}", pytrace=False)
        try:
            fetch(f"{base}/admin/login/")
            return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    pytest.fail(f"runserver did not answer:\n{log.read_text()[-4000:]}", pytrace=False)


def check_site(base, ids, log):
    def get(path, status=200, follow=True):
        if path.startswith("http"):
            assert path.startswith(base + "/"), f"{path} is not on the site's address {base}"
        result = fetch(path if path.startswith("http") else base + path, follow=follow)
        assert result[0] == status, (path, result[0], result[2][:2000], log.read_text()[-3000:])
        return result

    edition_path = "/en/alma/alma-2021/"
    found = {}  # absolute URL -> where it was seen

    def collect(where, text):
        for url in absolute_urls(text):
            found.setdefault(url, where)

    # "/" redirects to the visitor's language; the pages answer under /en/ and /ru/.
    _status, headers, _body = get("/", status=302, follow=False)
    assert urlsplit(headers["Location"]).path == "/en/"
    get("/en/")
    _status, _headers, body = get("/ru/")
    assert "Добро пожаловать" in body  # the Russian home page: the ru locale exists

    # The template's routes are still there.
    get("/search/?query=ALMA")
    get("/django-admin/login/")

    # The edition: its image rendition and its document download, in HTML, and its Russian
    # translation (hreflang links both ways).
    _status, _headers, html = get(edition_path)
    assert f"/documents/{ids['document']}/programme.pdf" in html
    assert re.search(r'<img [^>]*src="[^"]*/media/images/poster[^"]*"', html)
    assert f'hreflang="ru" href="{base}/ru/alma/alma-2021/"' in html
    collect(edition_path, html)
    _status, _headers, html = get("/ru/alma/alma-2021/")
    assert "АЛМА 2021" in html and f'hreflang="en" href="{base}{edition_path}"' in html
    collect("/ru/alma/alma-2021/", html)

    # API v2: the page, the documents; the rendition taken from the API.
    _status, _headers, body = get(f"/api/v2/pages/{ids['edition']}/")
    page = json.loads(body)
    assert page["meta"]["html_url"] == base + edition_path
    collect("API v2 page", body)
    renditions = [url for url in absolute_urls(body) if "/media/images/" in url]
    assert renditions, "no image rendition in the API v2 page"
    for url in renditions:
        status, headers, _body = get(url)
        assert headers["Content-Type"].startswith("image/")
    _status, _headers, body = get("/api/v2/documents/")
    assert json.loads(body)["meta"]["total_count"] == 1
    collect("API v2 documents", body)
    _status, headers, _body = get(
        f"/api/v2/pages/find/?html_path={edition_path}", status=302, follow=False
    )
    collect("API v2 find redirect", headers["Location"])

    # API v3 (Wagtail 8; the example urls.py leaves it out on Wagtail 7.4).
    if HAS_API_V3:
        _status, _headers, body = get(f"/api/v3/pages/{ids['edition']}/")
        collect("API v3 page", body)
    else:
        get(f"/api/v3/pages/{ids['edition']}/", status=404)

    # The calendar feeds: the edition's and the index's.
    for path in (f"{edition_path}calendar.ics", "/en/alma/calendar.ics"):
        _status, headers, body = get(path)
        assert headers["Content-Type"].startswith("text/calendar")
        unfolded = body.replace("\r\n ", "")
        assert re.search(rf"^URL(;[^:\r\n]*)?:{re.escape(base + edition_path)}\r$", unfolded, re.M)
        collect(path, body)

    # Every absolute URL is on the server's own address, and answers.
    elsewhere = {
        url: where
        for url, where in found.items()
        if not url.startswith(base + "/") and urlsplit(url).hostname not in EXTERNAL_HOSTS
    }
    assert elsewhere == {}, f"absolute URLs not on {base}"
    ours = sorted(url for url in found if url.startswith(base + "/"))
    assert len(ours) >= 5, ours
    for url in ours:
        get(url)
    return ours
