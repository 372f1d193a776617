"""The package's Russian catalogue is complete, and the Russian admin shows no English string of
the package: labels, help texts, choices, chooser buttons, country and language names.

The catalogue is ``alma_cms/locale/ru/LC_MESSAGES/django.po``, compiled to the committed
``django.mo``; ``polib`` (a dependency of wagtail-localize) reads both.
"""

import ast
import html
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from wagtail.users.models import UserProfile
from wagtail_localize.operations import TranslationCreator

PACKAGE = Path(__file__).resolve().parent.parent / "alma_cms"
PO_PATH = PACKAGE / "locale" / "ru" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")

CATALOGUE = polib.pofile(str(PO_PATH))
ENTRIES = [entry for entry in CATALOGUE if not entry.obsolete]


# --- The catalogue ------------------------------------------------------------------------------


def test_every_entry_is_translated():
    assert [e.msgid for e in ENTRIES if not e.translated()] == []


def test_no_entry_is_fuzzy():
    assert [e.msgid for e in ENTRIES if "fuzzy" in e.flags] == []


def test_no_msgid_is_listed_twice():
    keys = [(e.msgctxt, e.msgid) for e in ENTRIES]
    assert len(keys) == len(set(keys))


def test_the_committed_mo_is_compiled_from_the_po():
    def translations(catalogue):
        return {
            (e.msgctxt, e.msgid): e.msgstr_plural or e.msgstr
            for e in catalogue
            if not e.obsolete and e.msgid
        }

    assert translations(polib.mofile(str(MO_PATH))) == translations(CATALOGUE)


# The gettext functions of the package's Python code, and which argument is the context.
GETTEXT_FUNCTIONS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": None,
    "ngettext_lazy": None,
    "pgettext": 0,
    "pgettext_lazy": 0,
    "npgettext": 0,
    "npgettext_lazy": 0,
}


def python_msgids():
    """``(context, msgid, where)`` of every literal string the package's code marks for
    translation (migrations hold plain copies of them)."""
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)):
                continue
            if node.func.id not in GETTEXT_FUNCTIONS:
                continue
            context_index = GETTEXT_FUNCTIONS[node.func.id]
            msgid_index = 0 if context_index is None else 1
            literals = [a.value if isinstance(a, ast.Constant) else None for a in node.args]
            if len(literals) <= msgid_index or not isinstance(literals[msgid_index], str):
                continue  # a variable: whatever it holds was marked where it was written
            context = None if context_index is None else literals[context_index]
            where = f"{path.relative_to(PACKAGE)}:{node.lineno}"
            found.append((context, literals[msgid_index], where))
    return found


TEMPLATE_TAG = re.compile(
    r"""{%\s*(?:trans|translate)\s+(?P<q>["'])(?P<msgid>.*?)(?P=q)"""
    r"""(?:\s+context\s+(?P<cq>["'])(?P<context>.*?)(?P=cq))?[^%]*%}"""
)


def template_msgids():
    """``(context, msgid, where)`` of every ``{% translate "..." %}`` of the templates."""
    found = []
    for path in sorted((PACKAGE / "templates").rglob("*.html")):
        for match in TEMPLATE_TAG.finditer(path.read_text()):
            found.append((match["context"], match["msgid"], str(path.relative_to(PACKAGE))))
    return found


def test_every_marked_string_is_in_the_catalogue():
    """What ``makemessages`` would add is already there (blocktranslate blocks aside)."""
    marked = python_msgids() + template_msgids()
    assert len(marked) > 300  # the scan finds the package's strings
    keys = {(e.msgctxt, e.msgid) for e in ENTRIES}
    keys |= {(e.msgctxt, e.msgid_plural) for e in ENTRIES if e.msgid_plural}
    assert [where for ctx, msgid, where in marked if (ctx, msgid) not in keys] == []


# --- What the Russian admin shows ---------------------------------------------------------------


def english_msgids():
    """The package's English strings that read differently in Russian, as they may show:
    as written and with a capital first letter. Left out: strings with placeholders and those
    kept inside their own translation ("URL" in "URL-адрес")."""
    strings = set()
    for entry in ENTRIES:
        for msgid in filter(None, (entry.msgid, entry.msgid_plural)):
            if "%(" in msgid or not re.search("[A-Za-z]", msgid):
                continue
            if msgid in entry.msgstr or any(msgid in s for s in entry.msgstr_plural.values()):
                continue
            strings |= {msgid, msgid[:1].upper() + msgid[1:]}
    return strings


# Elements whose text is not the admin's: code, content being edited, a chosen item's title.
CONTENT_ELEMENTS = {"script", "style", "textarea", "template", "chosen"}
TEXT_ATTRIBUTES = {"title", "placeholder", "aria-label", "alt", "data-w-tooltip-content-value"}
# Attributes holding JSON the admin turns into text: StreamField block definitions (not their
# values, which are content) and wagtail-localize's editor.
JSON_ATTRIBUTES = {"data-w-block-data-value", "data-props"}
VOID_ELEMENTS = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta"}
VOID_ELEMENTS |= {"param", "source", "track", "wbr"}


class AdminTexts(HTMLParser):
    """The texts an editor reads on an admin page: text nodes outside content, the attributes
    shown as text, and the strings of the JSON the admin's scripts render."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.open_elements = []
        self.texts = []
        self.json_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag not in VOID_ELEMENTS:
            self.open_elements.append("chosen" if "data-chooser-title" in attrs else tag)
        # Data for the admin's scripts (its configuration: the locales' names, ...).
        self.json_script = tag == "script" and attrs.get("type") == "application/json"
        for name, value in attrs.items():
            if value and name in TEXT_ATTRIBUTES:
                self.texts.append(value)
            elif value and name in JSON_ATTRIBUTES:
                self.texts += json_texts(json.loads(value))

    def handle_endtag(self, tag):
        self.json_script = False
        while self.open_elements and self.open_elements.pop() != tag:
            pass

    def handle_data(self, data):
        if self.json_script:
            self.texts += json_texts(json.loads(data))
        elif not CONTENT_ELEMENTS.intersection(self.open_elements):
            self.texts.append(data)


def json_texts(value):
    if isinstance(value, str):
        return admin_texts(value) if "<" in value and ">" in value else [value]
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, list):
        return [text for item in value for text in json_texts(item)]
    return []


def admin_texts(markup):
    parser = AdminTexts()
    parser.feed(markup)
    parser.close()
    texts = [" ".join(text.split()) for text in parser.texts]
    return [
        text
        for text in texts
        if text
        and not re.fullmatch(r"[a-z0-9_./:#?=&-]+", text)  # names, ids, URLs, CSS classes
        and not text.startswith(("{", "["))  # data (a rich-text editor's empty state)
    ]


def english_found(markup, english):
    """``{english string: [text it appears in, ...]}`` for the package's strings in
    ``markup``'s texts (as whole words)."""
    found = {}
    for text in admin_texts(markup):
        for msgid in english:
            if re.search(r"(?<![\w%-])" + re.escape(msgid) + r"(?![\w-])", text):
                found.setdefault(msgid, []).append(text)
    return found


def test_the_text_finder_sees_english_where_an_editor_would():
    english = {"Choose an organization", "Heading", "Partners", "Organization"}
    markup = (
        '<button title="Heading">x</button><div data-w-block-data-value="'
        + html.escape(json.dumps({"label": "Partners", "html": "<b>Choose an organization</b>"}))
        + '"></div><textarea>Heading</textarea><div data-chooser-title>Organization</div>'
        + "<script>var label = 'Partners';</script><p>Organization list</p>"
    )
    found = english_found(markup, english)
    assert set(found) == {"Choose an organization", "Heading", "Partners", "Organization"}
    assert found["Organization"] == ["Organization list"]  # not the chosen item's title


@pytest.fixture
def superuser(db, django_user_model):
    return django_user_model.objects.create_superuser("editor", "editor@example.com", "pw")


def set_admin_language(user, language):
    profile = UserProfile.get_for_user(user)
    profile.preferred_language = language
    profile.save()


def test_the_russian_edition_editor_shows_no_english_string_of_the_package(alma, client, superuser):
    """Wagtail builds a block's chooser widget once, in the language of the first request; the
    English editor opens first, as on a server where the first editor works in English."""
    url = reverse("wagtailadmin_pages:edit", args=[alma.edition_2021.pk])
    client.force_login(superuser)
    english = client.get(url).content.decode()
    assert "Choose a speaker" in english and "Choose an organization" in english

    set_admin_language(superuser, "ru")
    response = client.get(url)
    assert response.status_code == 200
    russian = response.content.decode()
    assert english_found(russian, english_msgids()) == {}
    texts = admin_texts(russian)
    for text in ("Выбрать спикера", "Выбрать другого спикера", "Выбрать цитату"):
        assert text in texts
    assert "Выбрать другую организацию" in texts  # the host, and an actor or a partner block
    # The locale's name (the status side panel, the admin's JS config), from LANGUAGES.
    with translation.override("en"):
        english_names = {str(name) for _code, name in settings.LANGUAGES}
    assert "English" in english_names
    texts = admin_texts(russian)
    assert "Английский" in texts
    assert english_names.isdisjoint(texts)

    # And back: English again for an English editor.
    set_admin_language(superuser, "en")
    assert "Choose an organization" in client.get(url).content.decode()


def test_the_russian_award_editor_labels_the_partners(alma, client, superuser):
    set_admin_language(superuser, "ru")
    client.force_login(superuser)
    response = client.get(reverse("wagtailadmin_pages:edit", args=[alma.award.pk]))
    texts = admin_texts(response.content.decode())
    assert "Организация" in texts and "Organization" not in texts


def test_the_russian_organization_editor_names_countries_in_russian(alma, client, superuser):
    set_admin_language(superuser, "ru")
    client.force_login(superuser)
    url = reverse("wagtailsnippets_alma_cms_organization:edit", args=[alma.lfl.pk])
    texts = admin_texts(client.get(url).content.decode())
    assert "Россия" in texts and "Германия" in texts
    assert "Russia" not in texts and "Germany" not in texts


def test_the_russian_translation_editor_names_locales_and_fields_in_russian(
    alma, locale_ru, superuser, client, django_capture_on_commit_callbacks
):
    """wagtail-localize's editor: "Перевод с ALMA 2021 на Русский" (the locale's name from
    LANGUAGES), and every segment's field, block and help text in Russian."""
    with django_capture_on_commit_callbacks(execute=True):
        TranslationCreator(superuser, [locale_ru]).create_translations(alma.edition_2021)
    russian_page = alma.edition_2021.get_translation(locale_ru)
    set_admin_language(superuser, "ru")
    client.force_login(superuser)
    markup = client.get(reverse("wagtailadmin_pages:edit", args=[russian_page.pk])).content
    markup = markup.decode()
    assert "Перевод с ALMA 2021 на Русский" in markup
    props = json.loads(html.unescape(re.search(r'data-props="([^"]*)"', markup).group(1)))
    assert props["locale"]["displayName"] == "Русский"
    assert props["sourceLocale"]["displayName"] == "Английский"
    labels = [tab["label"] for tab in props["tabs"]]
    for segment in props["segments"]:
        location = segment["location"]
        labels += [location[key] for key in ("field", "subField", "fieldHelpText") if location[key]]
    assert len(labels) > 20
    english = english_msgids()
    assert [label for label in labels if english_found(html.escape(label), english)] == []
