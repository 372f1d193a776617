"""The version-neutral pieces of ``find`` and of the NUL-character check."""

from types import SimpleNamespace

import pytest
from django.http import QueryDict

from alma_cms.api.find import FrontEndPath, InvalidPath
from alma_cms.api.nul import holds_nul, parameter_holding_nul
from alma_cms.api.v2.errors import ApiBadRequest, refuse_nul
from tests.api.helpers import API, V3_URLS, skip_without_api_v3

RU = SimpleNamespace(pk=2, language_code="ru")


def scope_knowing(*locales):
    by_code = {locale.language_code: locale for locale in locales}
    return SimpleNamespace(locale_for_path_prefix=lambda component: by_code.get(component))


@pytest.mark.parametrize(
    "html_path,locale,components",
    [
        ("/ru/alma/alma-2021/", RU, ("alma", "alma-2021")),
        ("/ru/", RU, ()),
        ("/alma/alma-2021/", None, ("alma", "alma-2021")),
        ("/", None, ()),
        ("", None, ()),
        ("/ru/alma%20x/?fields=*#top", RU, ("alma x",)),
        ("https://example.org/de/alma/", None, ("de", "alma")),
    ],
)
def test_front_end_path_reads_the_language_prefix(html_path, locale, components):
    path = FrontEndPath.parse(scope_knowing(RU), html_path)
    assert (path.locale, path.components) == (locale, components)


def test_front_end_path_finds_the_page_below_the_root(alma):
    from wagtail.models import Page

    edition = alma.edition_2021
    root = edition.get_site().root_page
    path = FrontEndPath(None, tuple(edition.url_path[len(root.url_path) :].strip("/").split("/")))
    assert path.page_below(root, Page.objects.all()).pk == edition.pk
    assert FrontEndPath(None, ("no-such-page",)).page_below(root, Page.objects.all()) is None


def test_nul_in_a_name_or_any_value_names_the_parameter():
    assert not holds_nul("abc", "")
    assert holds_nul("abc", "a\x00")
    assert parameter_holding_nul(QueryDict("a=1&b=2")) is None
    assert parameter_holding_nul(QueryDict("a=1&b=2&b=%00")) == "b"
    assert parameter_holding_nul(QueryDict("a=1&c%00=2")) == "c\x00"


def test_v2_refuses_nul_naming_the_parameter():
    refuse_nul("search", "libraries")
    with pytest.raises(ApiBadRequest) as info:
        refuse_nul("search", "lib\x00raries")
    assert (info.value.message, info.value.parameter) == (
        "search: null characters are not allowed",
        "search",
    )


@pytest.mark.parametrize("html_path", ["http://[::1/en/", "http://[/", "https://[::1/ru/alma/"])
def test_front_end_path_refuses_what_is_no_url(html_path):
    with pytest.raises(InvalidPath, match="html_path"):
        FrontEndPath.parse(scope_knowing(RU), html_path)


@pytest.mark.parametrize("html_path", ["http://[::1/en/", "http://[/"])
def test_v2_find_answers_400_to_what_is_no_url(client, alma, html_path):
    response = client.get(f"{API}pages/find/", {"html_path": html_path})
    assert response.status_code == 400
    assert "html_path" in response.json()["message"]


@pytest.mark.parametrize("html_path", ["http://[::1/en/", "https://[::1/ru/alma/"])
def test_v3_find_answers_400_to_what_is_no_url(client, alma, settings, html_path):
    skip_without_api_v3()
    settings.ROOT_URLCONF = V3_URLS
    response = client.get("/api/v3/pages/find/", {"html_path": html_path})
    assert response.status_code == 400
    assert "html_path" in response.content.decode()
