"""The facts of the ALMA demo site, with prose written for the demo.

Facts (dates, figures, names, titles, themes, guideline titles and the five quotations) come
from the two seed documents in ``/work/shared/reference``: the ALMA 2019 Final Document and the
report on ALMA 2021. Everything else is our own wording. Each translatable string is written as
``t("English", "Русский")`` (see :mod:`sandbox.demo.i18n`).

References between objects are symbolic: ``("org", "lfl")``, ``("speaker", "mackenzie")``,
``("page", "edition-2021")``. Stream values are built by functions that receive ``ref``, which
turns such a key into the saved object. Block ids are derived from stable keys
(:func:`block_id`) so that reloading never changes them.
"""

import calendar
import uuid
from datetime import date

from .i18n import rich, t

NAMESPACE = uuid.UUID("5d0c3f0e-4f5b-4c4e-9d0a-a1a2a3a4a5a6")


def stable_uuid(*parts):
    return str(uuid.uuid5(NAMESPACE, "/".join(str(p) for p in parts)))


def block_id(*parts):
    return stable_uuid("block", *parts)


def translation_key(kind, key):
    return uuid.UUID(stable_uuid("translation-key", kind, key))


def block(block_type, value, *key):
    return {"type": block_type, "value": value, "id": block_id(*key)}


def item(value, *key):
    """A ListBlock item in Wagtail's block format, with a stable id."""
    return {"type": "item", "value": value, "id": block_id(*key)}


# --- Dates ----------------------------------------------------------------------------------
# Positions known to the month or the year cover the whole period: a month-precision end in
# August 2019 is 31 August 2019, a year-precision start in 2013 is 1 January 2013.


def period_start(year, month=None):
    return date(year, month or 1, 1)


def period_end(year, month=None):
    if month is None:
        return date(year, 12, 31)
    return date(year, month, calendar.monthrange(year, month)[1])


SESSION_2019 = date(2019, 4, 25)
SESSION_2021 = date(2021, 4, 20)

SERIES_TITLE = t("Shaping the Future of Libraries", "Формируя будущее библиотек")

# --- Home and section pages -----------------------------------------------------------------

WAGTAIL_DEFAULT_HOME_TITLE = "Welcome to your new Wagtail site!"
HOME_TITLE = t(
    "ALMA: April Library Moscow Agenda", "ALMA: международный библиотечный форум в Москве"
)
HOME = {
    "key": "home",
    "slug": "home",
    "title": HOME_TITLE,
    "intro": rich(
        t(
            "Every April, library leaders from Russia and abroad meet at the Library for Foreign "
            "Literature in Moscow to ask where libraries are heading. Here are the forum’s "
            "editions, the words of its speakers, the documents it adopted and the award it "
            "founded.",
            "Каждый апрель руководители библиотек из России и других стран собираются в "
            "Библиотеке иностранной литературы в Москве, чтобы обсудить, куда движутся "
            "библиотеки. Здесь собраны сессии форума, высказывания его спикеров, принятые на нём "
            "документы и учреждённая им премия.",
        ),
    ),
}

FORUM_INDEX = {
    "key": "forum-index",
    "slug": "alma",
    "title": t("ALMA", "Форум ALMA"),
    "intro": rich(
        t(
            "ALMA, the April Library Moscow Agenda, is an international forum held every April at "
            "the M.I. Rudomino All-Russia State Library for Foreign Literature in Moscow. Under "
            "the series title “Shaping the Future of Libraries” it brings IFLA leaders, library "
            "associations and practitioners from Russia and abroad together to ask where "
            "libraries are heading.",
            "ALMA (April Library Moscow Agenda) — международный форум, который каждый апрель "
            "проходит во Всероссийской государственной библиотеке иностранной литературы имени "
            "М.И. Рудомино в Москве. Под общим названием «Формируя будущее библиотек» он "
            "собирает руководителей ИФЛА, библиотечные ассоциации и практиков из России и "
            "других стран, чтобы обсудить, куда движутся библиотеки.",
        ),
    ),
}

SPEAKER_INDEX = {
    "key": "speaker-index",
    "slug": "speakers",
    "title": t("Speakers", "Спикеры"),
    "intro": rich(
        t(
            "Library leaders, officials and researchers who have spoken at ALMA. Each profile "
            "lists the positions its speaker has held, so that a quotation can keep the title "
            "its speaker had on the day.",
            "Руководители библиотек, представители власти и исследователи, выступавшие на ALMA. "
            "В профиле каждого спикера перечислены его должности, поэтому цитата сохраняет ту "
            "должность, которую спикер занимал в день выступления.",
        ),
    ),
}

QUOTATION_INDEX = {
    "key": "quotation-index",
    "slug": "quotations",
    "title": t("Quotations", "Цитаты"),
    "intro": rich(
        t(
            "Words spoken at ALMA forums, each with its speaker's title at the time it was said.",
            "Высказывания участников форумов ALMA — каждое с должностью, которую спикер "
            "занимал в момент выступления.",
        ),
    ),
}

DOCUMENT_INDEX = {
    "key": "document-index",
    "slug": "documents",
    "title": t("Documents", "Документы"),
    "intro": rich(
        t(
            "Documents adopted at ALMA forums: final documents, resolutions and recommendations "
            "for the library community. A document adopted at a forum is published with that "
            "forum's edition.",
            "Документы, принятые на форумах ALMA: итоговые документы, резолюции и рекомендации "
            "для библиотечного сообщества. Документ, принятый на форуме, публикуется вместе со "
            "страницей соответствующего форума.",
        ),
    ),
}

# --- Organizations --------------------------------------------------------------------------

MOSCOW = t("Moscow", "Москва")
SAINT_PETERSBURG = t("Saint Petersburg", "Санкт-Петербург")

ORGANIZATIONS = [
    {
        "key": "lfl",
        "name": t(
            "M.I. Rudomino All-Russia State Library for Foreign Literature",
            "Всероссийская государственная библиотека иностранной литературы имени М.И. Рудомино",
        ),
        "short_name": t("LFL", "ВГБИЛ"),
        "kind": "library",
        "city": MOSCOW,
        "country": "RU",
        "url": "https://libfl.ru",
    },
    {
        "key": "ifla",
        "name": t(
            "International Federation of Library Associations and Institutions",
            "Международная федерация библиотечных ассоциаций и учреждений",
        ),
        "short_name": t("IFLA", "ИФЛА"),
        "kind": "association",
        "city": t("The Hague", "Гаага"),
        "country": "NL",
        "url": "https://www.ifla.org",
    },
    {
        "key": "rla",
        "name": t("Russian Library Association", "Российская библиотечная ассоциация"),
        "short_name": t("RLA", "РБА"),
        "kind": "association",
        "city": SAINT_PETERSBURG,
        "country": "RU",
        "url": "https://www.rba.ru",
    },
    {
        "key": "ala",
        "name": t("American Library Association", "Американская библиотечная ассоциация"),
        "short_name": t("ALA", "АБА"),
        "kind": "association",
        "city": t("Chicago", "Чикаго"),
        "country": "US",
        "url": "https://www.ala.org",
    },
    {
        "key": "rsl",
        "name": t("Russian State Library", "Российская государственная библиотека"),
        "short_name": t("RSL", "РГБ"),
        "kind": "library",
        "city": MOSCOW,
        "country": "RU",
        "url": "https://www.rsl.ru",
    },
    {
        "key": "ministry",
        "name": t(
            "Ministry of Culture of the Russian Federation",
            "Министерство культуры Российской Федерации",
        ),
        "kind": "government",
        "city": MOSCOW,
        "country": "RU",
        "url": "https://culture.gov.ru",
    },
    {
        "key": "modern-library",
        "name": t("ID Modern Library", "ИД «Современная библиотека»"),
        "kind": "company",
        "country": "RU",
    },
    {
        "key": "culture-portal",
        "name": t("Russian Federation Culture portal", "Портал «Культура.РФ»"),
        "kind": "media",
        "country": "RU",
        "url": "https://www.culture.ru",
    },
    {
        "key": "sphl",
        "name": t(
            "State Public Historical Library",
            "Государственная публичная историческая библиотека России",
        ),
        "short_name": t("SPHL", "ГПИБ"),
        "kind": "library",
        "city": MOSCOW,
        "country": "RU",
    },
    {
        "key": "saratov",
        "name": t(
            "Saratov Oblast Universal Scientific Library",
            "Саратовская областная универсальная научная библиотека",
        ),
        "kind": "library",
        "city": t("Saratov", "Саратов"),
        "country": "RU",
    },
    {
        "key": "novosibirsk",
        "name": t(
            "Novosibirsk State Oblast Scientific Library",
            "Новосибирская государственная областная научная библиотека",
        ),
        "kind": "library",
        "city": t("Novosibirsk", "Новосибирск"),
        "country": "RU",
    },
    {
        "key": "mayakovsky",
        "name": t(
            "V.V. Mayakovsky Central City Public Library",
            "Центральная городская публичная библиотека имени В.В. Маяковского",
        ),
        "kind": "library",
        "city": SAINT_PETERSBURG,
        "country": "RU",
    },
    {
        "key": "ryazan",
        "name": t("Ryazan Oblast Scientific Library", "Рязанская областная научная библиотека"),
        "kind": "library",
        "city": t("Ryazan", "Рязань"),
        "country": "RU",
    },
    {
        "key": "irkutsk",
        "name": t(
            "I.I. Molchanov-Sibirsky Irkutsk Oblast State Universal Scientific Library",
            "Иркутская областная государственная универсальная научная библиотека "
            "имени И.И. Молчанова-Сибирского",
        ),
        "kind": "library",
        "city": t("Irkutsk", "Иркутск"),
        "country": "RU",
    },
    {
        "key": "astrakhan",
        "name": t(
            "B. Shakhovskoy Astrakhan Oblast Library for Young Adults",
            "Астраханская областная библиотека для молодёжи имени Б. Шаховского",
        ),
        "kind": "library",
        "city": t("Astrakhan", "Астрахань"),
        "country": "RU",
    },
    {
        "key": "norilsk",
        "name": t(
            "Centralized Library System of Norilsk",
            "Централизованная библиотечная система города Норильска",
        ),
        "kind": "library",
        "city": t("Norilsk", "Норильск"),
        "country": "RU",
    },
    {
        "key": "murmansk",
        "name": t(
            "Murmansk State Oblast Universal Scientific Library",
            "Мурманская государственная областная универсальная научная библиотека",
        ),
        "kind": "library",
        "city": t("Murmansk", "Мурманск"),
        "country": "RU",
    },
]

# --- Speakers -------------------------------------------------------------------------------


# Position rows are translatable: every role title and free-text organization needs its Russian.
POSITION_TEXTS = {
    "Board Member": "Член Правления",
    "CPDWL Standing Committee Member": "Член Постоянного комитета Секции CPDWL",
    "Deputy Director for Informatization and Development": "Заместитель директора по информатизации и развитию",
    "Deputy Director for Interregional and International Activities": "Заместитель генерального директора по межрегиональной и международной деятельности",
    "Deputy Director for Project Activities and Development": "Заместитель директора по проектной деятельности и развитию",
    "Deputy Head": "Заместитель руководителя",
    "Deputy Minister of Culture": "Заместитель министра культуры",
    "Director General": "Генеральный директор",
    "Director": "Директор",
    "Editor-in-Chief": "Главный редактор",
    "Governing Board Member": "Член Правления",
    "Head": "Руководитель",
    "International library expert": "Международный библиотечный эксперт",
    "Library scholar": "Библиотековед",
    "President": "Президент",
    "President-elect": "Избранный президент",
    "Standing Committee Member, Section for International Cooperation": "Член Постоянного комитета Секции международного сотрудничества",
    "Da Vinci Casa Art Library Cluster": "Арт-библиотечный кластер «Da Vinci Casa»",
    "Modern Library magazine": "Журнал «Современная библиотека»",
}


def position(role_title, *, org=None, org_name="", start=None, end=None, precision="day"):
    """A position row. ``start``/``end`` are (year,) or (year, month) tuples or None."""
    return {
        "role_title": t(role_title, POSITION_TEXTS[role_title]),
        "organization": ("org", org) if org else None,
        "organization_name": t(org_name, POSITION_TEXTS[org_name]) if org_name else "",
        "start_date": period_start(*start) if start else None,
        "end_date": period_end(*end) if end else None,
        "date_precision": precision,
    }


def speaker(key, given, middle, family, ru_name, short_bio, positions, *, portrait=True):
    """``ru_name`` is (given, middle, family) in Russian."""
    ru_given, ru_middle, ru_family = ru_name
    full = " ".join(p for p in (given, middle, family) if p)
    ru_full = " ".join(p for p in (ru_given, ru_middle, ru_family) if p)
    return {
        "key": key,
        "title": t(full, ru_full),
        "slug": full.lower().replace(".", "").replace(" ", "-"),
        "given_name": t(given, ru_given),
        "middle_name": t(middle, ru_middle) if middle else "",
        "family_name": t(family, ru_family),
        "short_bio": short_bio,
        "positions": positions,
        "portrait": portrait,
    }


# Positions the documents date: Mackenzie, Lison, Garcia-Febo. The others are known to hold on
# the day of ALMA 2021 only; their dates are left empty (unknown), so role_on() returns them.
SPEAKERS = [
    speaker(
        "mackenzie",
        "Christine",
        "",
        "Mackenzie",
        ("Кристина", "", "Маккензи"),
        t(
            "IFLA President 2019–2021. She took part in ALMA 2019 as IFLA President-elect and "
            "welcomed ALMA 2021 as IFLA President.",
            "Президент ИФЛА в 2019–2021 годах. Участвовала в ALMA 2019 как избранный президент "
            "ИФЛА и приветствовала участников ALMA 2021 как президент ИФЛА.",
        ),
        [
            position(
                "President-elect", org="ifla", start=(2017, 8), end=(2019, 8), precision="month"
            ),
            position("President", org="ifla", start=(2019, 8), end=(2021, 8), precision="month"),
        ],
    ),
    speaker(
        "lison",
        "Barbara",
        "",
        "Lison",
        ("Барбара", "", "Лисон"),
        t(
            "IFLA President 2021–2023. At ALMA 2021, as IFLA President-elect, she spoke about "
            "the reorganization of the Federation.",
            "Президент ИФЛА в 2021–2023 годах. На ALMA 2021 как избранный президент ИФЛА "
            "рассказала о реорганизации Федерации.",
        ),
        [
            position(
                "President-elect", org="ifla", start=(2019, 8), end=(2021, 8), precision="month"
            ),
            position("President", org="ifla", start=(2021, 8), end=(2023, 8), precision="month"),
        ],
    ),
    speaker(
        "garcia-febo",
        "Loida",
        "",
        "Garcia-Febo",
        ("Лоида", "", "Гарсия-Фебо"),
        t(
            "International library expert, ALA President 2018–2019 and member of the IFLA "
            "Governing Board 2013–2017.",
            "Международный библиотечный эксперт, президент Американской библиотечной "
            "ассоциации в 2018–2019 годах, член Правления ИФЛА в 2013–2017 годах.",
        ),
        [
            position("President", org="ala", start=(2018,), end=(2019,), precision="year"),
            position(
                "Governing Board Member", org="ifla", start=(2013,), end=(2017,), precision="year"
            ),
            position("International library expert"),
        ],
    ),
    speaker(
        "gorokhova",
        "Svetlana",
        "A.",
        "Gorokhova",
        ("Светлана", "А.", "Горохова"),
        t(
            "Led the LFL team that organized ALMA 2021 and moderated the meeting; RLA Board "
            "member and member of the IFLA CPDWL Standing Committee.",
            "Руководила командой ВГБИЛ, организовавшей ALMA 2021, и модерировала встречу; член "
            "Правления РБА и Постоянного комитета Секции ИФЛА по непрерывному профессиональному "
            "развитию (CPDWL).",
        ),
        [
            position("Board Member", org="rla"),
            position("CPDWL Standing Committee Member", org="ifla"),
        ],
    ),
    speaker(
        "kuzmin",
        "Pavel",
        "L.",
        "Kuzmin",
        ("Павел", "Л.", "Кузьмин"),
        t(
            "Director General of the Library for Foreign Literature. He opened ALMA 2021 and "
            "announced the Rudomino Award.",
            "Генеральный директор Библиотеки иностранной литературы. Открыл ALMA 2021 и объявил "
            "об учреждении премии имени Рудомино.",
        ),
        [position("Director General", org="lfl")],
    ),
    speaker(
        "yarilova",
        "Olga",
        "S.",
        "Yarilova",
        ("Ольга", "С.", "Ярилова"),
        t(
            "Deputy Minister of Culture of the Russian Federation; her greetings opened ALMA 2021.",
            "Заместитель министра культуры Российской Федерации; её приветствие открыло ALMA 2021.",
        ),
        [position("Deputy Minister of Culture", org="ministry")],
    ),
    speaker(
        "afanasyev",
        "Mikhail",
        "D.",
        "Afanasyev",
        ("Михаил", "Д.", "Афанасьев"),
        t(
            "President of the Russian Library Association and Director of the State Public "
            "Historical Library.",
            "Президент Российской библиотечной ассоциации, директор Государственной публичной "
            "исторической библиотеки России.",
        ),
        [
            position("President", org="rla"),
            position("Director", org="sphl"),
        ],
    ),
    speaker(
        "palacio",
        "Miguel",
        "J.",
        "Palacio",
        ("Мигель", "Х.", "Паласио"),
        t(
            "LFL Deputy Director for Interregional and International Activities.",
            "Заместитель генерального директора ВГБИЛ по межрегиональной и международной "
            "деятельности.",
        ),
        [position("Deputy Director for Interregional and International Activities", org="lfl")],
    ),
    speaker(
        "kanushina",
        "Lyudmila",
        "A.",
        "Kanushina",
        ("Людмила", "А.", "Канушина"),
        t(
            "Director of the Saratov Oblast Universal Scientific Library.",
            "Директор Саратовской областной универсальной научной библиотеки.",
        ),
        [position("Director", org="saratov")],
    ),
    speaker(
        "tarasova",
        "Svetlana",
        "A.",
        "Tarasova",
        ("Светлана", "А.", "Тарасова"),
        t(
            "Director of the Novosibirsk State Oblast Scientific Library.",
            "Директор Новосибирской государственной областной научной библиотеки.",
        ),
        [position("Director", org="novosibirsk")],
    ),
    speaker(
        "chalova",
        "Zoya",
        "V.",
        "Chalova",
        ("Зоя", "В.", "Чалова"),
        t(
            "Director of the V.V. Mayakovsky Central City Public Library in Saint Petersburg.",
            "Директор Центральной городской публичной библиотеки имени В.В. Маяковского в "
            "Санкт-Петербурге.",
        ),
        [position("Director", org="mayakovsky")],
    ),
    speaker(
        "grishina",
        "Natalia",
        "N.",
        "Grishina",
        ("Наталья", "Н.", "Гришина"),
        t(
            "Director of the Ryazan Oblast Scientific Library.",
            "Директор Рязанской областной научной библиотеки.",
        ),
        [position("Director", org="ryazan")],
    ),
    speaker(
        "duda",
        "Vadim",
        "V.",
        "Duda",
        ("Вадим", "В.", "Дуда"),
        t(
            "Director General of the Russian State Library.",
            "Генеральный директор Российской государственной библиотеки.",
        ),
        [position("Director General", org="rsl")],
    ),
    speaker(
        "kazachenkova",
        "Lyubov",
        "A.",
        "Kazachenkova",
        ("Любовь", "А.", "Казаченкова"),
        t(
            "Director General of ID Modern Library and Editor-in-Chief of the Modern Library "
            "magazine; she moderated the regional panel of ALMA 2021.",
            "Генеральный директор ИД «Современная библиотека», главный редактор журнала "
            "«Современная библиотека»; модерировала региональную панель ALMA 2021.",
        ),
        [
            position("Director General", org="modern-library"),
            position("Editor-in-Chief", org_name="Modern Library magazine"),
            position("Standing Committee Member, Section for International Cooperation", org="rla"),
        ],
    ),
    speaker(
        "matlina",
        "Slava",
        "G.",
        "Matlina",
        ("Слава", "Г.", "Матлина"),
        t("Library scholar.", "Библиотековед."),
        [position("Library scholar")],
    ),
    speaker(
        "suleimanova",
        "Larissa",
        "A.",
        "Suleimanova",
        ("Лариса", "А.", "Сулейманова"),
        t(
            "Director of the I.I. Molchanov-Sibirsky Irkutsk Oblast State Universal Scientific "
            "Library.",
            "Директор Иркутской областной государственной универсальной научной библиотеки "
            "имени И.И. Молчанова-Сибирского.",
        ),
        [position("Director", org="irkutsk")],
    ),
    speaker(
        "magazevskaya",
        "Larissa",
        "M.",
        "Magazevskaya",
        ("Лариса", "М.", "Магазевская"),
        t(
            "Director of the B. Shakhovskoy Astrakhan Oblast Library for Young Adults.",
            "Директор Астраханской областной библиотеки для молодёжи имени Б. Шаховского.",
        ),
        [position("Director", org="astrakhan")],
    ),
    speaker(
        "zhuravleva",
        "Tatiana",
        "P.",
        "Zhuravleva",
        ("Татьяна", "П.", "Журавлева"),
        t(
            "Deputy Head of the Centralized Library System of Norilsk.",
            "Заместитель руководителя Централизованной библиотечной системы города Норильска.",
        ),
        [position("Deputy Head", org="norilsk")],
    ),
    speaker(
        "galeyeva",
        "Anna",
        "R.",
        "Galeyeva",
        ("Анна", "Р.", "Галеева"),
        t(
            "Deputy Director for Project Activities and Development at the Novosibirsk State "
            "Oblast Scientific Library and head of its Da Vinci Casa Art Library Cluster.",
            "Заместитель директора по проектной деятельности и развитию Новосибирской "
            "государственной областной научной библиотеки, руководитель арт-библиотечного "
            "кластера «Да Винчи Каза».",
        ),
        [
            position("Deputy Director for Project Activities and Development", org="novosibirsk"),
            position("Head", org_name="Da Vinci Casa Art Library Cluster"),
        ],
    ),
    speaker(
        "vovk",
        "Olga",
        "S.",
        "Vovk",
        ("Ольга", "С.", "Вовк"),
        t(
            "Deputy Director for Informatization and Development at the Murmansk State Oblast "
            "Universal Scientific Library.",
            "Заместитель директора по информатизации и развитию Мурманской государственной "
            "областной универсальной научной библиотеки.",
        ),
        [position("Deputy Director for Informatization and Development", org="murmansk")],
    ),
    speaker(
        "beliakova",
        "Daria",
        "",
        "Beliakova",
        ("Дарья", "", "Белякова"),
        t(
            "Co-author, with Svetlana A. Gorokhova, of the report on ALMA 2021.",
            "Соавтор, вместе со Светланой А. Гороховой, отчёта об ALMA 2021.",
        ),
        [],
    ),
]

# --- Quotations -----------------------------------------------------------------------------

QUOTATIONS = [
    {
        "key": "yarilova-2021",
        "slug": "olga-s-yarilova-2021",
        "title": t(
            "Olga S. Yarilova on libraries after the difficult year 2020",
            "Ольга С. Ярилова о библиотеках после непростого 2020 года",
        ),
        "speaker": ("speaker", "yarilova"),
        "speaker_role": t("Deputy Minister of Culture", "Заместитель министра культуры"),
        "original_language": "ru",
        "text": t(
            "The difficult year 2020 motivated the Ministry of Culture of Russia to look with "
            "more attention to the activities of public libraries, to reflect on the "
            "contributions of library institutions to preserve Russian culture, to strengthen "
            "the national unity and to improve the quality of life for everyone.",
            "Непростой 2020 год побудил Министерство культуры России внимательнее взглянуть на "
            "деятельность общедоступных библиотек, осмыслить вклад библиотечных учреждений в "
            "сохранение российской культуры, в укрепление национального единства и в повышение "
            "качества жизни каждого человека.",
        ),
        "context": t(
            "Greetings to ALMA 2021, conveyed by LFL Director General Pavel L. Kuzmin "
            "at the opening of the meeting.",
            "Приветствие участникам ALMA 2021, которое передал генеральный директор ВГБИЛ "
            "Павел Л. Кузьмин при открытии встречи.",
        ),
    },
    {
        "key": "grishina-2021",
        "slug": "natalia-n-grishina-2021",
        "title": t(
            "Natalia N. Grishina on LFL and the regional libraries",
            "Наталья Н. Гришина о ВГБИЛ и региональных библиотеках",
        ),
        "speaker": ("speaker", "grishina"),
        "speaker_role": t(
            "Director of the Ryazan Oblast Scientific Library",
            "Директор Рязанской областной научной библиотеки",
        ),
        "original_language": "ru",
        "text": t(
            "We have always felt the deep interest on the part of the Library for Foreign "
            "Literature in the development of regional libraries…as well as its need to "
            "improve life around it. Your visits to us, participation in the professional "
            "events make our community united.",
            "Мы всегда ощущали глубокую заинтересованность Библиотеки иностранной литературы в "
            "развитии региональных библиотек… а также её стремление менять к лучшему жизнь "
            "вокруг себя. Ваши приезды к нам, участие в профессиональных мероприятиях "
            "объединяют наше сообщество.",
        ),
        "context": t(
            "The anniversary session of ALMA 2021, on Inostranka's long cooperation with "
            "its regional partners.",
            "Юбилейная сессия ALMA 2021 — о многолетнем сотрудничестве Иностранки с её "
            "региональными партнёрами.",
        ),
    },
    {
        "key": "lison-2021",
        "slug": "barbara-lison-2021",
        "title": t("Barbara Lison on IFLA and leadership", "Барбара Лисон об ИФЛА и лидерстве"),
        "speaker": ("speaker", "lison"),
        "speaker_role": t("IFLA President-elect", "Избранный президент ИФЛА"),
        "original_language": "en",
        "text": t(
            "The ALMA annual international conference at the Library for Foreign Literature "
            "gave me the opportunity to talk about IFLA and the leadership in the international "
            "library community that should inspire",
            "Ежегодная международная конференция ALMA в Библиотеке иностранной литературы дала "
            "мне возможность рассказать об ИФЛА и о лидерстве в международном библиотечном "
            "сообществе, которое должно вдохновлять",
        ),
        "context": t(
            "After her talk on the reorganization of IFLA, in the international panel of "
            "ALMA 2021.",
            "После её выступления о реорганизации ИФЛА на международной дискуссионной панели "
            "ALMA 2021.",
        ),
    },
    {
        "key": "matlina-2021",
        "slug": "slava-g-matlina-2021",
        "title": t(
            "Slava G. Matlina on a new generation of library leaders",
            "Слава Г. Матлина о новом поколении библиотечных лидеров",
        ),
        "speaker": ("speaker", "matlina"),
        "speaker_role": t("library scholar", "библиотековед"),
        "original_language": "ru",
        "text": t(
            "The well-thought-out and well-conducted event format. One looks, listens and sees "
            "for real: a new generation of talented and bright people has arrived. Young, "
            "beautiful faces, concise speech and, most importantly, clear understanding of WHY "
            "and FOR WHOM today’s library operates and implements new practices. Thank you. "
            "Very inspiring!",
            "Продуманный и хорошо проведённый формат мероприятия. Смотришь, слушаешь и видишь "
            "воочию: пришло новое поколение талантливых и ярких людей. Молодые красивые лица, "
            "лаконичная речь и, главное, ясное понимание того, ЗАЧЕМ и ДЛЯ КОГО сегодня "
            "работает библиотека и внедряет новые практики. Спасибо. Очень вдохновляет!",
        ),
        "context": t(
            "A response to the regional panel of ALMA 2021.",
            "Отклик на региональную дискуссионную панель ALMA 2021.",
        ),
    },
    {
        "key": "tarasova-2021",
        "slug": "svetlana-a-tarasova-2021",
        "title": t(
            "Svetlana A. Tarasova: “What clever and nice leaders we have!”",
            "Светлана А. Тарасова: «Какие у нас умные и славные лидеры!»",
        ),
        "speaker": ("speaker", "tarasova"),
        "speaker_role": t(
            "Director of the Novosibirsk State Oblast Scientific Library",
            "Директор Новосибирской государственной областной научной библиотеки",
        ),
        "original_language": "ru",
        "text": t(
            "Many thanks to the Organizers – our well-loved Library for Foreign Literature…! "
            "We had a great discussion that brought up a vital topic of leadership. What clever "
            "and nice leaders we have! Bravo!",
            "Огромное спасибо организаторам — нашей любимой Библиотеке иностранной "
            "литературы…! У нас получилась замечательная дискуссия, поднявшая жизненно важную "
            "тему лидерства. Какие у нас умные и славные лидеры! Браво!",
        ),
        "context": t(
            "Thanks to the organizers at the end of ALMA 2021.",
            "Благодарность организаторам по завершении ALMA 2021.",
        ),
    },
]

# --- Forum editions -------------------------------------------------------------------------

INTERVIEW_MACKENZIE = (
    "https://www.youtube.com/watch?v=AXS5f9MqN1Y&t=4s",
    t("Interview of Christine Mackenzie", "Интервью с Кристиной Маккензи"),
)
INTERVIEW_GARCIA_FEBO = (
    "https://www.youtube.com/watch?v=45Dk_xQO3L4",
    t("Interview of Loida Garcia-Febo", "Интервью с Лоидой Гарсия-Фебо"),
)
IFLA_CPD_GUIDELINES_URL = (
    "https://www.ifla.org/files/assets/cpdwl/guidelines/"
    "ifla-guidelines-for-continuing-professional-development-summary-"
    "ru.pdf"
)

FINAL_DOCUMENT_TITLE = t("ALMA 2019 Final Document", "Итоговый документ ALMA 2019")
LFL_NAME = ORGANIZATIONS[0]["name"]

EDITION_2019 = {
    "key": "edition-2019",
    "slug": "alma-2019",
    "title": t("ALMA 2019", "Форум ALMA 2019"),
    "year": 2019,
    "edition_number": 3,
    "series_title": SERIES_TITLE,
    "theme": t(
        "Strong Professional Association – Strong Libraries – Strong Communities",
        "Сильная профессиональная ассоциация – сильные библиотеки – сильные сообщества",
    ),
    "start_date": SESSION_2019,
    "end_date": None,
    "duration_hours": None,
    "format": "in_person",
    "venue": LFL_NAME,
    "city": MOSCOW,
    "host": ("org", "lfl"),
    "moderator": None,
    "participant_count": 80,
    "participant_count_qualifier": "about",
    "online_viewer_count": None,
    "online_viewer_count_qualifier": "exact",
    "countries_count": 4,
    "countries_count_qualifier": "exact",
    "regions_count": 20,
    "regions_count_qualifier": "more_than",
    "recording_url": "",
    "summary": t(
        "The third annual foresight session of ALMA met at the Library for Foreign Literature "
        "in Moscow. About 80 participants from four countries and more than 20 Russian regions "
        "– officials of the Ministry of Culture, heads of Russian and foreign library "
        "associations, among them IFLA President-elect Christine Mackenzie, librarians and "
        "journalists – worked in small groups and drafted guidelines for Russia's library "
        "associations, adopted as the ALMA 2019 Final Document.",
        "Третья ежегодная форсайт-сессия ALMA прошла в Библиотеке иностранной литературы в "
        "Москве. Около 80 участников из четырёх стран и более чем 20 регионов России – "
        "представители Министерства культуры, руководители российских и зарубежных "
        "библиотечных ассоциаций, в том числе избранный президент ИФЛА Кристина Маккензи, "
        "библиотекари и журналисты – работали в малых группах и подготовили рекомендации для "
        "библиотечных ассоциаций России, принятые как Итоговый документ ALMA 2019.",
    ),
    "outcome": rich(
        t(
            "The session adopted the ALMA 2019 Final Document: recommendations to the Russian "
            "Library Association and the other library associations of Russia, arranged in six "
            "core directions with 27 guidelines.",
            "Сессия приняла Итоговый документ ALMA 2019 – рекомендации Российской библиотечной "
            "ассоциации и другим библиотечным ассоциациям России, сгруппированные в шесть "
            "ключевых направлений и 27 положений.",
        ),
    ),
}

HEADING_IN_FIGURES = t("The session in figures", "Сессия в цифрах")
PARTICIPANTS = t("Participants", "Участники")


def edition_2019_body(ref):
    k = "edition-2019"
    return [
        block(
            "heading",
            {"text": t("About the session", "О сессии"), "level": "h2", "anchor": "about"},
            k,
            "heading-about",
        ),
        block(
            "paragraph",
            rich(
                t(
                    "The librarians who came represented libraries of many kinds: national, regional "
                    "and municipal public libraries, scientific and academic libraries, and special "
                    "libraries. Each working group took one of six core directions for the "
                    "development of the Russian library sector and asked what library associations "
                    "and their sections could do to move it forward.",
                    "Участники представляли библиотеки самых разных типов: национальные, "
                    "региональные и муниципальные публичные библиотеки, научные и академические, "
                    "специальные библиотеки. Каждая рабочая группа взяла одно из шести ключевых "
                    "направлений развития библиотечной отрасли России и обсудила, что библиотечные "
                    "ассоциации и их секции могут сделать для его продвижения.",
                ),
            ),
            k,
            "paragraph-about",
        ),
        block(
            "statistics",
            {
                "title": HEADING_IN_FIGURES,
                "items": [
                    item(
                        {"label": PARTICIPANTS, "value": 80, "qualifier": "about"},
                        k,
                        "stat-participants",
                    ),
                    item(
                        {"label": t("Countries", "Страны"), "value": 4, "qualifier": "exact"},
                        k,
                        "stat-countries",
                    ),
                    item(
                        {
                            "label": t("Russian regions", "Регионы России"),
                            "value": 20,
                            "qualifier": "more_than",
                        },
                        k,
                        "stat-regions",
                    ),
                ],
            },
            k,
            "statistics",
        ),
        block(
            "speaker_list",
            {
                "title": t("Among the participants", "Среди участников"),
                "speakers": [item(ref("speaker", "mackenzie").pk, k, "guest-mackenzie")],
            },
            k,
            "speaker-list",
        ),
        block(
            "call_to_action",
            {
                "title": FINAL_DOCUMENT_TITLE,
                "text": rich(
                    t(
                        "Six core directions and 27 guidelines for library associations.",
                        "Шесть ключевых направлений и 27 положений для библиотечных ассоциаций.",
                    )
                ),
                "button_label": t("Read the document", "Читать документ"),
                "page": ref("page", "final-document-2019").pk,
                "url": "",
            },
            k,
            "cta-final-document",
        ),
        block(
            "link_list",
            {
                "title": t("Interviews", "Интервью"),
                "links": [
                    item(
                        {"title": title, "page": None, "url": url, "description": ""},
                        k,
                        "interview",
                        url,
                    )
                    for url, title in (INTERVIEW_MACKENZIE, INTERVIEW_GARCIA_FEBO)
                ],
            },
            k,
            "interviews",
        ),
        block(
            "organization_list",
            {
                "title": t("Host", "Принимающая сторона"),
                "relation": "organizers",
                "organizations": [item(ref("org", "lfl").pk, k, "organizer-lfl")],
            },
            k,
            "organizers",
        ),
    ]


EDITION_2021 = {
    "key": "edition-2021",
    "slug": "alma-2021",
    "title": t("ALMA 2021", "Форум ALMA 2021"),
    "year": 2021,
    "edition_number": None,
    "series_title": SERIES_TITLE,
    "theme": t(
        "Is Library a Leader or a Non-Player Character?",
        "Библиотека – лидер или неигровой персонаж?",
    ),
    "start_date": SESSION_2021,
    "end_date": None,
    "duration_hours": 4,
    "format": "hybrid",
    "venue": LFL_NAME,
    "city": MOSCOW,
    "host": ("org", "lfl"),
    "moderator": ("speaker", "gorokhova"),
    "participant_count": 147,
    "participant_count_qualifier": "exact",
    "online_viewer_count": 1500,
    "online_viewer_count_qualifier": "about",
    "countries_count": None,
    "countries_count_qualifier": "exact",
    "regions_count": None,
    "regions_count_qualifier": "exact",
    "recording_url": "",
    "summary": t(
        "A four-hour hybrid meeting at the Library for Foreign Literature asked whether a "
        "library is a leader or a non-player character. 147 participants, and about 1500 "
        "viewers of the online stream, followed the discussion at international, national and "
        "regional level. The session also marked the LFL centenary and closed with the "
        "founding of the Rudomino Award.",
        "Четырёхчасовая встреча в гибридном формате в Библиотеке иностранной литературы "
        "была посвящена вопросу, является ли библиотека лидером или неигровым персонажем. "
        "147 участников и около 1500 зрителей онлайн-трансляции следили за дискуссией на "
        "международном, национальном и региональном уровнях. Сессия также была приурочена к "
        "столетию ВГБИЛ и завершилась учреждением премии имени Рудомино.",
    ),
    "outcome": rich(
        t(
            "Map of Library Leadership: the best practices presented at the session, and many "
            "other projects besides, are to be collected into a map hosted on the resources of "
            "RLA and LFL.",
            "Карта библиотечного лидерства: лучшие практики, представленные на сессии, а также "
            "многие другие проекты будут собраны в карту, которая разместится на ресурсах РБА и "
            "ВГБИЛ.",
        ),
    ),
}


def participant(ref, speaker_key, role, topic, *key):
    return item(
        {"speaker": ref("speaker", speaker_key).pk, "name": "", "role": role, "topic": topic}, *key
    )


def edition_2021_body(ref):
    k = "edition-2021"
    featured = {
        q: block(
            "featured_quotation", {"quotation": ref("page", f"quotation-{q}").pk}, k, "featured", q
        )
        for q in ("yarilova-2021", "grishina-2021", "lison-2021", "matlina-2021", "tarasova-2021")
    }
    director = "Director of the {}"
    return [
        block(
            "paragraph",
            rich(
                t(
                    "This edition fell in the centenary year of the Library for Foreign Literature "
                    "and opened with a look back at its history as the project of its founder, "
                    "Margarita Ivanovna Rudomino, and of the leaders who came after her. Heads of "
                    "Russian and foreign library associations, directors and specialists of federal "
                    "and regional libraries, LIS specialists and the professional press took part in "
                    "the hall and online; the Russian Federation Culture portal carried the stream.",
                    "Этот форум пришёлся на год столетия Библиотеки иностранной литературы и начался "
                    "с рассказа о её истории как авторского проекта основательницы, Маргариты "
                    "Ивановны Рудомино, и руководителей, пришедших после неё. Руководители "
                    "российских и зарубежных библиотечных ассоциаций, директора и специалисты "
                    "федеральных и региональных библиотек, специалисты в области библиотечно-"
                    "информационной деятельности и профессиональные СМИ участвовали в зале и онлайн; "
                    "трансляцию вёл портал «Культура.РФ».",
                ),
            ),
            k,
            "paragraph-intro",
        ),
        block(
            "statistics",
            {
                "title": t("The meeting in figures", "Встреча в цифрах"),
                "items": [
                    item(
                        {"label": PARTICIPANTS, "value": 147, "qualifier": "exact"},
                        k,
                        "stat-participants",
                    ),
                    item(
                        {
                            "label": t("Stream viewers", "Зрители трансляции"),
                            "value": 1500,
                            "qualifier": "about",
                        },
                        k,
                        "stat-viewers",
                    ),
                    item(
                        {
                            "label": t("Hours of discussion", "Часы дискуссии"),
                            "value": 4,
                            "qualifier": "exact",
                        },
                        k,
                        "stat-hours",
                    ),
                    item(
                        {
                            "label": t("Discussion panels", "Дискуссионные панели"),
                            "value": 3,
                            "qualifier": "exact",
                        },
                        k,
                        "stat-panels",
                    ),
                ],
            },
            k,
            "statistics",
        ),
        block(
            "heading",
            {"text": t("Opening", "Открытие"), "level": "h2", "anchor": "opening"},
            k,
            "heading-opening",
        ),
        block(
            "paragraph",
            rich(
                t(
                    "Svetlana A. Gorokhova, who led the LFL event team, moderated the meeting. LFL "
                    "Director General Pavel L. Kuzmin opened it with greetings from Deputy Minister "
                    "of Culture Olga S. Yarilova. IFLA President Christine Mackenzie and RLA "
                    "President Mikhail D. Afanasyev then welcomed the participants on behalf of the "
                    "profession.",
                    "Модератором встречи была Светлана А. Горохова, руководившая командой "
                    "организаторов ВГБИЛ. Генеральный директор ВГБИЛ Павел Л. Кузьмин открыл её, "
                    "передав приветствие заместителя министра культуры Ольги С. Яриловой. Затем "
                    "президент ИФЛА Кристина Маккензи и президент РБА Михаил Д. Афанасьев "
                    "приветствовали участников от имени профессионального сообщества.",
                ),
            ),
            k,
            "paragraph-opening",
        ),
        featured["yarilova-2021"],
        block(
            "speaker_list",
            {
                "title": t("Welcome addresses", "Приветствия"),
                "speakers": [
                    item(ref("speaker", s).pk, k, "welcome", s)
                    for s in ("kuzmin", "mackenzie", "afanasyev")
                ],
            },
            k,
            "speakers-welcome",
        ),
        block(
            "heading",
            {
                "text": t("The anniversary session", "Юбилейная сессия"),
                "level": "h2",
                "anchor": "anniversary",
            },
            k,
            "heading-anniversary",
        ),
        block(
            "paragraph",
            rich(
                t(
                    "Pavel L. Kuzmin and Miguel J. Palacio showed how LFL leads the international "
                    "work of regional libraries: language teaching and professional development, "
                    "preservation of the world's cultural heritage, promotion of the Russian "
                    "language, literary translation, international library dialogues, the Diplomatic "
                    "Subscription project and the online resource Libraries as Witnesses of Great "
                    "Victory. Directors of regional libraries then looked back on their long "
                    "cooperation with Inostranka.",
                    "Павел Л. Кузьмин и Мигель Х. Паласио рассказали, как ВГБИЛ ведёт "
                    "международную работу региональных библиотек: обучение иностранным языкам и "
                    "повышение квалификации, сохранение мирового культурного наследия, продвижение "
                    "русского языка, литературный перевод, международные библиотечные диалоги, "
                    "проект «Дипломатический абонемент» и электронный ресурс «Библиотеки – "
                    "свидетели Великой Победы». Затем директора региональных библиотек подвели итоги "
                    "многолетнего сотрудничества с «Иностранкой».",
                ),
            ),
            k,
            "paragraph-anniversary",
        ),
        block(
            "speaker_list",
            {
                "title": t(
                    "Speakers of the anniversary session", "Выступавшие на юбилейной сессии"
                ),
                "speakers": [
                    item(ref("speaker", s).pk, k, "anniversary", s)
                    for s in (
                        "kuzmin",
                        "palacio",
                        "afanasyev",
                        "kanushina",
                        "tarasova",
                        "chalova",
                        "grishina",
                    )
                ],
            },
            k,
            "speakers-anniversary",
        ),
        featured["grishina-2021"],
        block(
            "heading",
            {
                "text": t("Leader or non-player character?", "Лидер или неигровой персонаж?"),
                "level": "h2",
                "anchor": "theme",
            },
            k,
            "heading-theme",
        ),
        block(
            "paragraph",
            rich(
                t(
                    "The theme borrowed a term from video games: a non-player character stands "
                    "outside the game, and no real interaction with it is possible. Which of the two "
                    "a library is was asked at three levels: international, national and regional.",
                    "Тема заимствовала термин из видеоигр: неигровой персонаж находится вне игры, и "
                    "настоящее взаимодействие с ним невозможно. Кем из двух является библиотека, "
                    "обсуждали на трёх уровнях: международном, национальном и региональном.",
                ),
            ),
            k,
            "paragraph-theme",
        ),
        block(
            "discussion_panel",
            {
                "title": t("International level", "Международный уровень"),
                "scope": "international",
                "moderator": {"speaker": None, "name": "", "role": "", "topic": ""},
                "speakers": [
                    participant(
                        ref,
                        "lison",
                        t("IFLA President-elect", "Избранный президент ИФЛА"),
                        t(
                            "How IFLA has reorganized itself in line with global trends in the "
                            "profession, and what this means for the whole library field",
                            "Как ИФЛА перестроилась в соответствии с глобальными тенденциями "
                            "профессии и что это значит для всей библиотечной отрасли",
                        ),
                        k,
                        "panel-international",
                        "lison",
                    ),
                ],
                "summary": rich(
                    t(
                        "Barbara Lison described the reorganization of the Federation, then answered "
                        "questions on what the future will ask of libraries and on library work after "
                        "the pandemic.",
                        "Барбара Лисон рассказала о реорганизации Федерации, а затем ответила на "
                        "вопросы о том, что будущее потребует от библиотек, и о работе библиотек после "
                        "пандемии.",
                    )
                ),
            },
            k,
            "panel-international",
        ),
        featured["lison-2021"],
        block(
            "discussion_panel",
            {
                "title": t("National level", "Национальный уровень"),
                "scope": "national",
                "moderator": {"speaker": None, "name": "", "role": "", "topic": ""},
                "speakers": [
                    participant(
                        ref,
                        "duda",
                        t(
                            "Director General of the Russian State Library",
                            "Генеральный директор Российской государственной библиотеки",
                        ),
                        t(
                            "The national project “Culture”: support for regional libraries and "
                            "model libraries across Russia",
                            "Национальный проект «Культура»: поддержка региональных библиотек и "
                            "создание модельных библиотек по всей России",
                        ),
                        k,
                        "panel-national",
                        "duda",
                    ),
                    participant(
                        ref,
                        "garcia-febo",
                        t(
                            "International library expert; ALA President (2018–2019); IFLA "
                            "Governing Board Member (2013–2017)",
                            "Международный библиотечный эксперт; президент АБА (2018–2019); член "
                            "Правления ИФЛА (2013–2017)",
                        ),
                        t(
                            "Nationwide leadership projects of the American Library Association",
                            "Общенациональные лидерские проекты Американской библиотечной "
                            "ассоциации",
                        ),
                        k,
                        "panel-national",
                        "garcia-febo",
                    ),
                ],
                "summary": rich(
                    t(
                        "The second panel set leading national projects of Russia and the United "
                        "States side by side.",
                        "Вторая панель сопоставила ведущие национальные проекты России и США.",
                    )
                ),
            },
            k,
            "panel-national",
        ),
        block(
            "discussion_panel",
            {
                "title": t("Regional level", "Региональный уровень"),
                "scope": "regional",
                "moderator": {
                    "speaker": ref("speaker", "kazachenkova").pk,
                    "name": "",
                    "role": t(
                        "Director General of ID Modern Library, Editor-in-Chief of the "
                        "Modern Library magazine",
                        "Генеральный директор ИД «Современная библиотека», главный "
                        "редактор журнала «Современная библиотека»",
                    ),
                    "topic": "",
                },
                "speakers": [
                    participant(
                        ref,
                        "chalova",
                        t(
                            director.format(
                                "V.V. Mayakovsky Central City Public Library, Saint Petersburg"
                            ),
                            "Директор Центральной городской публичной библиотеки имени "
                            "В.В. Маяковского, Санкт-Петербург",
                        ),
                        t(
                            "Her library's leading role in the region, the system modernization of "
                            "Saint Petersburg libraries and their focus on socially significant "
                            "work",
                            "Лидерская роль библиотеки в регионе, системная модернизация библиотек "
                            "Санкт-Петербурга и их ориентация на социально значимую деятельность",
                        ),
                        k,
                        "panel-regional",
                        "chalova",
                    ),
                    participant(
                        ref,
                        "suleimanova",
                        t(
                            director.format(
                                "I.I. Molchanov-Sibirsky Irkutsk Oblast State "
                                "Universal Scientific Library"
                            ),
                            "Директор Иркутской областной государственной универсальной научной "
                            "библиотеки имени И.И. Молчанова-Сибирского",
                        ),
                        t("The library as a digital curator", "Библиотека как цифровой куратор"),
                        k,
                        "panel-regional",
                        "suleimanova",
                    ),
                    participant(
                        ref,
                        "magazevskaya",
                        t(
                            director.format(
                                "B. Shakhovskoy Astrakhan Oblast Library for Young Adults"
                            ),
                            "Директор Астраханской областной библиотеки для молодёжи имени "
                            "Б. Шаховского",
                        ),
                        t("Youth projects", "Молодёжные проекты"),
                        k,
                        "panel-regional",
                        "magazevskaya",
                    ),
                    participant(
                        ref,
                        "zhuravleva",
                        t(
                            "Deputy Head of the Centralized Library System of Norilsk",
                            "Заместитель руководителя Централизованной библиотечной системы города "
                            "Норильска",
                        ),
                        t(
                            "Scientific and technical creativity in the city, and FabLab, a "
                            "well-equipped technical laboratory",
                            "Научно-техническое творчество горожан и FabLab – хорошо оснащённая "
                            "техническая лаборатория",
                        ),
                        k,
                        "panel-regional",
                        "zhuravleva",
                    ),
                    participant(
                        ref,
                        "galeyeva",
                        t(
                            "Deputy Director for Project Activities and Development, Novosibirsk "
                            "State Oblast Scientific Library; Head of the Da Vinci Casa Art Library "
                            "Cluster",
                            "Заместитель директора по проектной деятельности и развитию "
                            "Новосибирской государственной областной научной библиотеки; "
                            "руководитель арт-библиотечного кластера «Да Винчи Каза»",
                        ),
                        t(
                            "Creating an art space in the library",
                            "Как создать арт-пространство в библиотеке",
                        ),
                        k,
                        "panel-regional",
                        "galeyeva",
                    ),
                    participant(
                        ref,
                        "vovk",
                        t(
                            "Deputy Director for Informatization and Development, Murmansk State "
                            "Oblast Universal Scientific Library",
                            "Заместитель директора по информатизации и развитию Мурманской "
                            "государственной областной универсальной научной библиотеки",
                        ),
                        t(
                            "Bringing creative people into the library through an art space",
                            "Как привлечь в библиотеку творческих людей с помощью арт-пространства",
                        ),
                        k,
                        "panel-regional",
                        "vovk",
                    ),
                ],
                "summary": rich(
                    t(
                        "Heads of regional libraries joined online to share their practice in legal "
                        "education, IT literacy, scientific and technical creativity, the tourism "
                        "cluster, art spaces and other work shaped by the needs of their communities.",
                        "Руководители региональных библиотек подключились онлайн и поделились опытом "
                        "в правовом просвещении, IT-грамотности, научно-техническом творчестве, "
                        "развитии туристического кластера, создании арт-пространств и других "
                        "направлениях, определённых потребностями их сообществ.",
                    )
                ),
            },
            k,
            "panel-regional",
        ),
        featured["matlina-2021"],
        block(
            "heading",
            {"text": t("Outcomes", "Итоги"), "level": "h2", "anchor": "outcomes"},
            k,
            "heading-outcomes",
        ),
        block(
            "paragraph",
            rich(
                t(
                    "The best practices presented during the session are to be gathered, with many "
                    "other projects, into a Map of Library Leadership. In closing, Pavel L. Kuzmin "
                    "announced the Rudomino Award. A tour of LFL followed, with the Gutenberg "
                    "Universe multimedia centre on book history, the Rudomino Academy and the "
                    "library's national cultural centres; every participant received a forum "
                    "certificate.",
                    "Лучшие практики, представленные на сессии, вместе со многими другими проектами "
                    "будут собраны в Карту библиотечного лидерства. В завершение Павел Л. Кузьмин "
                    "объявил об учреждении премии имени Рудомино. Затем участники отправились на "
                    "экскурсию по ВГБИЛ – в мультимедийный центр истории книги «Вселенная "
                    "Гутенберга», Академию Рудомино и национальные культурные центры библиотеки; "
                    "каждый участник получил сертификат форума.",
                ),
            ),
            k,
            "paragraph-outcomes",
        ),
        featured["tarasova-2021"],
        block(
            "call_to_action",
            {
                "title": t("Rudomino Award", "Премия имени Рудомино"),
                "text": rich(
                    t(
                        "An award for the international activities of Russian libraries, "
                        "established at ALMA 2021.",
                        "Премия за международную деятельность российских библиотек, "
                        "учреждённая на ALMA 2021.",
                    )
                ),
                "button_label": t("About the award", "О премии"),
                "page": ref("page", "award").pk,
                "url": "",
            },
            k,
            "cta-award",
        ),
        block(
            "organization_list",
            {
                "title": t("Organizer", "Организатор"),
                "relation": "organizers",
                "organizations": [item(ref("org", "lfl").pk, k, "organizer-lfl")],
            },
            k,
            "organizers",
        ),
        block(
            "organization_list",
            {
                "title": t("Partners and broadcast", "Партнёры и трансляция"),
                "relation": "partners",
                "organizations": [
                    item(ref("org", o).pk, k, "partner", o)
                    for o in ("ifla", "rla", "culture-portal")
                ],
            },
            k,
            "partners",
        ),
    ]


# --- The 2019 Final Document ----------------------------------------------------------------

FINAL_DOCUMENT = {
    "key": "final-document-2019",
    "slug": "final-document",
    "title": FINAL_DOCUMENT_TITLE,
    "document_type": "final_document",
    "status": "finalized",
    "nature": "recommendatory",
    "adopted_on": SESSION_2019,
    "approved_by": t(
        "Participants of the third annual foresight session",
        "Участники третьей ежегодной форсайт-сессии",
    ),
    "finalized_by": t("Steering Committee of the session", "Руководящий комитет сессии"),
    "audience": t(
        "The Russian Library Association and the other library associations of Russia.",
        "Российская библиотечная ассоциация и другие библиотечные ассоциации России.",
    ),
    "introduction": rich(
        t(
            "On 25 April 2019 the Library for Foreign Literature hosted a foresight session of "
            "the April Library Moscow Agenda (ALMA), the third in its annual series. About 80 "
            "people took part: officials of the Russian Ministry of Culture, representatives of "
            "Russian and foreign library associations, among them IFLA President-elect "
            "Christine Mackenzie, and journalists. Librarians from four countries and more than "
            "20 Russian regions spoke for public, scientific, academic and special libraries.",
            "25 апреля 2019 года Библиотека иностранной литературы провела форсайт-сессию "
            "April Library Moscow Agenda (ALMA) – третью в ежегодной серии. В ней приняли "
            "участие около 80 человек: представители Министерства культуры России, российских и "
            "зарубежных библиотечных ассоциаций, в том числе избранный президент ИФЛА Кристина "
            "Маккензи, а также журналисты. Библиотекари из четырёх стран и более чем 20 "
            "регионов России представляли публичные, научные, академические и специальные "
            "библиотеки.",
        ),
        t(
            "Working in small groups, each on one core direction for the development of the "
            "library sector in Russia, the participants drafted the guidelines below for the "
            "country's library associations. They are meant to help associations and their "
            "sections work more effectively towards each of the six directions.",
            "Работая в малых группах, каждая из которых занималась одним ключевым направлением "
            "развития библиотечной отрасли России, участники подготовили приведённые ниже "
            "положения для библиотечных ассоциаций страны. Они призваны помочь ассоциациям и их "
            "секциям эффективнее работать по каждому из шести направлений.",
        ),
    ),
    "conclusion": rich(
        t(
            "The participants of the third annual foresight session approved this document and "
            "the session's Steering Committee finalized it. A campaign in the professional press "
            "and on social media is planned to make it known across the Russian library "
            "community.",
            "Участники третьей ежегодной форсайт-сессии одобрили этот документ, а Руководящий "
            "комитет сессии доработал его окончательную редакцию. Чтобы познакомить с ним "
            "библиотечное сообщество России, планируется информационная кампания в "
            "профессиональной прессе и социальных сетях.",
        ),
        t(
            "The document is recommendatory: it is intended as guidance for the Russian Library "
            "Association and for the other library associations of Russia.",
            "Документ носит рекомендательный характер: он предназначен в качестве ориентира для "
            "Российской библиотечной ассоциации и других библиотечных ассоциаций России.",
        ),
    ),
}

# (direction title, [guideline title or (role, paragraph)])
DIRECTIONS = [
    (
        t(
            "Furthering library advocacy work",
            "Развитие деятельности по продвижению интересов библиотек",
        ),
        [
            t(
                "Promoting positive image of library and librarian in the public perception",
                "Формирование позитивного образа библиотеки и библиотекаря в общественном "
                "восприятии",
            ),
            t(
                "Forging partnerships with government agencies and businesses",
                "Развитие партнёрства с органами власти и бизнесом",
            ),
            t(
                "Preventive actions in the legal environment",
                "Превентивные действия в правовой среде",
            ),
            t(
                "Increasing professional competencies of library and information specialists as "
                "well as their motivation to best serve their patrons",
                "Повышение профессиональных компетенций библиотечно-информационных специалистов и "
                "их мотивации к наилучшему обслуживанию читателей",
            ),
            t(
                "Disseminating best practices: success stories and promo cases",
                "Распространение лучших практик: истории успеха и промо-кейсы",
            ),
        ],
    ),
    (
        t(
            "Library’s propelling role in ICT development",
            "Роль библиотеки как движущей силы развития ИКТ",
        ),
        [
            t(
                "Monitoring and strategic analytics: identifying priority domains for research and "
                "dissertations",
                "Мониторинг и стратегическая аналитика: определение приоритетных направлений для "
                "исследований и диссертаций",
            ),
            t(
                "Strengthening the ties: “Science – Library”. Speedy application of monitoring "
                "results to practice in the library sector",
                "Укрепление связей «Наука – Библиотека». Оперативное применение результатов "
                "мониторинга в практике библиотечной отрасли",
            ),
            t(
                "Strategic planning and supplementary financing of library services",
                "Стратегическое планирование и дополнительное финансирование библиотечных услуг",
            ),
            t(
                "Upgrading qualifications of library specialists, including scholars",
                "Повышение квалификации библиотечных специалистов, в том числе научных работников",
            ),
            t(
                "Library as a center of international scholarly communication",
                "Библиотека как центр международной научной коммуникации",
            ),
        ],
    ),
    (
        t(
            "Libraries’ role in stimulating children’s and young adults’ interest in reading",
            "Роль библиотек в стимулировании интереса детей и юношества к чтению",
        ),
        [
            t(
                "Acquisitions in children’s libraries: enriching collections with contemporary "
                "quality literature",
                "Комплектование детских библиотек: пополнение фондов качественной современной "
                "литературой",
            ),
            t(
                "Enacting and upholding high quality standards for children’s publications",
                "Введение и поддержание высоких стандартов качества детских изданий",
            ),
            t(
                "Developing children’s library services guidelines of recommendatory nature",
                "Разработка рекомендательных руководств по библиотечному обслуживанию детей",
            ),
            t(
                "Need for children’s librarians to obtain specialized professional education",
                "Необходимость специализированного профессионального образования для детских "
                "библиотекарей",
            ),
            t(
                "Methodology support within the legal framework",
                "Методическая поддержка в рамках правового поля",
            ),
            t(
                "Assisting libraries in their efforts to facilitate social and cultural adaptation "
                "and to advocate rights of the disadvantaged social groups",
                "Содействие библиотекам в социокультурной адаптации и защите прав социально "
                "незащищённых групп",
            ),
        ],
    ),
    (
        t(
            "Opening new opportunities and vistas for young library professionals",
            "Новые возможности и перспективы для молодых библиотечных специалистов",
        ),
        [
            t(
                "Making the profession of librarian and library as a workplace more prestigious",
                "Повышение престижа профессии библиотекаря и библиотеки как места работы",
            ),
            t(
                "Organizing and holding on a regular basis professional contests for young "
                "specialists. Awards: grants to participate in international professional meetings, "
                "as well as grants to realize projects in their libraries",
                "Регулярная организация и проведение профессиональных конкурсов для молодых "
                "специалистов. Награды: гранты на участие в международных профессиональных встречах "
                "и гранты на реализацию проектов в своих библиотеках",
            ),
            t(
                "Encouraging young specialists to join professional associations and take part in "
                "high-profile events in Russia and abroad",
                "Привлечение молодых специалистов в профессиональные ассоциации и к участию в "
                "значимых мероприятиях в России и за рубежом",
            ),
            t(
                "Continuing professional development for young specialists",
                "Непрерывное профессиональное развитие молодых специалистов",
            ),
        ],
    ),
    (
        t("LIS education of XXI century", "Библиотечно-информационное образование XXI века"),
        [
            (
                t("Visionary", "Визионер"),
                t(
                    "RLA forecasts where the library field is heading, drawing on its annual "
                    "monitoring reports.",
                    "РБА прогнозирует тенденции развития библиотечной сферы на основе ежегодных "
                    "мониторинговых отчётов.",
                ),
            ),
            (
                t("Marketing Analyst", "Маркетолог-аналитик"),
                t(
                    "RLA works to raise the prestige and popularity of the profession among future "
                    "students, university and college students, and young professionals.",
                    "РБА повышает престиж и популярность профессии среди абитуриентов, студентов вузов "
                    "и колледжей и молодых специалистов.",
                ),
            ),
            (
                t("Technologist", "Технолог"),
                t(
                    "RLA gives methodological support to learning in different formats, furthers "
                    "continuing education in the workplace, and encourages librarians to study the "
                    "IFLA Guidelines on Continuing Professional Development: Principles and Best "
                    "Practices and to adapt them to Russian library practice.",
                    "РБА оказывает методическую поддержку обучению в разных форматах, развивает "
                    "непрерывное образование на рабочем месте и поощряет знакомство с Руководством "
                    "ИФЛА по непрерывному профессиональному развитию: принципы и лучшие практики, а "
                    "также его адаптацию к практике российских библиотек.",
                ),
            ),
            (
                t("Analyst", "Аналитик"),
                t(
                    "RLA regularly monitors the quality of LIS education given by higher education "
                    "institutions and by libraries licensed to teach, and introduces standards for "
                    "the development of library staff, including systems of staff motivation.",
                    "РБА регулярно отслеживает качество библиотечно-информационного образования, "
                    "которое дают вузы и библиотеки, имеющие лицензию на образовательную деятельность, "
                    "и вводит стандарты развития библиотечного персонала, включая системы мотивации "
                    "сотрудников.",
                ),
            ),
        ],
    ),
    (
        t(
            "Some aspects of securing modern libraries’ financial stability",
            "Некоторые аспекты обеспечения финансовой устойчивости современных библиотек",
        ),
        [
            t("Fundraising", "Фандрайзинг"),
            t(
                "Additional sources of income for RLA activities",
                "Дополнительные источники доходов для деятельности РБА",
            ),
            t(
                "Project activities, including publishing, advertising and other sought-after "
                "services",
                "Проектная деятельность, включая издательские, рекламные и другие востребованные "
                "услуги",
            ),
        ],
    ),
]


def final_document_directions(ref):
    k = "final-document-2019"
    stream = []
    for d, (title, guidelines) in enumerate(DIRECTIONS, start=1):
        items = []
        for g, guideline in enumerate(guidelines, start=1):
            if isinstance(guideline, tuple):
                role, paragraph = guideline
                value = {
                    "title": "",
                    "actor": ref("org", "rla").pk,
                    "role": role,
                    "text": rich(paragraph),
                }
            else:
                value = {"title": guideline, "actor": None, "role": "", "text": ""}
            items.append(item(value, k, "direction", d, "guideline", g))
        stream.append(
            block(
                "direction", {"title": title, "summary": "", "guidelines": items}, k, "direction", d
            )
        )
    return stream


def final_document_links(ref):
    k = "final-document-2019"
    links = [
        (INTERVIEW_MACKENZIE[1], INTERVIEW_MACKENZIE[0], ""),
        (INTERVIEW_GARCIA_FEBO[1], INTERVIEW_GARCIA_FEBO[0], ""),
        (
            t(
                "IFLA Guidelines on Continuing Professional Development: Principles and Best "
                "Practices",
                "Руководство ИФЛА по непрерывному профессиональному развитию: принципы и лучшие "
                "практики",
            ),
            IFLA_CPD_GUIDELINES_URL,
            t(
                "Summary in Russian (PDF), cited in guideline V.3.",
                "Краткое изложение на русском языке (PDF), на которое ссылается положение V.3.",
            ),
        ),
    ]
    return [
        block(
            "link",
            {"title": title, "page": None, "url": url, "description": description},
            k,
            "link",
            url,
        )
        for title, url, description in links
    ]


# --- The Rudomino Award ---------------------------------------------------------------------

AWARD = {
    "key": "award",
    "slug": "rudomino-award",
    "title": t("Rudomino Award", "Премия имени Рудомино"),
    "name": t("Rudomino Award", "Премия имени Рудомино"),
    "named_after": t("Margarita Ivanovna Rudomino", "Маргарита Ивановна Рудомино"),
    "established_on": SESSION_2021,
    "established_by": ("org", "lfl"),
    "purpose": rich(
        t(
            "The Library for Foreign Literature established the Rudomino Award, with the "
            "support of the RLA Section for International Cooperation, in honour of the "
            "library's founder Margarita Ivanovna Rudomino and to mark the LFL centenary.",
            "Библиотека иностранной литературы при поддержке Секции по международному "
            "сотрудничеству РБА учредила премию имени Рудомино в честь основательницы "
            "библиотеки Маргариты Ивановны Рудомино и в ознаменование столетия ВГБИЛ.",
        ),
        t(
            "The award recognizes Russian libraries for significant achievements and a creative "
            "approach to international activities in their regions.",
            "Премия отмечает российские библиотеки за значительные достижения и творческий "
            "подход к международной деятельности в своих регионах.",
        ),
    ),
    "eligibility": rich(
        t(
            "Russian libraries that carry out international activities in their region.",
            "Российские библиотеки, ведущие международную деятельность в своём регионе.",
        ),
    ),
    "criteria": rich(
        t(
            "Significant achievements and a creative approach to international activities.",
            "Значительные достижения и творческий подход к международной деятельности.",
        ),
    ),
    "prizes": "",
}


def award_partners(ref):
    return [block("organization", ref("org", "rla").pk, "award", "partner", "rla")]


ANNOUNCEMENT = {
    "key": "award-established-2021",
    "slug": "established-2021",
    "title": t("The Rudomino Award is established", "Учреждена премия имени Рудомино"),
    "season_year": 2021,
    "announced_on": SESSION_2021,
    "kind": "established",
    "summary": t(
        "Closing ALMA 2021, LFL Director General Pavel L. Kuzmin announced that the Library "
        "for Foreign Literature, with the support of the RLA Section for International "
        "Cooperation, had established the Rudomino Award. The first winners will be announced "
        "a year later, at the next ALMA.",
        "Завершая ALMA 2021, генеральный директор ВГБИЛ Павел Л. Кузьмин объявил, что "
        "Библиотека иностранной литературы при поддержке Секции по международному "
        "сотрудничеству РБА учредила премию имени Рудомино. Первых лауреатов объявят через "
        "год, на следующем форуме ALMA.",
    ),
}


def announcement_body(ref):
    k = "award-established-2021"
    return [
        block(
            "paragraph",
            rich(
                t(
                    "The award carries the name of Margarita Ivanovna Rudomino, who founded the "
                    "library a hundred years before, and is open to Russian libraries for their "
                    "international work in the regions.",
                    "Премия носит имя Маргариты Ивановны Рудомино, основавшей библиотеку за сто лет "
                    "до этого, и присуждается российским библиотекам за международную работу в "
                    "регионах.",
                ),
            ),
            k,
            "paragraph",
        ),
        block(
            "organization_list",
            {
                "title": t("Founder and partner", "Учредитель и партнёр"),
                "relation": "partners",
                "organizations": [item(ref("org", o).pk, k, "org", o) for o in ("lfl", "rla")],
            },
            k,
            "organizations",
        ),
    ]
