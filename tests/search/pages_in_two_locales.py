"""Pages in two locales and index rebuilds for the search tests."""

from io import StringIO

from django.core.management import call_command

ALMA_DATABASE = "alma_cms.search.backends.database"


def use_backends(settings, **backends):
    """WAGTAILSEARCH_BACKENDS = {alias: {"BACKEND": ..., ...}}; every alias auto-updates."""
    settings.WAGTAILSEARCH_BACKENDS = backends


def rebuild(backend="default"):
    """Wagtail's update_index for one backend alias (modelsearch 1.3), quietly."""
    call_command("update_index", backend_name=backend, stdout=StringIO(), stderr=StringIO())


def make_pages(locale_ru):
    """Four live ForumIndexPages: English "library" / "museum" and their Russian translations
    "библиотека" / "музей". Each says its word once, in one inflection only."""
    from alma_cms.pages.models import ForumIndexPage
    from tests.testapp.factories import add_page, home_page

    home = home_page()
    pages = {}
    for slug, title, intro, ru_title, ru_intro in [
        (
            "lib",
            "The city library",
            "<p>A library with books.</p>",
            "Городская библиотека",
            "<p>Библиотека с книгами.</p>",
        ),
        (
            "museum",
            "The city museum",
            "<p>A museum with paintings.</p>",
            "Городской музей",
            "<p>Музей с картинами.</p>",
        ),
    ]:
        en = add_page(home, ForumIndexPage(title=title, slug=slug, intro=intro))
        ru = en.copy_for_translation(locale_ru, copy_parents=True)
        ru.title = ru_title
        ru.intro = ru_intro
        ru.save_revision().publish()
        ru.refresh_from_db()
        pages[f"{slug}_en"] = en
        pages[f"{slug}_ru"] = ru
    return pages


def titles(results):
    return sorted(page.title for page in results)
