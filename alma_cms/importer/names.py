"""Whether two written names are the same person (a minimal version: family name, in Latin
letters, and the first initial of the given name).

``name_key_variants(name)`` → a set of keys ("gorokhova|s", "gorokhova"); ``same_person(a, b)``
→ True when the family names agree (Cyrillic transliterated) and the given names' initials
agree, when both are given: "Svetlana A. Gorokhova" = "S. Gorokhova" = "Светлана
Александровна Горохова"."""

import re

_CYRILLIC = dict(
    zip(
        "абвгдеёжзийклмнопрстуфхцчшщъыьэюя",
        "a b v g d e e zh z i y k l m n o p r s t u f kh ts ch sh shch - y - e yu ya".split(),
        strict=True,
    )
)


def _latin(text):
    text = text.lower()
    return "".join(_CYRILLIC.get(char, char) for char in text).replace("-", "")


def _parts(name):
    words = [w for w in re.split(r"[\s.]+", name.strip()) if w]
    if not words:
        return "", ""
    family = re.sub(r"[^a-z]", "", _latin(words[-1]))
    given = _latin(words[0])[:1] if len(words) > 1 else ""
    return family, given


def name_key_variants(name):
    """Keys under which ``name`` may be found: "family|initial" and "family"."""
    family, given = _parts(name)
    if not family:
        return set()
    keys = {family}
    if given:
        keys.add(f"{family}|{given}")
    return keys


def same_person(a, b):
    """True when names ``a`` and ``b`` can be the same person."""
    family_a, given_a = _parts(a)
    family_b, given_b = _parts(b)
    if not family_a or family_a != family_b:
        return False
    return not given_a or not given_b or given_a == given_b
