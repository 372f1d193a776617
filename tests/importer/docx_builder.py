"""Word documents for the tests, written with python-docx the way Word stores them: heading
styles, list numbering through ``numPr`` and a numbering definition (Roman directions with
decimal items one level down), hyperlinks as relationships."""

import docx
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

NUMBERING = (
    f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">'
    '<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="upperRoman"/>'
    '<w:lvlText w:val="%1."/></w:lvl>'
    '<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="decimal"/>'
    '<w:lvlText w:val="%2."/></w:lvl>'
    "</w:abstractNum>"
)


def _list_id(document):
    """A list (``w:num``) on a new abstract numbering: its numId."""
    numbering = document.part.numbering_part.element
    abstract = parse_xml(NUMBERING)
    # abstractNum elements come before the num elements (the schema's order).
    first_num = numbering.find(qn("w:num"))
    if first_num is not None:
        first_num.addprevious(abstract)
    else:
        numbering.append(abstract)
    num = parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>')
    numbering.append(num)
    return 90


def numbered(document, text, num_id, level):
    paragraph = document.add_paragraph(text)
    p_pr = paragraph._p.get_or_add_pPr()
    p_pr.append(
        parse_xml(
            f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/>'
            "</w:numPr>"
        )
    )
    return paragraph


def hyperlink(paragraph, text, url):
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    paragraph._p.append(
        parse_xml(
            f'<w:hyperlink {nsdecls("w", "r")} r:id="{r_id}"><w:r><w:t xml:space="preserve">'
            f"{text}</w:t></w:r></w:hyperlink>"
        )
    )


def summer_school_docx(path, *, swap=False):
    """Guidelines of an invented summer school: two Roman-numbered directions (3 and 2
    guidelines), a role, hyperlinks in a guideline and in the links section. ``swap``: the
    second direction's items out of order (numbered 1, 3 by hand in the text)."""
    document = docx.Document()
    document.add_paragraph("Guidelines of the Baltic Library Summer School", style="Title")
    document.add_paragraph("Theme: Libraries and Climate")
    document.add_paragraph("Riga, 5 June 2025")
    document.add_heading("Introduction", level=1)
    document.add_paragraph(
        "Forty librarians from the Baltic states met for a week of workshops "
        "and wrote these guidelines"
    )
    document.add_paragraph("for their libraries and associations.")
    num = _list_id(document)
    numbered(document, "Green buildings", num, 0)
    numbered(document, "Measuring the energy use of every branch", num, 1)
    numbered(document, "Baltic Library Network (BLN) acting as Mentor", num, 1)
    mentor = document.add_paragraph("The network pairs libraries with a ")
    hyperlink(mentor, "mentoring programme", "https://example.org/bln/mentoring")
    mentor.add_run(" for their first energy audit.")
    numbered(document, "Planting library gardens", num, 1)
    numbered(document, "Climate literacy", num, 0)
    numbered(document, "Reading lists on climate for young adults", num, 1)
    if swap:
        document.add_paragraph("3. Talks with scientists")  # typed, not a list item
    else:
        numbered(document, "Talks with scientists", num, 1)
    document.add_heading("Conclusion", level=1)
    document.add_paragraph("The guidelines were approved by the participants of the school.")
    document.add_heading("Links", level=1)
    links = document.add_paragraph()
    hyperlink(links, "Summer School programme", "https://example.org/bls/2025")
    document.save(path)
    return path


def forum_report_docx(path):
    """programme-chairs.txt as Word stores it: a Title, sessions as "Heading 2" with their
    times, the speakers as a bulleted list ("List Bullet", numbered through its style)."""
    document = docx.Document()
    document.add_heading("Northern Lights Library Forum 2024", level=0)
    document.add_paragraph("Report on the fourth Northern Lights Library Forum")
    document.add_paragraph(
        "The fourth Northern Lights Library Forum took place on 3 October 2024 in a hybrid "
        "format and lasted 2.5 hours. It was hosted by the Arkhangelsk Regional Scientific "
        "Library in Arkhangelsk. More than 210 participants took part, and around 1,100 viewers "
        "followed the stream."
    )
    document.add_paragraph("Theme: Libraries of the North: distance, community, memory")
    document.add_paragraph(
        "Pavel K. Ivanov, Director of the Arkhangelsk Regional Scientific Library, moderated the "
        "meeting."
    )
    document.add_heading("Programme", level=1)
    sessions = [
        (
            "10:00–11:00 Session 1: Reaching remote readers",
            "Irina S. Lebedeva, Head of the Outreach Department",
            [
                "Oleg V. Nikitin, Director of the Kholmogory District Library: a book boat on "
                "the Northern Dvina",
                "Anna P. Sokolova, librarian at the Solovetsky Library: reading by satellite",
            ],
        ),
        (
            "11:15–12:30 Session 2: Memory of the North",
            "Marina D. Petrova, Deputy Director for Research",
            ["Sergei A. Volkov, archivist: digitising the Pomor letters"],
        ),
    ]
    for title, chair, speakers in sessions:
        document.add_heading(title, level=2)
        document.add_paragraph(f"Chair: {chair}")
        document.add_paragraph("Speakers:")
        for speaker in speakers:
            document.add_paragraph(speaker, style="List Bullet")
    document.add_heading("Closing", level=2)
    document.add_paragraph(
        "Closing the forum, Irina S. Lebedeva said: “Distance is no excuse for a library: it "
        "is its reason to exist.”"
    )
    document.save(str(path))
    return path
