"""Bad-request errors that name the query parameter at fault, and parsers that raise them."""

from wagtail.api.v2.utils import BadRequestError

from ..nul import NULL_CHARACTERS_MESSAGE, holds_nul

# The largest id any supported database column can hold (64-bit signed).
MAX_ID = 2**63 - 1


class ApiBadRequest(BadRequestError):
    """A 400 answer: ``{"message": ..., "parameter": ...}``.

    A subclass of Wagtail's ``BadRequestError``, so Wagtail's own code paths treat it alike.
    """

    def __init__(self, message, parameter=None):
        super().__init__(message)
        self.message = message
        self.parameter = parameter


def with_parameter(exc, parameter):
    """``exc`` (a BadRequestError) as an ApiBadRequest naming ``parameter``."""
    if isinstance(exc, ApiBadRequest) and exc.parameter:
        return exc
    return ApiBadRequest(str(exc), parameter)


def null_characters_error(parameter):
    """The 400 for a NUL character in ``parameter`` (see :mod:`alma_cms.api.nul`)."""
    return ApiBadRequest(f"{parameter}: {NULL_CHARACTERS_MESSAGE}", parameter)


def refuse_nul(parameter, *texts):
    """A 400 naming ``parameter`` when any of ``texts`` holds a NUL character."""
    if holds_nul(*texts):
        raise null_characters_error(parameter)


def is_ascii_digits(text):
    """True if ``text`` is ASCII digits only: the one rule for integers in the v2 API (Python's
    ``int()`` and ``str.isdigit()`` also take other scripts' digits, ``int()`` also ``_``,
    ``+`` and spaces)."""
    return text.isascii() and text.isdigit()


def parse_id(value, parameter):
    """A positive integer id, else a 400 naming ``parameter``."""
    text = str(value).strip()
    if not is_ascii_digits(text):
        raise ApiBadRequest(f"{parameter} must be a positive integer (an id)", parameter)
    number = int(text)
    if number < 1 or number > MAX_ID:
        raise ApiBadRequest(f"{parameter} must be a positive integer (an id)", parameter)
    return number


def parse_non_negative(value, parameter, maximum=MAX_ID):
    text = str(value).strip()
    if not is_ascii_digits(text):
        raise ApiBadRequest(f"{parameter} must be a positive integer", parameter)
    number = int(text)
    if number > maximum:
        raise ApiBadRequest(f"{parameter} cannot be higher than {maximum}", parameter)
    return number


def parse_choice(value, parameter, choices):
    """``value`` if it is one of ``choices`` (a list of (value, label) pairs or values)."""
    allowed = [c[0] if isinstance(c, (list, tuple)) else c for c in choices]
    if value not in allowed:
        raise ApiBadRequest(
            f"{parameter} must be one of: {', '.join(str(a) for a in allowed)}", parameter
        )
    return value
