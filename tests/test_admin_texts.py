"""The admin explains itself: every field and block child with a rule or a choice has help
text, every page type a description, type names follow one scheme, and the labels the admin
shows are the package's own (translatable) ones.

Rules read from the code where possible (choices, validators given to a field or block); the
rules enforced in ``clean()`` are listed below, and a ``clean()`` nobody listed fails the test.
"""

import pytest
from django.apps import apps
from django.utils.functional import Promise
from wagtail import blocks as wagtail_blocks
from wagtail import hooks
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page, TranslatableMixin

from alma_cms import blocks as alma_blocks
from alma_cms.blocks.base_blocks import PageOrURLBlock, SpeakerOrNameBlock
from alma_cms.blocks.choosers import ORGANIZATION_CHOOSER_TEXTS
from alma_cms.fields import ExtensibleStreamField
from alma_cms.page_types import alma_page_models
from alma_cms.pages import mixins
from alma_cms.pages.models import ForumEditionPage


@pytest.fixture(autouse=True, scope="module")
def _wagtail_hooks_loaded():
    """The Organization snippet is registered by alma_cms/wagtail_hooks.py, which Wagtail imports
    on its first hook lookup (any admin request does one); Wagtail 7.4's SnippetChooserBlock
    needs the registration, so a test run alone looks the hooks up first."""
    hooks.search_for_hooks()


# Fields whose rule lives in a model's clean(), by the class that declares that clean().
MODEL_CLEAN_RULES = {
    mixins.ForumEditionPageMixin: {"year", "start_date", "end_date"},
    mixins.SpeakerPositionMixin: {"organization", "organization_name", "start_date", "end_date"},
    mixins.QuotationPageMixin: {"speaker", "speaker_role", "forum_edition", "said_on"},
    mixins.GuidelineDocumentPageMixin: {"adopted_on", "adopted_at", "status"},
    mixins.AwardAnnouncementPageMixin: {"kind", "winners", "announced_on", "announced_at"},
}

# Children whose rule lives in a StructBlock's clean(), by the class that declares it.
BLOCK_CLEAN_RULES = {
    alma_blocks.AwardWinnerBlock: {"recipient_name", "recipient_organization"},
    PageOrURLBlock: {"page", "url"},
    SpeakerOrNameBlock: {"speaker", "name"},
    alma_blocks.GuidelineBlock: {"title", "role"},
    alma_blocks.ProgrammeSlotBlock: {"end_time"},
}

# Block options that restrict what an editor may enter.
RULE_OPTIONS = {"choices", "min_value", "max_value", "validators", "regex"}

# Fields alma-cms does not declare: Wagtail's page and translation fields, inline-row keys.
NOT_OURS = {field.name for field in Page._meta.get_fields()}
NOT_OURS |= {"locale", "translation_key", "sort_order", "page"}


def alma_models():
    """Every page type, snippet and inline row of alma-cms (a site's own pages included)."""
    models = list(alma_page_models())
    for label in ("alma_cms", "alma_cms_pages"):
        models += [m for m in apps.get_app_config(label).get_models() if m not in models]
    return models


def own_fields(model):
    return [
        field
        for field in model._meta.get_fields()
        if field.concrete and not field.auto_created and field.name not in NOT_OURS
    ]


def clean_rules(cls, rules):
    """The fields or children ``rules`` lists for ``cls`` (through its bases)."""
    found = set()
    for base in cls.__mro__:
        found |= rules.get(base, set())
    return found


def model_fields_with_rules():
    cases = []
    for model in alma_models():
        ruled = clean_rules(model, MODEL_CLEAN_RULES)
        for field in own_fields(model):
            if field.choices or field._validators or field.name in ruled:
                cases.append((model, field))
    return cases


def stream_blocks():
    """The package's own stream blocks of every alma model (not those hooks add)."""
    found = []
    for model in alma_models():
        for field in own_fields(model):
            if isinstance(field, ExtensibleStreamField):
                found.append((model, field.name, field.base_stream_block))
            elif isinstance(field, StreamField):
                found.append((model, field.name, field.stream_block))
    return found


def walk(block, path):
    """``(path, block)`` for ``block`` and every block below it."""
    yield path, block
    if isinstance(block, wagtail_blocks.ListBlock):
        yield from walk(block.child_block, f"{path}[]")
    elif isinstance(block, (wagtail_blocks.StructBlock, wagtail_blocks.StreamBlock)):
        for name, child in block.child_blocks.items():
            yield from walk(child, f"{path}.{name}")


def all_blocks():
    return [
        (f"{model.__name__}.{name}{path}", block)
        for model, name, stream in stream_blocks()
        for path, block in walk(stream, "")
    ]


def block_help_text(block):
    # As alma_cms.api.schemas reads it: a FieldBlock passes its help text to its form field.
    return getattr(block.meta, "help_text", None) or getattr(
        getattr(block, "field", None), "help_text", None
    )


def block_children_with_rules():
    cases = []
    for path, block in all_blocks():
        if not isinstance(block, wagtail_blocks.StructBlock):
            continue
        ruled = clean_rules(type(block), BLOCK_CLEAN_RULES)
        for name, child in block.child_blocks.items():
            options = set(child.deconstruct()[2])
            if isinstance(child, wagtail_blocks.ChoiceBlock) or options & RULE_OPTIONS:
                cases.append((f"{path}.{name}", child))
            elif name in ruled:
                cases.append((f"{path}.{name}", child))
    return cases


MODEL_CASES = model_fields_with_rules()
BLOCK_CASES = block_children_with_rules()


@pytest.mark.parametrize(
    "model,field", MODEL_CASES, ids=[f"{m.__name__}.{f.name}" for m, f in MODEL_CASES]
)
def test_every_field_with_a_rule_or_a_choice_has_help_text(model, field):
    assert isinstance(field.help_text, Promise), "help text must be translatable"
    assert str(field.help_text).strip()


@pytest.mark.parametrize("child", [c for _p, c in BLOCK_CASES], ids=[p for p, _c in BLOCK_CASES])
def test_every_block_child_with_a_rule_or_a_choice_has_help_text(child):
    help_text = block_help_text(child)
    assert isinstance(help_text, Promise), "help text must be translatable"
    assert str(help_text).strip()


def test_the_lists_of_rules_find_what_they_should():
    """The enumeration is not empty by mistake: it finds the rules issue 7 named."""
    model_names = {(m.__name__, f.name) for m, f in MODEL_CASES}
    for expected in [
        ("ForumEditionPage", "year"),
        ("ForumEditionPage", "start_date"),
        ("ForumEditionPage", "format"),
        ("ForumEditionPage", "participant_count_qualifier"),
        ("GuidelineDocumentPage", "adopted_on"),
        ("GuidelineDocumentPage", "status"),
        ("GuidelineDocumentPage", "nature"),
        ("AwardAnnouncementPage", "season_year"),
        ("AwardAnnouncementPage", "announced_on"),
        ("AwardAnnouncementPage", "kind"),
        ("Organization", "kind"),
        ("Organization", "country"),
        ("SpeakerPosition", "date_precision"),
    ]:
        assert expected in model_names
    block_paths = {p for p, _c in BLOCK_CASES}
    for expected in [
        "ForumEditionPage.body.heading.level",
        "ForumEditionPage.body.statistics.items[].qualifier",
        "ForumEditionPage.body.discussion_panel.scope",
        "ForumEditionPage.body.discussion_panel.speakers[].name",
        "ForumEditionPage.body.link_list.links[].url",
        "GuidelineDocumentPage.directions.direction.guidelines[].role",
        "AwardAnnouncementPage.winners.winner.recipient_organization",
    ]:
        assert expected in block_paths


def test_every_clean_rule_is_listed():
    """A new ``clean()`` on a model or a block names the fields its rule is about, above."""
    unlisted = set()
    for model in alma_models():
        for cls in model.__mro__:
            if cls.__module__.startswith("alma_cms") and "clean" in vars(cls):
                if cls not in MODEL_CLEAN_RULES:
                    unlisted.add(cls.__qualname__)
    for _path, block in all_blocks():
        for cls in type(block).__mro__:
            if cls.__module__.startswith("alma_cms") and "clean" in vars(cls):
                if not any(issubclass(cls, listed) for listed in BLOCK_CLEAN_RULES):
                    unlisted.add(cls.__qualname__)
    assert not unlisted


def test_clean_rule_lists_name_real_fields():
    for cls, names in MODEL_CLEAN_RULES.items():
        declared = {f.name for f in cls._meta.get_fields()}
        assert names <= declared, cls
    for cls, names in BLOCK_CLEAN_RULES.items():
        example = next(block for _p, block in all_blocks() if isinstance(block, cls))
        assert names <= set(example.child_blocks), cls


# --- Page types -------------------------------------------------------------------------------


@pytest.mark.parametrize("model", alma_page_models(), ids=lambda m: m.__name__)
def test_every_page_type_has_a_translatable_description(model):
    assert isinstance(model.page_description, Promise)
    assert model.get_page_description().strip()


@pytest.mark.parametrize("model", alma_page_models(), ids=lambda m: m.__name__)
def test_page_type_names_follow_one_scheme(model):
    """One scheme: "Forum index", "Forum edition", "Speaker index", "Speaker" (no "... page")."""
    for name in (model._meta.verbose_name, model._meta.verbose_name_plural):
        assert isinstance(name, Promise)
        assert "page" not in str(name).split()


def test_page_type_names_are_distinct():
    names = [str(model._meta.verbose_name) for model in alma_page_models()]
    assert len(names) == len(set(names))


def test_inline_rows_and_snippets_are_translatable_and_named():
    for model in alma_models():
        if issubclass(model, (Orderable, TranslatableMixin)) and not issubclass(model, Page):
            assert isinstance(model._meta.verbose_name, Promise), model


# --- Labels -----------------------------------------------------------------------------------


def test_every_block_has_its_own_translatable_label():
    """No label made up from a block's name ("Organization" from ``organization``): Wagtail
    would show it in English in every language."""
    unlabelled = [
        f"{model.__name__}.{name}{path}"
        for model, name, stream in stream_blocks()
        for path, block in walk(stream, "")
        if path and not path.endswith("[]")  # the stream itself, a list's item: no label shown
        if not isinstance(block.meta.label, Promise)
    ]
    assert not unlabelled


def test_the_award_partners_block_is_labelled_organization():
    block = mixins.AwardPageMixin._meta.get_field("partners").stream_block
    assert block.child_blocks["organization"].meta.label == "Organization"
    assert isinstance(block.child_blocks["organization"].meta.label, Promise)


def test_organization_choosers_show_lazy_texts():
    """Blocks and the organization fields (a page's host) share the texts, lazily translated:
    a widget built in one language shows the next request's language."""
    block_widget = alma_blocks.OrganizationChooserBlock().widget
    form_class = ForumEditionPage.get_edit_handler().get_form_class()
    host_widget = form_class.base_fields["host"].widget
    for widget in (block_widget, host_widget):
        for name, text in ORGANIZATION_CHOOSER_TEXTS.items():
            assert getattr(widget, name) is text
