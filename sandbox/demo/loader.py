"""Builds (or brings up to date) the ALMA demo site from :mod:`sandbox.demo.demo_content`.

Every object is found by a stable key before anything is created: pages and organizations by a
translation key derived from their demo key (falling back to their slug or name, so a site
loaded by hand is adopted rather than duplicated), images by title. Fields are compared with the
demo values and an object is saved only when something differs, and a page gets a new revision
only then. Running the loader twice therefore changes nothing the second time.

The site's root page becomes the demo's ``HomePage`` (``sandbox.demo.models``), and the top
sections are shown in the site's menu (``show_in_menus``).

Russian versions are made with wagtail-localize: a ``TranslationSource`` is extracted from each
English object, every ``String`` of it gets a ``StringTranslation`` from the demo catalogue, and
the source writes the translated object. Pages are published at once, inside the transaction.
"""

import json
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models, transaction
from wagtail.blocks import StreamValue
from wagtail.fields import StreamField
from wagtail.models import Locale, Page, Site
from wagtail_localize.models import (
    MissingRelatedObjectError,
    MissingTranslationError,
    StringSegment,
    StringTranslation,
    Translation,
    TranslationSource,
)
from wagtail_localize.strings import StringValue

from alma_cms.models import Organization
from alma_cms.pages.models import (
    AwardAnnouncementPage,
    AwardPage,
    ForumEditionPage,
    ForumIndexPage,
    GuidelineDocumentIndexPage,
    GuidelineDocumentPage,
    QuotationIndexPage,
    QuotationPage,
    SpeakerIndexPage,
    SpeakerPage,
    SpeakerPosition,
)

from . import demo_content as content
from .i18n import t as catalogue
from .images import get_or_create_placeholder, initials
from .models import HomePage

SOURCE_LANGUAGE = "en"
TARGET_LANGUAGE = "ru"

# Page keys translated to Russian, parents before children (after the home page; the speakers
# and the quotations follow).
TRANSLATED_PAGES = [
    "forum-index",
    "speaker-index",
    "quotation-index",
    "document-index",
    "award",
    "edition-2019",
    "edition-2021",
    "final-document-2019",
    "award-established-2021",
]


class DemoError(Exception):
    """A problem worth one line to the user."""


class Tally:
    def __init__(self):
        self.created = self.updated = self.unchanged = 0

    def add(self, outcome):
        setattr(self, outcome, getattr(self, outcome) + 1)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def __str__(self):
        return (
            f"{self.total} ({self.created} created, {self.updated} updated, "
            f"{self.unchanged} unchanged)"
        )


def normalize_stream(field, value):
    """A StreamField value as plain JSON data, every block converted and re-serialized."""
    if not isinstance(value, StreamValue):
        value = field.to_python(value)
    for _child in value:  # convert every child, so the JSON is rebuilt from the blocks
        pass
    data = field.stream_block.get_prep_value(value)
    return json.loads(json.dumps(data, cls=DjangoJSONEncoder))


def stored_value(obj, name):
    field = obj._meta.get_field(name)
    if isinstance(field, StreamField):
        return normalize_stream(field, getattr(obj, name))
    if field.is_relation:
        return getattr(obj, field.attname)
    value = getattr(obj, name)
    if hasattr(value, "code"):  # django-countries Country
        return value.code or ""
    return value


def wanted_value(obj, name, value):
    field = obj._meta.get_field(name)
    if isinstance(field, StreamField):
        return normalize_stream(field, value)
    if field.is_relation:
        return value.pk if isinstance(value, models.Model) else value
    if isinstance(field, models.DecimalField) and value is not None:
        return Decimal(str(value))
    return value


def changed_fields(obj, values):
    return [
        name
        for name, value in values.items()
        if stored_value(obj, name) != wanted_value(obj, name, value)
    ]


def one_line(exc):
    if isinstance(exc, ValidationError) and hasattr(exc, "message_dict"):
        text = "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in exc.message_dict.items()
        )
    elif hasattr(exc, "as_json_data"):
        text = json.dumps(exc.as_json_data(), ensure_ascii=False)
    else:
        text = str(exc)
    return " ".join(text.split())


class DemoLoader:
    def __init__(self, *, translations=True, stdout=None):
        self.translations = translations
        self.stdout = stdout
        self.objects = {}
        self.tallies = {}

    # --- Running -------------------------------------------------------------------------

    def run(self):
        with transaction.atomic():
            self.load_locales()
            self.load_organizations()
            self.load_home()
            self.load_sections()
            self.load_speakers()
            self.load_editions()
            self.load_final_document()
            self.load_quotations()
            self.load_award()
            self.load_edition_bodies()
            if self.translations:
                self.load_translations()
        return self.tallies

    def report(self, section, text=None):
        if self.stdout is not None:
            self.stdout(f"{section}: {text if text is not None else self.tallies[section]}")

    def tally(self, section):
        return self.tallies.setdefault(section, Tally())

    def ref(self, kind, key):
        try:
            return self.objects[(kind, key)]
        except KeyError:
            raise DemoError(f"demo content refers to unknown {kind} {key!r}") from None

    def resolve(self, values):
        """Replace ("org", "lfl")-style references in a dict of field values."""
        out = {}
        for name, value in values.items():
            if (
                isinstance(value, tuple)
                and len(value) == 2
                and value[0] in ("org", "speaker", "page")
            ):
                value = self.ref(*value)
            out[name] = value
        return out

    # --- Locales and snippets --------------------------------------------------------------

    def load_locales(self):
        self.en, en_created = Locale.objects.get_or_create(language_code=SOURCE_LANGUAGE)
        self.ru, ru_created = Locale.objects.get_or_create(language_code=TARGET_LANGUAGE)
        made = [
            code
            for code, made in ((SOURCE_LANGUAGE, en_created), (TARGET_LANGUAGE, ru_created))
            if made
        ]
        self.report(
            "Locales",
            f"{SOURCE_LANGUAGE}, {TARGET_LANGUAGE}"
            + (f" (created {', '.join(made)})" if made else " (already present)"),
        )

    def image(self, section, title, label, alt):
        image, created = get_or_create_placeholder(title, label, alt)
        self.tally(section).add("created" if created else "unchanged")
        return image

    def load_organizations(self):
        tally = self.tally("Organizations")
        for spec in content.ORGANIZATIONS:
            spec = dict(spec)
            key = spec.pop("key")
            label = spec.get("short_name") or initials(spec["name"])
            spec["logo"] = self.image(
                "Images",
                f"ALMA demo logo: {spec['name']}",
                label,
                f"Logo placeholder for {spec['name']}",
            )
            values = {"short_name": "", "city": "", "country": "", "url": "", **spec}
            tk = content.translation_key("org", key)
            org = (
                Organization.objects.filter(translation_key=tk, locale=self.en).first()
                or Organization.objects.filter(name=values["name"], locale=self.en)
                .order_by("pk")
                .first()
            )
            if org is None:
                org = Organization(translation_key=tk, locale=self.en)
                outcome = "created"
            else:
                outcome = "updated" if changed_fields(org, values) else "unchanged"
            if outcome != "unchanged":
                for name, value in values.items():
                    setattr(org, name, value)
                org.full_clean()
                org.save()
            tally.add(outcome)
            self.objects[("org", key)] = org
        self.report("Organizations")

    # --- Pages -----------------------------------------------------------------------------

    def upsert_page(self, section, key, model, parent, slug, values, positions=None):
        """Create or update the page ``key`` under ``parent``; publish only if it changed."""
        values = {"slug": slug, **self.resolve(values)}
        tk = content.translation_key("page", key)
        page = model.objects.filter(translation_key=tk, locale=self.en).first()
        if page is None:
            taken = parent.get_children().filter(slug=slug).first()
            if taken is not None:
                taken = taken.specific
                if not isinstance(taken, model):
                    raise DemoError(
                        f"the slug {slug!r} under {parent.title!r} belongs to a "
                        f"{type(taken).__name__}, not a {model.__name__}"
                    )
                page = taken
        wanted_positions = self.position_rows(positions) if positions is not None else None

        try:
            if page is None:
                page = model(translation_key=tk, locale=self.en)
                self.assign(page, values, wanted_positions)
                parent.add_child(instance=page)  # saves with full_clean()
                page.save_revision(clean=True).publish()
                outcome = "created"
            else:
                changed = changed_fields(page, values)
                if wanted_positions is not None and (
                    [self.position_key(p) for p in page.positions.all()]
                    != [self.position_key(p) for p in wanted_positions]
                ):
                    changed.append("positions")
                if changed or not page.live or page.has_unpublished_changes:
                    self.assign(page, values, wanted_positions)
                    page.save_revision(clean=True).publish()  # full_clean() first
                    outcome = "updated"
                else:
                    outcome = "unchanged"
        except ValidationError as exc:
            raise DemoError(f"{model.__name__} {slug!r}: {one_line(exc)}") from exc
        self.tally(section).add(outcome)
        page = model.objects.get(pk=page.pk)
        self.objects[("page", key)] = page
        return page

    def assign(self, page, values, positions):
        for name, value in values.items():
            setattr(page, name, value)
        if positions is not None:
            page.positions = positions
        self.validate_page(page)

    def validate_page(self, page):
        """The checks an editor's form makes beyond the page's own full_clean() (which
        add_child() and save_revision(clean=True) run): every stream block, every row."""
        label = page.title or page.slug
        for field in page._meta.get_fields():
            if isinstance(field, StreamField):
                try:
                    field.stream_block.clean(getattr(page, field.name))
                except ValidationError as exc:
                    raise DemoError(f"{label}: invalid {field.name}: {one_line(exc)}") from exc
        if isinstance(page, SpeakerPage):
            for row in page.positions.all():
                try:
                    row.full_clean(exclude=["page"])
                except ValidationError as exc:
                    raise DemoError(f"{label}: invalid position: {one_line(exc)}") from exc

    def position_rows(self, positions):
        rows = []
        for index, spec in enumerate(positions):
            spec = dict(spec)
            org = spec.pop("organization")
            # An explicit sort_order (the admin's InlinePanel sets one): without it the rows
            # have no defined order, and a reload could see them shuffled and save them again.
            rows.append(
                SpeakerPosition(
                    organization=self.ref(*org) if org else None, sort_order=index, **spec
                )
            )
        return rows

    @staticmethod
    def position_key(row):
        return (
            row.sort_order,
            row.role_title,
            row.organization_id,
            row.organization_name,
            row.start_date,
            row.end_date,
            row.date_precision,
        )

    def load_home(self):
        """The default site's root page, as the demo's :class:`HomePage`.

        Wagtail's initial migration makes a plain ``Page`` ("Welcome to your new Wagtail
        site!") the root of the default site, and earlier versions of this loader kept it,
        retitled: such a page is replaced (see ``replace_home``). A ``HomePage`` is brought up
        to date; any other root page (a site's own) is used as it is.
        """
        site = Site.objects.filter(is_default_site=True).select_related("root_page").first()
        if site is None:
            raise DemoError("there is no default Wagtail Site; run migrate first")
        home = site.root_page.specific
        if home.depth != 2:
            raise DemoError(
                f"the default site's root page {home.title!r} is at depth {home.depth}, expected 2"
            )
        if home.locale_id != self.en.pk:
            raise DemoError(
                f"the default site's root page is in locale "
                f"{home.locale.language_code!r}, expected {SOURCE_LANGUAGE!r}"
            )
        spec = dict(content.HOME)
        key, slug = spec.pop("key"), spec.pop("slug")
        if type(home) is Page and home.title in (
            content.WAGTAIL_DEFAULT_HOME_TITLE,
            content.HOME_TITLE,
        ):
            home = self.replace_home(site, home, key, slug, spec)
        elif isinstance(home, HomePage):
            home = self.upsert_page("Home", key, HomePage, home.get_parent(), home.slug, spec)
        else:
            self.tally("Home").add("unchanged")
        self.home = home
        self.report("Home", f"{home.title!r} ({self.tally('Home')})")

    def replace_home(self, site, old, key, slug, values):
        """Put a new :class:`HomePage` in the place of ``old`` (a plain ``Page``, the site's
        root): it takes ``slug`` (sibling slugs are unique, so ``old`` gives it up first) and
        the site, ``old``'s children move under it in their order, and ``old`` is deleted with
        its translations: those an earlier run made hold only Russian copies of the demo's
        pages, which ``load_translations`` makes again under the new home's translation."""
        # A plain update: the tree and the URLs stay as they are (no url_path change, so moving
        # the children below makes no redirects), and ``old`` goes at the end.
        Page.objects.filter(pk=old.pk).update(slug=f"{old.slug}-replaced-{old.pk}")
        for translation in old.get_translations():
            translation.delete()
        home = self.upsert_page("Home", key, HomePage, old.get_parent(), slug, values)
        for child_pk in old.get_children().values_list("pk", flat=True):
            Page.objects.get(pk=child_pk).move(home, pos="last-child")
        site.root_page = home
        site.save()
        Page.objects.get(pk=old.pk).delete()
        return HomePage.objects.get(pk=home.pk)

    def load_sections(self):
        section = "Section pages"
        for spec, model in (
            (content.FORUM_INDEX, ForumIndexPage),
            (content.SPEAKER_INDEX, SpeakerIndexPage),
            (content.QUOTATION_INDEX, QuotationIndexPage),
            (content.DOCUMENT_INDEX, GuidelineDocumentIndexPage),
        ):
            self.upsert_page(
                section,
                spec["key"],
                model,
                self.home,
                spec["slug"],
                {"title": spec["title"], "intro": spec["intro"], "show_in_menus": True},
            )
        award = dict(content.AWARD)
        key, slug = award.pop("key"), award.pop("slug")
        award["partners"] = content.award_partners(self.ref)
        award["show_in_menus"] = True  # every section is in the site's menu
        self.upsert_page(section, key, AwardPage, self.home, slug, award)
        self.report(section)

    def load_speakers(self):
        parent = self.ref("page", content.SPEAKER_INDEX["key"])
        for spec in content.SPEAKERS:
            name = " ".join(p for p in (spec["given_name"], spec["family_name"]))
            photo = None
            if spec["portrait"]:
                photo = self.image(
                    "Images",
                    f"ALMA demo portrait: {spec['title']}",
                    initials(name, 2),
                    f"Portrait placeholder for {spec['title']}",
                )
            values = {
                "title": spec["title"],
                "honorific_prefix": "",
                "given_name": spec["given_name"],
                "middle_name": spec["middle_name"],
                "family_name": spec["family_name"],
                "short_bio": spec["short_bio"],
                "photo": photo,
            }
            page = self.upsert_page(
                "Speakers",
                spec["key"],
                SpeakerPage,
                parent,
                spec["slug"],
                values,
                positions=spec["positions"],
            )
            self.objects[("speaker", spec["key"])] = page
        self.report("Speakers")
        self.report("Images")

    def edition_values(self, spec):
        values = dict(spec)
        for name in ("key", "slug"):
            values.pop(name)
        return values

    def load_editions(self):
        parent = self.ref("page", content.FORUM_INDEX["key"])
        for spec in (content.EDITION_2019, content.EDITION_2021):
            self.upsert_page(
                "Forum editions",
                spec["key"],
                ForumEditionPage,
                parent,
                spec["slug"],
                self.edition_values(spec),
            )
        self.report("Forum editions")

    def load_final_document(self):
        spec = dict(content.FINAL_DOCUMENT)
        key, slug = spec.pop("key"), spec.pop("slug")
        spec["adopted_at"] = self.ref("page", content.EDITION_2019["key"])
        spec["directions"] = content.final_document_directions(self.ref)
        spec["links"] = content.final_document_links(self.ref)
        self.upsert_page(
            "Guideline documents", key, GuidelineDocumentPage, spec["adopted_at"], slug, spec
        )
        self.report("Guideline documents")

    def load_quotations(self):
        parent = self.ref("page", content.QUOTATION_INDEX["key"])
        edition = self.ref("page", content.EDITION_2021["key"])
        for spec in content.QUOTATIONS:
            spec = dict(spec)
            key, slug = spec.pop("key"), spec.pop("slug")
            spec.update(forum_edition=edition, said_on=content.SESSION_2021, source_url="")
            self.upsert_page("Quotations", f"quotation-{key}", QuotationPage, parent, slug, spec)
        self.report("Quotations")

    def load_award(self):
        spec = dict(content.ANNOUNCEMENT)
        key, slug = spec.pop("key"), spec.pop("slug")
        spec["announced_at"] = self.ref("page", content.EDITION_2021["key"])
        spec["body"] = content.announcement_body(self.ref)
        spec["winners"] = []
        self.upsert_page(
            "Award announcements",
            key,
            AwardAnnouncementPage,
            self.ref("page", content.AWARD["key"]),
            slug,
            spec,
        )
        self.report("Award announcements")

    def load_edition_bodies(self):
        """Edition bodies last: they point at quotations, the award and the final document."""
        parent = self.ref("page", content.FORUM_INDEX["key"])
        for spec, body in (
            (content.EDITION_2019, content.edition_2019_body),
            (content.EDITION_2021, content.edition_2021_body),
        ):
            self.upsert_page(
                "Edition bodies",
                spec["key"],
                ForumEditionPage,
                parent,
                spec["slug"],
                {"body": body(self.ref)},
            )
        self.report("Edition bodies")

    # --- Translations ----------------------------------------------------------------------

    def load_translations(self):
        section = "Russian translations"
        for spec in content.ORGANIZATIONS:
            self.translate(section, self.ref("org", spec["key"]))
        if isinstance(self.home, HomePage):  # not a site's own root page
            self.translate(section, self.home)
        for key in TRANSLATED_PAGES:
            self.translate(section, self.ref("page", key))
        for spec in content.SPEAKERS:
            self.translate(section, self.ref("speaker", spec["key"]))
        for spec in content.QUOTATIONS:
            self.translate(section, self.ref("page", f"quotation-{spec['key']}"))
        self.report(section)

    def translate(self, section, instance):
        model = type(instance)
        instance = model.objects.get(pk=instance.pk)
        previous = TranslationSource.objects.filter(
            object_id=instance.translation_key, locale_id=instance.locale_id
        ).first()
        source, _created = TranslationSource.update_or_create_from_instance(instance)
        source_changed = previous is None or previous.last_updated_at != source.last_updated_at
        _translation, translation_created = Translation.objects.get_or_create(
            source=source, target_locale=self.ru, defaults={"enabled": True}
        )
        strings_changed = self.fill_strings(source, instance)

        target = instance.get_translation_or_none(self.ru)
        is_page = isinstance(instance, Page)
        stale_page = (
            is_page
            and target is not None
            and (not target.live or target.has_unpublished_changes or target.alias_of_id)
        )
        if not (
            source_changed or strings_changed or translation_created or target is None or stale_page
        ):
            self.tally(section).add("unchanged")
            return target

        outcome = "created" if target is None else "updated"
        try:
            if is_page:
                source.create_or_update_translation(
                    self.ru, publish=False, copy_parent_pages=True, fallback=False
                )
                target = instance.get_translation(self.ru).specific
                target.get_latest_revision().publish()
            else:
                source.create_or_update_translation(self.ru, publish=True, fallback=False)
                target = instance.get_translation(self.ru)
        except (MissingTranslationError, MissingRelatedObjectError) as exc:
            raise DemoError(f"cannot translate {instance}: {exc}") from exc
        except ValidationError as exc:
            raise DemoError(f"Russian {instance}: {one_line(exc)}") from exc
        self.tally(section).add(outcome)
        return target

    def fill_strings(self, source, instance):
        """A StringTranslation for every String of ``source``; True if any was written."""
        changed = False
        missing = []
        segments = StringSegment.objects.filter(source=source).select_related("string", "context")
        for segment in segments:
            english = StringValue(segment.string.data).render_text()
            if segment.context.path == "slug":
                russian = english
                if isinstance(instance, Page) and instance.depth == 2:
                    russian = f"{english}-{TARGET_LANGUAGE}"  # sibling of the English home
            elif english in catalogue:
                russian = catalogue.ru(english)
            else:
                missing.append(english)
                continue
            data = StringValue.from_plaintext(russian).data
            existing = StringTranslation.objects.filter(
                translation_of=segment.string, locale=self.ru, context=segment.context
            ).first()
            if existing is None:
                StringTranslation.objects.create(
                    translation_of=segment.string,
                    locale=self.ru,
                    context=segment.context,
                    data=data,
                    translation_type=StringTranslation.TRANSLATION_TYPE_MANUAL,
                    tool_name="alma_load_demo",
                )
                changed = True
            elif existing.data != data or existing.has_error:
                existing.data = data
                existing.has_error = False
                existing.field_error = ""
                existing.translation_type = StringTranslation.TRANSLATION_TYPE_MANUAL
                existing.save()
                changed = True
        if missing:
            raise DemoError(
                f"no Russian text for {len(missing)} string(s) of {instance}: "
                + "; ".join(repr(m[:60]) for m in missing[:5])
            )
        return changed
