"""Abstract page mixins: every field, rule and helper of the alma-cms page types.

Concrete pages (``alma_cms.pages.models``) combine each mixin with Wagtail's ``Page``. A site
with its own base page model (``WAGTAIL_PAGE_MODEL``) combines them with that model instead, in
its own app, and points ``ALMA_CMS["SPEAKER_PAGE_MODEL"]`` etc. at its classes. Fields meant for
``search_fields`` and ``api_fields`` are listed in ``alma_search_fields`` / ``alma_api_fields``
so the concrete class can add them to its base page's own lists.

Each mixin declares what the features below the pages need to know about it, as class
attributes: ``is_alma_page`` (every page type: listed by ``alma_cms.page_types``),
``json_ld_kind`` (the schema.org entity it describes, see ``alma_cms.structured_data``),
``is_calendar_event`` (a forum edition: one event of the iCalendar feeds, see ``alma_cms.ical``)
``listing_fields`` (what its teaser shows in an index page's listing, loaded in bulk with the
listing, see ``alma_cms.pages.prefetch``) and, optionally, a method ``reads_parent(names)`` (True
when showing the fields ``names`` of the page reads its parent page, which bulk loading then
loads with the others').

A page's HTML loads what its template shows in bulk before rendering (``get_context``), through
the request's scope, with the plan the API uses: see ``alma_cms.pages.prefetch``.
"""

import warnings

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext
from wagtail.admin.panels import (
    FieldPanel,
    FieldRowPanel,
    InlinePanel,
    MultiFieldPanel,
    TitleFieldPanel,
)
from wagtail.api import APIField
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Site, TranslatableMixin
from wagtail.search import index
from wagtail_localize.fields import SynchronizedField

from .. import ical
from .. import structured_data as json_ld
from ..api_fields import (
    ImageAPIField,
    OrganizationAPIField,
    PageLinkAPIField,
    RichTextAPIField,
    SpeakerAPIField,
)
from ..blocks.choosers import OrganizationChooserBlock
from ..blocks.content import LinkBlock
from ..blocks.guidelines import DirectionsStreamBlock, from_roman, number_directions, to_roman
from ..blocks.ids import assign_stable_list_ids, stream_fields
from ..blocks.streams import (
    AwardWinnersStreamBlock,
    announcement_body_blocks,
    award_body_blocks,
    edition_body_blocks,
)
from ..choices import (
    COUNT_QUALIFIER_HELP_TEXT,
    CountQualifier,  # also importable from here, as before
)
from ..conf import alma_settings
from ..fields import ExtensibleStreamField
from ..scope import get_scope
from .prefetch import prefetch_for_html


def rich_text_field(verbose_name, **kwargs):
    return RichTextField(
        verbose_name, blank=True, features=list(alma_settings.RICH_TEXT_FEATURES), **kwargs
    )


def non_negative():
    return [MinValueValidator(0)]


JSON_LD_API_FIELD = APIField("json_ld")


# The ``__init__`` methods that only act on new instances or on keyword arguments (Wagtail 7.4
# and 8, modelcluster, Django): a page class whose hierarchy after AlmaPageMixin defines no
# other may build a loaded row with Django's ``Model.__init__`` alone.
_PLAIN_INITS = {
    ("wagtail.models.pages", "AbstractPage"),
    ("wagtail.models.pages", "Page"),
    ("wagtail.models.pages", "ShowInMenusMixin"),
    ("wagtail.models", "Page"),
    ("modelcluster.models", "ClusterableModel"),
    ("django.db.models.base", "Model"),
    ("builtins", "object"),
}
_plain_loading = {}


def _loads_plainly(cls):
    """True if every ``__init__`` after AlmaPageMixin in ``cls``'s hierarchy is one of
    ``_PLAIN_INITS`` (kept per class)."""
    plain = _plain_loading.get(cls)
    if plain is None:
        mro = cls.__mro__
        after = mro[mro.index(AlmaPageMixin) + 1 :]
        plain = _plain_loading[cls] = all(
            (k.__module__, k.__qualname__) in _PLAIN_INITS
            for k in after
            if "__init__" in k.__dict__
        )
    return plain


class AlmaPageMixin(models.Model):
    """Shared by every alma-cms page type: the DISABLED_PAGE_TYPES setting, templates,
    schema.org structured data."""

    # The marker ``alma_cms.page_types.alma_page_models()`` lists page types by.
    is_alma_page = True
    # What the page describes in schema.org terms (a kind of ``alma_cms.structured_data``).
    json_ld_kind = json_ld.WEB_PAGE

    class Meta:
        abstract = True

    def __init__(self, *args, **kwargs):
        # A row from the database (``Model.from_db`` passes the column values by position, the
        # id first): Wagtail's and modelcluster's ``__init__`` act only on new instances (no
        # id) and on child objects passed by keyword, and cost ~30 µs a page (an edition
        # listing builds ~400). Skipped only when no other ``__init__`` follows in the class
        # hierarchy (``_loads_plainly``); signals and Django's own ``__init__`` run as usual.
        if args and not kwargs and args[0] is not None and _loads_plainly(type(self)):
            models.Model.__init__(self, *args)
            return
        super().__init__(*args, **kwargs)

    def save(self, *args, **kwargs):
        # Not on a partial save of other fields: reading the streams can load chosen objects.
        update_fields = kwargs.get("update_fields")
        if update_fields is None or any(f.name in update_fields for f in stream_fields(self)):
            assign_stable_list_ids(self)
        return super().save(*args, **kwargs)

    def serializable_data(self):
        # Revisions are serialised without save(); they need the same stored ids.
        assign_stable_list_ids(self)
        return super().serializable_data()

    def get_json_ld(self, request=None, scope=None):
        """The page's schema.org JSON-LD object (see ``alma_cms.structured_data``); ``scope``:
        the request's (default: ``get_scope(request)``)."""
        return json_ld.page_json_ld(self, request, scope)

    @property
    def json_ld(self):
        return self.get_json_ld()

    def route(self, request, path_components):
        # Wagtail serves a live page past its expire_at until publish_scheduled runs; the API,
        # the feeds and every listing hide it at once, so its own URL does too.
        if not path_components and self.expire_at is not None:
            if self.expire_at <= get_scope(request).now:
                raise Http404("This page has expired.")
        return super().route(request, path_components)

    def get_context(self, request, *args, **kwargs):
        """The template's context, with ``breadcrumbs`` (the page's ancestors) and, for an
        index page, ``children`` (see ``get_html_listing``); everything the template shows is
        loaded in bulk first, through the request's scope (``alma_cms.pages.prefetch``)."""
        context = super().get_context(request, *args, **kwargs)
        scope = get_scope(request)
        listing = self.get_html_listing(scope)
        if listing is not None:
            context["children"] = listing
        if self.pk is None:  # the preview of a page not created yet: nothing to load
            return context
        # base.html shows them from the third level down (below the site's home page).
        ancestors = list(self.get_ancestors()) if self.depth > 2 else []
        context["breadcrumbs"] = ancestors
        site = Site.find_for_request(request)  # cached on the request by Wagtail's routing
        site_root = site.root_page if site is not None else None
        prefetch_for_html(scope, self, listing or (), ancestors, site_root)
        return context

    def get_html_listing(self, scope):
        """What the page lists in its HTML (``children`` in the template), or None for a
        page that lists nothing (the default). ``scope``: the request's."""
        return None

    def assign_stable_list_ids(self):
        """Give every list item of every StreamField of the page the id it is stored with
        (``alma_cms.blocks.ids``): items stored in Wagtail's plain-list format get ids, so that
        they are translatable with wagtail-localize and keep their ids from load to load."""
        assign_stable_list_ids(self)

    @classmethod
    def is_disabled_on_this_site(cls):
        return cls.__name__ in alma_settings.DISABLED_PAGE_TYPES

    @classmethod
    def can_create_at(cls, parent):
        if cls.is_disabled_on_this_site():
            return False
        return super().can_create_at(parent)


class IndexPageMixin(AlmaPageMixin):
    json_ld_kind = json_ld.COLLECTION

    intro = rich_text_field(_("introduction"))

    content_panels = [TitleFieldPanel("title"), FieldPanel("intro")]
    alma_search_fields = [index.SearchField("intro")]
    alma_api_fields = [APIField("intro", serializer=RichTextAPIField()), JSON_LD_API_FIELD]

    class Meta:
        abstract = True

    def get_listing(self, scope=None):
        """The children anyone may see (the visibility rule of ``alma_cms.scope`` for an
        anonymous caller: live, not expired even before Wagtail's ``publish_scheduled`` has
        run, not restricted), as their specific classes, newest first where that has a
        meaning. ``scope``: the request's (default: ``get_scope()``); its anonymous rules
        apply, so a listing is the same for everyone."""
        scope = (scope if scope is not None else get_scope()).anonymous()
        return self.get_children().filter(scope.visible_q()).specific()

    def get_html_listing(self, scope):
        """``get_listing`` as a list, shared with the page's JSON-LD (one query for both)."""
        return scope.listing_of(self)


class CalendarFeedMixin(RoutablePageMixin):
    """Serves the page's iCalendar feed at ``<page URL>calendar/`` (see ``alma_cms.ical``)."""

    has_calendar_feed = True

    @path("calendar/", name="calendar")
    def calendar_feed(self, request):
        return self.serve_calendar_feed(request)

    def serve_calendar_feed(self, request):
        raise NotImplementedError

    def get_calendar_url(self, request=None):
        return ical.calendar_url(self, request)


class ForumIndexPageMixin(CalendarFeedMixin, IndexPageMixin):
    json_ld_kind = json_ld.EVENT_SERIES
    page_description = _(
        "The forum's own page: it lists the editions, newest first, with their calendar."
    )

    class Meta:
        abstract = True

    def get_listing(self, scope=None):
        """Editions, newest first."""
        editions = sorted(
            super().get_listing(scope), key=lambda page: page.start_date, reverse=True
        )
        for edition in editions:
            # Their parent is this page: ``display_series_title`` reads it without a query.
            edition._cached_parent_obj = self
        return editions

    def serve_calendar_feed(self, request):
        return ical.serve_index_calendar(self, request)


class ForumEditionPageMixin(CalendarFeedMixin, AlmaPageMixin):
    json_ld_kind = json_ld.EVENT
    is_calendar_event = True
    page_description = _(
        "One session of the forum: its dates, theme, programme, panels and figures. Goes "
        "under a forum index."
    )

    class Format(models.TextChoices):
        IN_PERSON = "in_person", _("In person")
        ONLINE = "online", _("Online")
        HYBRID = "hybrid", _("Hybrid")

    year = models.PositiveSmallIntegerField(
        _("year"),
        validators=[MinValueValidator(1900), MaxValueValidator(2999)],
        help_text=_("The year of the edition: the year of its start date (Event tab)."),
    )
    edition_number = models.PositiveSmallIntegerField(
        _("edition number"),
        null=True,
        blank=True,
        help_text=_("3 for the third session of the series."),
    )
    series_title = models.CharField(
        _("series title"),
        max_length=255,
        blank=True,
        help_text=_("Empty uses the title of the forum index page the edition is in."),
    )
    theme = models.CharField(_("theme"), max_length=500)
    start_date = models.DateField(
        _("start date"),
        help_text=_("The first day. Its year must be the edition's year (Content tab)."),
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("The last day; empty for a one-day edition. Not before the start date."),
    )
    duration_hours = models.DecimalField(
        _("duration in hours"),
        max_digits=4,
        decimal_places=1,
        null=True,
        blank=True,
        validators=non_negative(),
        help_text=_("How long the programme lasted, e.g. 4 or 2.5."),
    )
    format = models.CharField(
        _("format"),
        max_length=20,
        choices=Format.choices,
        default=Format.IN_PERSON,
        help_text=_("In person: at the venue only. Online: on the internet only. Hybrid: both."),
    )
    venue = models.CharField(_("venue"), max_length=255, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    host = models.ForeignKey(
        "alma_cms.Organization",
        verbose_name=_("host"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The organization that hosted the edition."),
    )
    moderator = models.ForeignKey(
        alma_settings.SPEAKER_PAGE_MODEL,
        verbose_name=_("moderator"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The speaker who moderated the edition as a whole."),
    )
    participant_count = models.PositiveIntegerField(
        _("participants"),
        null=True,
        blank=True,
        validators=non_negative(),
        help_text=_("How many people took part; empty if not known."),
    )
    participant_count_qualifier = models.CharField(
        _("participants: precision"),
        max_length=10,
        choices=CountQualifier.choices,
        default=CountQualifier.EXACT,
        help_text=COUNT_QUALIFIER_HELP_TEXT,
    )
    online_viewer_count = models.PositiveIntegerField(
        _("online viewers"),
        null=True,
        blank=True,
        validators=non_negative(),
        help_text=_("How many people watched online; empty if not known."),
    )
    online_viewer_count_qualifier = models.CharField(
        _("online viewers: precision"),
        max_length=10,
        choices=CountQualifier.choices,
        default=CountQualifier.EXACT,
        help_text=COUNT_QUALIFIER_HELP_TEXT,
    )
    countries_count = models.PositiveIntegerField(
        _("countries"),
        null=True,
        blank=True,
        validators=non_negative(),
        help_text=_("How many countries the participants came from; empty if not known."),
    )
    countries_count_qualifier = models.CharField(
        _("countries: precision"),
        max_length=10,
        choices=CountQualifier.choices,
        default=CountQualifier.EXACT,
        help_text=COUNT_QUALIFIER_HELP_TEXT,
    )
    regions_count = models.PositiveIntegerField(
        _("regions"),
        null=True,
        blank=True,
        validators=non_negative(),
        help_text=_("Regions of the host country represented."),
    )
    regions_count_qualifier = models.CharField(
        _("regions: precision"),
        max_length=10,
        choices=CountQualifier.choices,
        default=CountQualifier.EXACT,
        help_text=COUNT_QUALIFIER_HELP_TEXT,
    )
    recording_url = models.URLField(_("recording URL"), blank=True)
    summary = models.TextField(
        _("summary"), blank=True, help_text=_("One paragraph for listings and search results.")
    )
    outcome = rich_text_field(_("outcome"))
    body = ExtensibleStreamField(
        edition_body_blocks(), stream_key="edition_body", blank=True, verbose_name=_("body")
    )

    COUNT_FIELDS = ("participant_count", "online_viewer_count", "countries_count", "regions_count")

    content_panels = [
        TitleFieldPanel("title"),
        FieldRowPanel([FieldPanel("year"), FieldPanel("edition_number")]),
        FieldPanel("series_title"),
        FieldPanel("theme"),
        FieldPanel("summary"),
        FieldPanel("body"),
        FieldPanel("outcome"),
    ]
    event_panels = [
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("start_date"), FieldPanel("end_date")]),
                FieldPanel("duration_hours"),
                FieldPanel("format"),
            ],
            heading=_("When and how"),
        ),
        MultiFieldPanel(
            [FieldPanel("venue"), FieldPanel("city"), FieldPanel("host")],
            heading=_("Where and who"),
        ),
        FieldPanel("moderator"),
        FieldPanel("recording_url"),
    ]
    figures_panels = [
        FieldRowPanel([FieldPanel(name), FieldPanel(f"{name}_qualifier")]) for name in COUNT_FIELDS
    ]
    edit_tabs = [
        (_("Content"), content_panels),
        (_("Event"), event_panels),
        (_("Figures"), figures_panels),
    ]

    alma_search_fields = [
        index.SearchField("theme", boost=2),
        index.AutocompleteField("theme"),
        index.SearchField("series_title"),
        index.SearchField("summary"),
        index.SearchField("body"),
        index.SearchField("venue"),
        index.FilterField("year"),
        index.FilterField("format"),
        index.FilterField("start_date"),
    ]
    alma_api_fields = [
        APIField("year"),
        APIField("edition_number"),
        APIField("series_title"),
        APIField("display_series_title"),
        APIField("theme"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("duration_hours"),
        APIField("format"),
        APIField("venue"),
        APIField("city"),
        APIField("host", serializer=OrganizationAPIField()),
        APIField("moderator", serializer=SpeakerAPIField()),
        *[APIField(n) for n in COUNT_FIELDS],
        *[APIField(f"{n}_qualifier") for n in COUNT_FIELDS],
        APIField("recording_url"),
        APIField("summary"),
        APIField("outcome", serializer=RichTextAPIField()),
        APIField("body"),
        JSON_LD_API_FIELD,
    ]

    class Meta:
        abstract = True

    @property
    def display_series_title(self):
        """The name of the edition's series as shown (HTML, API, JSON-LD, iCal): its
        ``series_title``, else the title of the live forum index page it is in (the series'
        own page, in the edition's language), else ``""``: the package names no series.
        Reads ``get_parent()``, which page routing, the API's bulk loading (``reads_parent``)
        and ``ForumIndexPageMixin.get_listing`` cache: no query where editions are shown."""
        if self.series_title:
            return self.series_title
        parent = self.get_parent()  # None for a page not in the tree yet
        index_class = parent.specific_class if parent is not None else None
        if index_class is None or not issubclass(index_class, ForumIndexPageMixin):
            return ""
        return parent.title if parent.live else ""

    def reads_parent(self, names):
        """True if showing the fields ``names`` reads the parent page (``display_series_title``
        without a ``series_title``): bulk loading (``alma_cms.representations.prefetch``) then
        loads it with the other pages' parents."""
        return "display_series_title" in names and not self.series_title

    def serve_calendar_feed(self, request):
        return ical.serve_edition_calendar(self, request)

    @property
    def last_day(self):
        return self.end_date or self.start_date

    def covers(self, day):
        """True if ``day`` falls within this edition (its first to its last day)."""
        return self.start_date <= day <= self.last_day

    def clean(self):
        super().clean()
        errors = {}
        if self.start_date and self.year and self.start_date.year != self.year:
            errors["year"] = _("The year must agree with the start date (%(year)s).") % {
                "year": self.start_date.year
            }
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = _("The end date cannot be before the start date.")
        if errors:
            raise ValidationError(errors)


class SpeakerIndexPageMixin(IndexPageMixin):
    page_description = _("Lists the speakers by family name. Speaker pages go under it.")

    class Meta:
        abstract = True

    def get_listing(self, scope=None):
        return sorted(
            super().get_listing(scope), key=lambda p: (getattr(p, "family_name", ""), p.title)
        )


class SpeakerPageMixin(AlmaPageMixin):
    json_ld_kind = json_ld.PERSON
    page_description = _(
        "A person who spoke at the forum: name, photo, biography and the positions held over "
        "time. Goes under a speaker index."
    )
    # What a speaker's teaser in a listing shows (loaded in bulk for the index page).
    listing_fields = ("photo",)

    honorific_prefix = models.CharField(
        _("honorific prefix"), max_length=50, blank=True, help_text=_("e.g. Dr, Prof.")
    )
    given_name = models.CharField(_("given name"), max_length=100)
    middle_name = models.CharField(
        _("middle name"),
        max_length=100,
        blank=True,
        help_text=_('An initial ("A.") or a patronymic ("Alexandrovna").'),
    )
    family_name = models.CharField(_("family name"), max_length=100)
    photo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("photo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    short_bio = models.CharField(
        _("short biography"), max_length=500, blank=True, help_text=_("One sentence for listings.")
    )
    bio = rich_text_field(_("biography"))

    content_panels = [
        TitleFieldPanel("title", help_text=_("The name as shown on the page.")),
        MultiFieldPanel(
            [
                FieldPanel("honorific_prefix"),
                FieldRowPanel(
                    [FieldPanel("given_name"), FieldPanel("middle_name"), FieldPanel("family_name")]
                ),
            ],
            heading=_("Name"),
        ),
        FieldPanel("photo"),
        FieldPanel("short_bio"),
        FieldPanel("bio"),
    ]
    positions_panels = [InlinePanel("positions", label=_("Positions"), heading=_("Positions"))]
    edit_tabs = [(_("Profile"), content_panels), (_("Positions"), positions_panels)]

    alma_search_fields = [
        index.SearchField("given_name"),
        index.SearchField("family_name", boost=2),
        index.SearchField("middle_name"),
        index.AutocompleteField("family_name"),
        index.AutocompleteField("given_name"),
        index.SearchField("short_bio"),
        index.SearchField("bio"),
        index.FilterField("family_name"),
        index.RelatedFields(
            "positions", [index.SearchField("role_title"), index.SearchField("organization_name")]
        ),
    ]
    alma_api_fields = [
        APIField("full_name"),
        APIField("honorific_prefix"),
        APIField("given_name"),
        APIField("middle_name"),
        APIField("family_name"),
        APIField("photo", serializer=ImageAPIField()),
        APIField("short_bio"),
        APIField("bio", serializer=RichTextAPIField()),
        APIField("positions"),
        JSON_LD_API_FIELD,
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.number_positions()
        return super().save(*args, **kwargs)

    def serializable_data(self):
        # Revisions are serialized before the page is saved.
        self.number_positions()
        return super().serializable_data()

    @property
    def full_name(self):
        parts = [self.honorific_prefix, self.given_name, self.middle_name, self.family_name]
        return " ".join(p for p in parts if p)

    def positions_on(self, day):
        """Positions held on ``day`` (an empty end date means the position is current)."""
        return [p for p in self.positions.all() if p.held_on(day)]

    def role_on(self, day):
        """The title the speaker held on ``day``: "IFLA President-elect", or ""."""
        return "; ".join(p.label for p in self.positions_on(day))

    def full_clean(self, *args, **kwargs):
        # Before field validation, so an empty title (and the slug Wagtail derives from it)
        # is filled from the name rather than rejected.
        if not self.title and self.given_name and self.family_name:
            self.title = self.full_name
        return super().full_clean(*args, **kwargs)

    def number_positions(self):
        """Number the positions given without a ``sort_order``, in the order given.

        The admin's InlinePanel numbers rows; positions added in code (importers, the demo
        loader, tests) often are not, and rows whose ``sort_order`` is NULL come back from the
        database (and the API) in no defined order.
        """
        pending = getattr(self, "_cluster_related_objects", {}).get("positions")
        if not pending or not all(hasattr(row, "sort_order") for row in pending):
            return  # nothing given in code, or rows that are not Orderable
        taken = [row.sort_order for row in pending if row.sort_order is not None]
        following = max(taken, default=-1) + 1
        for row in pending:
            if row.sort_order is None:
                row.sort_order = following
                following += 1


class SpeakerPositionMixin(TranslatableMixin):
    """One row of a speaker's career. Concrete rows add ``page = ParentalKey(...)``.

    Translatable, so wagtail-localize offers role titles to translators with the speaker page.
    """

    class Precision(models.TextChoices):
        DAY = "day", _("Day")
        MONTH = "month", _("Month")
        YEAR = "year", _("Year")

    role_title = models.CharField(_("role"), max_length=255)
    organization = models.ForeignKey(
        "alma_cms.Organization",
        verbose_name=_("organization"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Choose the organization, or type its name in the next field: not both."),
    )
    organization_name = models.CharField(
        _("organization (free text)"),
        max_length=255,
        blank=True,
        help_text=_("For an organization that has no entry of its own."),
    )
    start_date = models.DateField(
        _("start date"), null=True, blank=True, help_text=_("Empty if not known.")
    )
    end_date = models.DateField(
        _("end date"),
        null=True,
        blank=True,
        help_text=_("Empty if the position is current. Not before the start date."),
    )
    date_precision = models.CharField(
        _("dates known to the"),
        max_length=5,
        choices=Precision.choices,
        default=Precision.DAY,
        help_text=_('How the dates are shown: "12 April 2019", "April 2019" or "2019".'),
    )

    panels = [
        FieldPanel("role_title"),
        FieldRowPanel([FieldPanel("organization"), FieldPanel("organization_name")]),
        FieldRowPanel(
            [FieldPanel("start_date"), FieldPanel("end_date"), FieldPanel("date_precision")]
        ),
    ]
    api_fields = [
        APIField("role_title"),
        APIField("organization", serializer=OrganizationAPIField()),
        APIField("organization_name"),
        APIField("organization_display"),
        APIField("label"),
        APIField("start_date"),
        APIField("end_date"),
        APIField("date_precision"),
        APIField("is_current"),
    ]

    class Meta(TranslatableMixin.Meta):
        abstract = True

    def __str__(self):
        return self.label

    @property
    def organization_display(self):
        if self.organization_id:
            return self.organization.display_name
        return self.organization_name

    @property
    def label(self):
        """The role as it is cited, in the row's own language: "IFLA President-elect" with an
        abbreviated organization, "Director, Ryazan Oblast Scientific Library" with a full
        name (Russian: "Избранный президент ИФЛА")."""
        org = self.organization_display
        if not org or org.lower() in self.role_title.lower():
            return self.role_title
        params = {"organization": org, "role": self.role_title}
        with translation.override(self.locale.language_code if self.locale_id else None):
            if self.organization_id and self.organization.short_name:
                return pgettext("position label", "%(organization)s %(role)s") % params
            return pgettext("position label", "%(role)s, %(organization)s") % params

    @property
    def is_current(self):
        return self.end_date is None

    def held_on(self, day):
        return (self.start_date is None or self.start_date <= day) and (
            self.end_date is None or day <= self.end_date
        )

    def clean(self):
        super().clean()
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The end date cannot be before the start date.")})
        if self.organization_id and self.organization_name:
            raise ValidationError(
                {"organization_name": _("Choose an organization or type its name, not both.")}
            )


class QuotationIndexPageMixin(IndexPageMixin):
    page_description = _("Lists the quotations. Quotation pages go under it.")

    class Meta:
        abstract = True


class QuotationPageMixin(AlmaPageMixin):
    json_ld_kind = json_ld.QUOTATION
    page_description = _(
        "Words a speaker said, with when and at which edition. Goes under a quotation index."
    )
    # What a quotation's teaser in a listing shows (loaded in bulk for the index page).
    listing_fields = ("speaker",)
    # A language code is the same in every translation: wagtail-localize would otherwise offer
    # it to translators as text (it treats a CharField without choices as translatable).
    override_translatable_fields = [SynchronizedField("original_language")]

    text = models.TextField(_("text"))
    speaker = models.ForeignKey(
        alma_settings.SPEAKER_PAGE_MODEL,
        verbose_name=_("speaker"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Who said it (required)."),
    )
    speaker_role = models.CharField(
        _("speaker's title at the time"),
        max_length=255,
        blank=True,
        help_text=_("Empty fills it from the speaker's positions on the date said."),
    )
    forum_edition = models.ForeignKey(
        alma_settings.FORUM_EDITION_PAGE_MODEL,
        verbose_name=_("forum edition"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The edition at which it was said, if any."),
    )
    said_on = models.DateField(
        _("said on"),
        null=True,
        blank=True,
        help_text=_("Within the edition's dates; empty uses the edition's first day."),
    )
    original_language = models.CharField(
        _("original language"),
        max_length=10,
        blank=True,
        help_text=_("Language code of the words as spoken, e.g. ru or en."),
    )
    context = models.TextField(_("context"), blank=True, help_text=_("Where and why it was said."))
    source_url = models.URLField(_("source URL"), blank=True)

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("text"),
        MultiFieldPanel(
            [FieldPanel("speaker"), FieldPanel("speaker_role")], heading=_("Who said it")
        ),
        MultiFieldPanel(
            [FieldPanel("forum_edition"), FieldPanel("said_on"), FieldPanel("original_language")],
            heading=_("When"),
        ),
        FieldPanel("context"),
        FieldPanel("source_url"),
    ]
    edit_tabs = [(_("Quotation"), content_panels)]

    alma_search_fields = [
        index.SearchField("text", boost=2),
        index.SearchField("speaker_role"),
        index.SearchField("context"),
        index.FilterField("speaker"),
        index.FilterField("forum_edition"),
        index.FilterField("said_on"),
    ]
    alma_api_fields = [
        APIField("text"),
        APIField("speaker", serializer=SpeakerAPIField()),
        APIField("speaker_role"),
        APIField("forum_edition", serializer=PageLinkAPIField()),
        APIField("said_on"),
        APIField("original_language"),
        APIField("context"),
        APIField("source_url"),
        JSON_LD_API_FIELD,
    ]

    class Meta:
        abstract = True

    def clean(self):
        super().clean()
        errors = {}
        if not self.speaker_id:
            errors["speaker"] = _("A quotation needs a speaker.")
        if not self.said_on and self.forum_edition_id:
            self.said_on = self.forum_edition.start_date
        edition = self.forum_edition if self.forum_edition_id else None
        if edition and self.said_on and not edition.covers(self.said_on):
            errors["said_on"] = _(
                "The date must fall within the forum edition (%(start)s – %(end)s)."
            ) % {"start": edition.start_date, "end": edition.last_day}
        if not errors and not self.speaker_role and self.said_on:
            self.speaker_role = self.speaker.specific.role_on(self.said_on)
        if errors:
            raise ValidationError(errors)


class GuidelineDocumentIndexPageMixin(IndexPageMixin):
    page_description = _(
        "Lists every guideline document of the site in its language, also those filed under "
        "an edition."
    )

    class Meta:
        abstract = True

    def get_listing(self, scope=None):
        """Every guideline document anyone may see in this page's language, newest first,
        wherever it lives: under this index or under the edition that adopted it. ``scope``:
        as for ``IndexPageMixin.get_listing``."""
        scope = (scope if scope is not None else get_scope()).anonymous()
        # The home page of this language tree bounds the search (one site, one language).
        home = self.get_ancestors().filter(depth=2).first() or self
        documents = []
        for model in self.allowed_subpage_models():
            documents.extend(
                model.objects.filter(scope.visible_q())
                .filter(locale_id=self.locale_id)
                .descendant_of(home)
            )
        return sorted(
            documents,
            key=lambda page: (
                getattr(page, "adopted_on", None) is not None,
                getattr(page, "adopted_on", None) or 0,
                page.pk,
            ),
            reverse=True,
        )


class GuidelineDocumentPageMixin(AlmaPageMixin):
    json_ld_kind = json_ld.GUIDELINE_DOCUMENT
    page_description = _(
        "A document adopted at the forum (final document, resolution, declaration...) with its "
        "numbered directions and guidelines. Goes under the edition that adopted it or under a "
        "guideline document index."
    )

    class DocumentType(models.TextChoices):
        FINAL_DOCUMENT = "final_document", _("Final document")
        RESOLUTION = "resolution", _("Resolution")
        DECLARATION = "declaration", _("Declaration")
        RECOMMENDATIONS = "recommendations", _("Recommendations")
        GUIDELINES = "guidelines", _("Guidelines")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        APPROVED = "approved", _("Approved")
        FINALIZED = "finalized", _("Finalized")

    class Nature(models.TextChoices):
        RECOMMENDATORY = "recommendatory", _("Recommendatory")
        BINDING = "binding", _("Binding")

    document_type = models.CharField(
        _("document type"),
        max_length=20,
        choices=DocumentType.choices,
        default=DocumentType.FINAL_DOCUMENT,
        help_text=_("What the document calls itself; shown above its title."),
    )
    adopted_on = models.DateField(
        _("adopted on"),
        null=True,
        blank=True,
        help_text=_(
            "Required unless the status is draft. Within the dates of the edition it was "
            "adopted at."
        ),
    )
    adopted_at = models.ForeignKey(
        alma_settings.FORUM_EDITION_PAGE_MODEL,
        verbose_name=_("adopted at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The forum edition that adopted the document, if any."),
    )
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_(
            'Draft: not adopted yet. Approved: adopted (see "approved by"). Finalized: the '
            'final text (see "finalized by"). An approved or finalized document needs its '
            "adoption date."
        ),
    )
    nature = models.CharField(
        _("nature"),
        max_length=20,
        choices=Nature.choices,
        default=Nature.RECOMMENDATORY,
        help_text=_("Recommendatory: advice to those it addresses. Binding: they must follow it."),
    )
    approved_by = models.CharField(
        _("approved by"),
        max_length=255,
        blank=True,
        help_text=_("e.g. the participants of the session."),
    )
    finalized_by = models.CharField(
        _("finalized by"), max_length=255, blank=True, help_text=_("e.g. the Steering Committee.")
    )
    audience = models.TextField(
        _("audience"), blank=True, help_text=_("Whom the document is addressed to.")
    )
    introduction = rich_text_field(_("introduction"))
    directions = StreamField(DirectionsStreamBlock(), blank=True, verbose_name=_("directions"))
    conclusion = rich_text_field(_("conclusion"))
    links = StreamField([("link", LinkBlock())], blank=True, verbose_name=_("links"))

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("introduction"),
        FieldPanel("directions"),
        FieldPanel("conclusion"),
        FieldPanel("links"),
    ]
    adoption_panels = [
        FieldRowPanel([FieldPanel("document_type"), FieldPanel("status"), FieldPanel("nature")]),
        FieldRowPanel([FieldPanel("adopted_on"), FieldPanel("adopted_at")]),
        FieldRowPanel([FieldPanel("approved_by"), FieldPanel("finalized_by")]),
        FieldPanel("audience"),
    ]
    edit_tabs = [(_("Document"), content_panels), (_("Adoption"), adoption_panels)]

    alma_search_fields = [
        index.SearchField("introduction"),
        index.SearchField("directions"),
        index.SearchField("conclusion"),
        index.SearchField("audience"),
        index.FilterField("document_type"),
        index.FilterField("status"),
        index.FilterField("adopted_on"),
        index.FilterField("adopted_at"),
    ]
    alma_api_fields = [
        APIField("document_type"),
        APIField("adopted_on"),
        APIField("adopted_at", serializer=PageLinkAPIField()),
        APIField("status"),
        APIField("nature"),
        APIField("approved_by"),
        APIField("finalized_by"),
        APIField("audience"),
        APIField("introduction", serializer=RichTextAPIField()),
        APIField("directions"),
        APIField("conclusion", serializer=RichTextAPIField()),
        APIField("links"),
        JSON_LD_API_FIELD,
    ]

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.assign_stable_direction_ids()
        return super().save(*args, **kwargs)

    def assign_stable_direction_ids(self):
        """Give every direction and guideline the id it is stored with, so that the ids stay
        the same from one load to the next (a guideline is cited and linked to by its id).

        Wagtail converts the raw JSON of a StreamField item to its block value only when the
        item is read, and stores an item never read back as it came. A direction assigned as raw
        data, with its guidelines in Wagtail's older plain-list format (no ids), would then be
        stored without guideline ids and get new random ones at every load. Converted, its
        guidelines have ids, and they are what gets stored.
        """
        assign_stable_list_ids(self)  # every StreamField, directions included

    def materialise_directions(self):
        """Deprecated name of :meth:`assign_stable_direction_ids`."""
        warnings.warn(
            "materialise_directions() is deprecated; use assign_stable_direction_ids().",
            DeprecationWarning,
            stacklevel=2,
        )
        self.assign_stable_direction_ids()

    def serializable_data(self):
        # Revisions are serialised without save(); they need the same stored ids.
        self.assign_stable_direction_ids()
        return super().serializable_data()

    @property
    def numbered_directions(self):
        # Computed on each access (cheap): it must follow edits to `directions` at once.
        return number_directions(self.directions)

    def iter_guidelines(self):
        for direction in self.numbered_directions:
            for guideline in direction.guidelines:
                yield direction, guideline

    def get_guideline(self, reference):
        """``(direction, guideline)`` for "II.3" (or "ii.3") or a guideline's stable id.

        Raises ``LookupError`` when nothing matches.
        """
        reference = str(reference).strip()
        number = None
        if "." in reference:
            roman, _sep, position = reference.partition(".")
            try:
                number = f"{to_roman_checked(roman)}.{int(position)}"
            except ValueError:
                number = None
        for direction, guideline in self.iter_guidelines():
            if guideline.id == reference or guideline.number == number:
                return direction, guideline
        raise LookupError(f"No guideline {reference!r} in this document")

    def clean(self):
        super().clean()
        edition = self.adopted_at if self.adopted_at_id else None
        if edition and self.adopted_on and not edition.covers(self.adopted_on):
            raise ValidationError(
                {
                    "adopted_on": _(
                        "The adoption date must fall within the forum edition it was adopted at."
                    )
                }
            )
        if self.status != self.Status.DRAFT and not self.adopted_on:
            raise ValidationError(
                {"adopted_on": _("An approved or finalized document needs its adoption date.")}
            )


def to_roman_checked(text):
    return to_roman(from_roman(text))


class AwardPageMixin(AlmaPageMixin):
    json_ld_kind = json_ld.AWARD
    page_description = _(
        "An award: its purpose, rules and partners. Its announcements go under it."
    )

    name = models.CharField(_("name"), max_length=255)
    named_after = models.CharField(_("named after"), max_length=255, blank=True)
    established_on = models.DateField(_("established on"), null=True, blank=True)
    established_by = models.ForeignKey(
        "alma_cms.Organization",
        verbose_name=_("established by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    partners = StreamField(
        [("organization", OrganizationChooserBlock(label=_("Organization")))],
        blank=True,
        verbose_name=_("partners"),
    )
    purpose = rich_text_field(_("purpose"))
    eligibility = rich_text_field(_("eligibility"))
    criteria = rich_text_field(_("criteria"))
    prizes = rich_text_field(_("prizes"))
    body = ExtensibleStreamField(
        award_body_blocks(), stream_key="award_body", blank=True, verbose_name=_("body")
    )

    content_panels = [
        TitleFieldPanel("title"),
        FieldPanel("name"),
        FieldPanel("named_after"),
        FieldPanel("purpose"),
        FieldPanel("body"),
    ]
    rules_panels = [FieldPanel("eligibility"), FieldPanel("criteria"), FieldPanel("prizes")]
    establishment_panels = [
        FieldRowPanel([FieldPanel("established_on"), FieldPanel("established_by")]),
        FieldPanel("partners"),
    ]
    edit_tabs = [
        (_("Award"), content_panels),
        (_("Rules"), rules_panels),
        (_("Establishment"), establishment_panels),
    ]

    alma_search_fields = [
        index.SearchField("name", boost=2),
        index.AutocompleteField("name"),
        index.SearchField("named_after"),
        index.SearchField("purpose"),
        index.SearchField("eligibility"),
        index.SearchField("criteria"),
        index.SearchField("body"),
        index.FilterField("established_on"),
    ]
    alma_api_fields = [
        APIField("name"),
        APIField("named_after"),
        APIField("established_on"),
        APIField("established_by", serializer=OrganizationAPIField()),
        APIField("partners"),
        APIField("purpose", serializer=RichTextAPIField()),
        APIField("eligibility", serializer=RichTextAPIField()),
        APIField("criteria", serializer=RichTextAPIField()),
        APIField("prizes", serializer=RichTextAPIField()),
        APIField("body"),
        JSON_LD_API_FIELD,
    ]

    class Meta:
        abstract = True


class AwardAnnouncementPageMixin(AlmaPageMixin):
    json_ld_kind = json_ld.AWARD_ANNOUNCEMENT
    page_description = _(
        "News of an award: established, call for nominations, shortlist or winners. Goes under "
        "the award."
    )

    class Kind(models.TextChoices):
        ESTABLISHED = "established", _("Award established")
        CALL_FOR_NOMINATIONS = "call_for_nominations", _("Call for nominations")
        SHORTLIST = "shortlist", _("Shortlist")
        WINNERS = "winners", _("Winners")

    season_year = models.PositiveSmallIntegerField(
        _("season"),
        validators=[MinValueValidator(1900), MaxValueValidator(2999)],
        help_text=_(
            "The year of the award round it belongs to, e.g. 2022 for the call, the shortlist "
            "and the winners of 2022, whenever they are announced."
        ),
    )
    announced_on = models.DateField(
        _("announced on"),
        null=True,
        blank=True,
        help_text=_("Within the dates of the edition it was announced at, if one is chosen."),
    )
    announced_at = models.ForeignKey(
        alma_settings.FORUM_EDITION_PAGE_MODEL,
        verbose_name=_("announced at"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("The forum edition at which it was announced, if any."),
    )
    kind = models.CharField(
        _("kind"),
        max_length=30,
        choices=Kind.choices,
        help_text=_('What is announced. "Winners" needs at least one winner (Winners tab).'),
    )
    summary = models.TextField(_("summary"), blank=True)
    winners = StreamField(
        AwardWinnersStreamBlock(),
        blank=True,
        verbose_name=_("winners"),
        help_text=_("At least one for a winners announcement."),
    )
    body = ExtensibleStreamField(
        announcement_body_blocks(),
        stream_key="announcement_body",
        blank=True,
        verbose_name=_("body"),
    )

    content_panels = [
        TitleFieldPanel("title"),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("season_year")]),
        FieldRowPanel([FieldPanel("announced_on"), FieldPanel("announced_at")]),
        FieldPanel("summary"),
        FieldPanel("body"),
    ]
    winners_panels = [FieldPanel("winners")]
    edit_tabs = [(_("Announcement"), content_panels), (_("Winners"), winners_panels)]

    alma_search_fields = [
        index.SearchField("summary"),
        index.SearchField("winners"),
        index.SearchField("body"),
        index.FilterField("kind"),
        index.FilterField("season_year"),
        index.FilterField("announced_on"),
    ]
    alma_api_fields = [
        APIField("kind"),
        APIField("season_year"),
        APIField("announced_on"),
        APIField("announced_at", serializer=PageLinkAPIField()),
        APIField("summary"),
        APIField("winners"),
        APIField("body"),
        APIField("award", serializer=PageLinkAPIField()),
        JSON_LD_API_FIELD,
    ]

    class Meta:
        abstract = True

    @property
    def award(self):
        parent = self.get_parent()
        return parent.specific if parent else None

    def clean(self):
        super().clean()
        errors = {}
        if self.kind == self.Kind.WINNERS and not len(self.winners or []):
            errors["winners"] = _("A winners announcement needs at least one winner.")
        edition = self.announced_at if self.announced_at_id else None
        if edition and self.announced_on and not edition.covers(self.announced_on):
            errors["announced_on"] = _(
                "The date must fall within the forum edition it was announced at."
            )
        if errors:
            raise ValidationError(errors)
