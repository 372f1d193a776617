"""Signed headless-preview tokens: one token opens one page revision, for a limited time.

An editor's "Preview in front-end" action (``alma_cms.wagtail_hooks``) mints a token for a
revision with :func:`make_preview_token` and sends the browser to
``ALMA_CMS["PREVIEW_FRONTEND_URL"]`` with the token in it. The front-end passes the token to
the preview API endpoint (``alma_cms.preview_views``), which checks it with
:func:`read_preview_token` / :func:`get_preview_revision` and returns the page as of that
revision.

A token is ``django.core.signing.dumps({"revision_id": ..., "page_id": ...})`` with a salt used
for nothing else: it is signed with ``SECRET_KEY`` (``SECRET_KEY_FALLBACKS`` are honoured when
reading), carries its creation time and is refused once older than
``ALMA_CMS["PREVIEW_TOKEN_MAX_AGE"]`` seconds. It is not encrypted: anybody holding it can read
the two ids, and anybody holding it can see the draft until it expires - treat it like a
short-lived password.
"""

import datetime
from dataclasses import dataclass

import swapper
from django.core import signing
from django.utils.translation import gettext_lazy as _
from wagtail.models import Revision

from .conf import alma_settings

SALT = "alma_cms.preview.token"


class PreviewError(Exception):
    """A token that cannot open a preview. ``status`` and ``code`` become the API error."""

    status = 403
    code = "preview_error"
    default_message = _("This preview link cannot be used.")

    def __init__(self, message=None):
        self.message = str(message or self.default_message)
        super().__init__(self.message)


class PreviewTokenMissing(PreviewError):
    status = 400
    code = "token_missing"
    default_message = _("A preview token is required.")


class PreviewTokenInvalid(PreviewError):
    status = 403
    code = "token_invalid"
    default_message = _("The preview token is not valid.")


class PreviewTokenExpired(PreviewError):
    status = 403
    code = "token_expired"
    default_message = _("The preview token has expired. Open the preview from the admin again.")


class PreviewRevisionGone(PreviewError):
    status = 410
    code = "revision_gone"
    default_message = _("The page revision of this preview no longer exists.")


@dataclass(frozen=True)
class PreviewToken:
    """What a valid token says: the revision, its page, and when the token stops working."""

    revision_id: int
    page_id: int
    issued_at: datetime.datetime
    expires_at: datetime.datetime


def page_model():
    """The site's base page model (``WAGTAIL_PAGE_MODEL`` on Wagtail 8, else ``Page``)."""
    return swapper.load_model("wagtailcore", "Page")


def is_page_revision(revision):
    model = revision.base_content_type.model_class()
    return model is not None and issubclass(model, page_model())


def max_age():
    return alma_settings.PREVIEW_TOKEN_MAX_AGE


def make_preview_token(revision):
    """A signed token for ``revision`` (a page revision), valid for ``PREVIEW_TOKEN_MAX_AGE``."""
    if revision.pk is None or not is_page_revision(revision):
        raise ValueError("A preview token needs a saved page revision.")
    payload = {"revision_id": revision.pk, "page_id": int(revision.object_id)}
    return signing.dumps(payload, salt=SALT)


def read_preview_token(token, max_age_seconds=None):
    """The :class:`PreviewToken` in ``token``; raises a :class:`PreviewError` when the token is
    missing, altered, signed with another key or salt, or older than the allowed age.

    Does not touch the database: see :func:`get_preview_revision`.
    """
    if not token:
        raise PreviewTokenMissing()
    if max_age_seconds is None:
        max_age_seconds = max_age()
    try:
        payload = signing.loads(token, salt=SALT, max_age=max_age_seconds)
    except signing.SignatureExpired as exc:
        raise PreviewTokenExpired() from exc
    except signing.BadSignature as exc:
        raise PreviewTokenInvalid() from exc
    # Signed by us, so well-formed unless the payload format changed between versions.
    try:
        revision_id, page_id = int(payload["revision_id"]), int(payload["page_id"])
        # "<payload>:<timestamp>:<signature>"; the signature covering it was just checked.
        timestamp = signing.b62_decode(token.rsplit(":", 2)[1])
    except (KeyError, TypeError, ValueError, IndexError) as exc:
        raise PreviewTokenInvalid() from exc
    issued_at = datetime.datetime.fromtimestamp(timestamp, tz=datetime.UTC)
    return PreviewToken(
        revision_id=revision_id,
        page_id=page_id,
        issued_at=issued_at,
        expires_at=issued_at + datetime.timedelta(seconds=max_age_seconds),
    )


def get_preview_revision(token, max_age_seconds=None):
    """The page :class:`~wagtail.models.Revision` that ``token`` (a string, or a
    :class:`PreviewToken` already read) opens.

    Raises :class:`PreviewRevisionGone` when the revision or its page has been deleted, and
    whatever :func:`read_preview_token` raises.
    """
    if isinstance(token, PreviewToken):
        data = token
    else:
        data = read_preview_token(token, max_age_seconds)
    revision = (
        Revision.objects.select_related("base_content_type", "content_type")
        .filter(pk=data.revision_id, object_id=str(data.page_id))
        .first()
    )
    if revision is None or not is_page_revision(revision):
        raise PreviewRevisionGone()
    if not page_model().objects.filter(pk=data.page_id).exists():
        raise PreviewRevisionGone(_("The page of this preview has been deleted."))
    return revision


def preview_frontend_url(revision):
    """``PREVIEW_FRONTEND_URL`` with a fresh token for ``revision``, or ``None`` when headless
    preview is not configured."""
    template = alma_settings.PREVIEW_FRONTEND_URL
    if not template:
        return None
    return template.format(token=make_preview_token(revision))
