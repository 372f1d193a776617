"""Russian case endings the importer undoes: a role after "в роли" (genitive) and a city after
"в" (locative), back to the nominative a page stores.

Only common, regular endings are handled (docs/import.md lists them); anything else is kept as
written, since a word left in the genitive is easier for an editor to spot than a wrong guess."""

import re

# Head nouns in the genitive, ordered: the first matching ending wins. (ending, replacement)
_NOUN_ENDINGS = (
    ("ства", "ство"),  # Агентства → Агентство (neuter)
    ("теля", "тель"),  # Хранителя → Хранитель
    ("еца", "ец"),  # Кузнеца → Кузнец
    ("ца", "ец"),  # Творца → Творец (the fleeting "е" comes back)
    ("ии", "ия"),  # Лаборатории → Лаборатория
    ("ора", "ор"),  # Координатора → Координатор
    ("ера", "ер"),  # Визионера → Визионер
    ("ёра", "ёр"),  # Партнёра → Партнёр
    ("ика", "ик"),  # Аналитика, Наставника → Аналитик, Наставник
    ("ента", "ент"),
    ("анта", "ант"),
    ("иста", "ист"),
    ("рта", "рт"),  # Эксперта → Эксперт
    ("ога", "ог"),  # Технолога → Технолог
    ("ата", "ат"),
    ("тра", "тр"),  # Центра → Центр
    ("ки", "ка"),  # Площадки → Площадка (after к, г, х the feminine -ы is written -и)
    ("ги", "га"),
    ("хи", "ха"),
    ("ы", "а"),  # Школы → Школа
)
# Adjectives before the noun: (ending, masculine replacement); feminine ones end -ой/-ей.
_STRESSED = {"основного", "большого", "молодого", "ключевого", "мирового", "отраслевого"}
_STRESSED |= {"передового", "делового", "головного", "городского", "краевого", "мужского"}


def _with_case(word, stem, ending):
    return word[: len(stem)] + (ending.upper() if word[len(stem) :].isupper() else ending)


def _replace(word, rules):
    lower = word.lower()
    for ending, nominative in rules:
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            stem = word[: len(word) - len(ending)]
            return _with_case(word, stem, nominative)
    return None


def _noun(word):
    """A genitive noun's nominative, hyphenated parts each ("Маркетолога-аналитика"); None when
    an ending is not one of the rules."""
    parts = [_replace(part, _NOUN_ENDINGS) for part in word.split("-")]
    return None if None in parts else "-".join(parts)


def _adjective(word):
    lower = word.lower()
    if lower in _STRESSED:
        return _with_case(word, word[:-3], "ой")
    for ending, nominative in (
        ("кого", "кий"),  # Российского → Российский
        ("гого", "гий"),
        ("хого", "хий"),
        ("ого", "ый"),  # Главного → Главный
        ("его", "ий"),  # Ведущего → Ведущий
        ("ой", "ая"),  # Главной (площадки) → Главная
        ("жей", "жая"),
        ("шей", "шая"),
        ("чей", "чая"),
        ("щей", "щая"),  # Ведущей → Ведущая
        ("ей", "яя"),  # Синей → Синяя
    ):
        if lower.endswith(ending) and len(lower) > len(ending) + 1:
            return _with_case(word, word[: len(word) - len(ending)], nominative)
    return None


def role_nominative(role):
    """ "Координатора" → "Координатор", "Ведущего партнёра" → "Ведущий партнёр", "Центра
    компетенций" → "Центр компетенций" (what follows the head noun stays: it is its genitive
    complement). The role as written when its head noun's ending is not a known one."""
    words = role.split(" ")
    out = []
    for index, word in enumerate(words):
        adjective = _adjective(word) if index < len(words) - 1 else None
        if (
            adjective is not None
            and _noun(words[index + 1]) is not None
            or (adjective is not None and _adjective(words[index + 1]) is not None)
        ):
            out.append(adjective)
            continue
        noun = _noun(word)
        if noun is None:
            return role
        return " ".join([*out, noun, *words[index + 1 :]])
    return role


# A city after "в": the locative. Only the endings that map back unambiguously.
_CITY_ENDINGS = (
    ("ске", "ск"),  # Новосибирске → Новосибирск
    ("граде", "град"),  # Волгограде → Волгоград
    ("бурге", "бург"),  # Екатеринбурге → Екатеринбург
    ("поле", "поль"),  # Севастополе → Севастополь
    ("ове", "ов"),  # Саратове → Саратов
    ("еве", "ев"),  # Киеве → Киев
    ("ине", "ин"),  # Калинине → Калинин
    ("ани", "ань"),  # Казани → Казань
    ("ге", "г"),  # Выборге → Выборг
)
_CITIES_AS_WRITTEN = {"москве": "Москва", "самаре": "Самара", "уфе": "Уфа", "казани": "Казань"}
_CITIES_AS_WRITTEN |= {"туле": "Тула", "твери": "Тверь", "перми": "Пермь", "вологде": "Вологда"}
_CITIES_AS_WRITTEN |= {"калуге": "Калуга", "рязани": "Рязань", "кирове": "Киров"}
_CITIES_AS_WRITTEN |= {"санкт-петербурге": "Санкт-Петербург", "ростове-на-дону": "Ростов-на-Дону"}


def city_nominative(city):
    """ "Новосибирске" → "Новосибирск", "Москве" → "Москва"; "" when the ending is ambiguous
    (a feminine "-е" city other than the known ones), so no wrong city is stored."""
    known = _CITIES_AS_WRITTEN.get(city.lower())
    if known:
        return known
    if not re.fullmatch(r"[А-ЯЁ][а-яё]+(?:-[А-ЯЁа-яё][а-яё]+)*", city):
        return ""
    return _replace(city, _CITY_ENDINGS) or ""
