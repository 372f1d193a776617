"""Input both API versions refuse, whatever each then answers (v2: a 400, v3: a 422).

A NUL character in a query parameter reaches PostgreSQL (which refuses it in text) or a search
backend as a 500, so the API refuses it first, naming the parameter.
"""

NUL = "\x00"
NULL_CHARACTERS_MESSAGE = "null characters are not allowed"


def holds_nul(*texts):
    """True when any of ``texts`` (strings) holds a NUL character."""
    return any(NUL in text for text in texts)


def parameter_holding_nul(query):
    """The name of the first query parameter whose name or one of whose values holds a NUL
    character, else None. ``query``: a ``QueryDict`` (``request.GET``)."""
    for name, values in query.lists():
        if holds_nul(name, *values):
            return name
    return None
