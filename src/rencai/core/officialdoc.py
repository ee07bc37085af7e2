"""One official-document layout (GB/T 9704-2012 style) for every letter, notice and task book, as PDF and .docx.

Every generator fills an `OfficialLetter` and calls `pdf_bytes` / `docx_bytes`; nobody keeps a second layout.

- A4, 天头 37 mm, 订口 28 mm, 版心 156 × 225 mm (so right 26 mm, bottom 35 mm):
  22 lines of 28 characters of 3号 (16 pt).
- 发文机关标志: the office's sender line (region + office name, `OfficeProfile.sender`) in red 小标宋, centred.
- 发文字号 from `rencai.core.office.document_number` (a series per kind and year: 包人才办函〔2026〕3号), centred,
  then a red rule the width of the 版心.
- Title in 2号 小标宋; 主送机关 flush left with a colon; body in 3号 仿宋, each paragraph indented two characters.
- 落款: the office name and the date (2026年12月7日), right-aligned four characters in; 版记 with 抄送 and the 印发 line
  between rules; page numbers "— 1 —" in 4号, odd pages right, even pages left.

Fonts: 方正小标宋 / 仿宋_GB2312 where installed (the office's own machines usually have them), falling back to a
free CJK serif (Noto Serif CJK SC, Debian fonts-noto-cjk; Source Han Serif; AR PL UMing) and last to WenQuanYi.
The .docx names the official fonts, since it is opened in the office's word processor, not on this server.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.template.loader import render_to_string

from rencai.core.models import City
from rencai.core.office import document_number, office_of

RED_HEX = "C00000"
FREE_SERIF = ("Noto Serif CJK SC", "Noto Serif SC", "Source Han Serif SC", "Source Han Serif CN", "AR PL UMing CN")
LAST_RESORT = ("WenQuanYi Micro Hei",)
TITLE_FONTS = ("方正小标宋简体", "方正小标宋_GBK", "FZXiaoBiaoSong-B05S", "小标宋", *FREE_SERIF, *LAST_RESORT)
BODY_FONTS = ("仿宋_GB2312", "仿宋", "FangSong_GB2312", "FangSong", "STFangsong", *FREE_SERIF, *LAST_RESORT)
HEADING_FONTS = ("黑体", "SimHei", "Noto Sans CJK SC", *LAST_RESORT)

# What the .docx names: Word on the office's machine resolves them (仿宋_GB2312 / 方正小标宋简体 are the official ones).
DOCX_TITLE_FONT = "方正小标宋简体"
DOCX_BODY_FONT = "仿宋_GB2312"
DOCX_LATIN_FONT = "Times New Roman"


def css_stack(fonts: Sequence[str], generic: str = "serif") -> str:
    """A CSS font-family value: '"仿宋_GB2312", "Noto Serif CJK SC", …, serif'."""
    return ", ".join(f'"{f}"' for f in fonts) + f", {generic}"


def cn_date(day: date) -> str:
    """成文日期 as GB/T 9704-2012 writes it: 2026年12月7日."""
    return f"{day.year}年{day.month}月{day.day}日"


@dataclass(frozen=True)
class OfficialLetter:
    """What a letter says; the layout is `pdf_bytes` / `docx_bytes`.

    `office` is the sender line at the top (机关标志); `signature` the 落款 (defaults to the same);
    `institution` the 主送机关; `issuer` the 印发 line's office (defaults to the signature).
    """

    office: str
    number: str
    title: str
    institution: str
    paragraphs: list[str]
    dated: date
    signature: str = ""
    cc: str = ""
    issuer: str = ""
    seal_note: str = ""
    attachments: list[str] = field(default_factory=list)

    @property
    def salutation(self) -> str:
        return f"{self.institution}：" if self.institution else ""

    @property
    def date_text(self) -> str:
        return cn_date(self.dated)

    @property
    def signed_by(self) -> str:
        return self.signature or self.office

    @property
    def issued_by(self) -> str:
        return self.issuer or self.signed_by

    @property
    def issue_line(self) -> str:
        return f"{self.issued_by}　{self.date_text}印发"


def letter_for(*, city: City | None, kind: str, title: str, institution: str, paragraphs: list[str], dated: date,
               prefix: str = "", number: str = "", cc: str = "") -> OfficialLetter:
    """A letter signed with the city's office profile and numbered in the office's series for `kind` and the year.

    `number` is kept when the document already has one (a task book reprinted keeps its 文号).
    """
    profile = office_of(city)
    if not number and city is not None:
        number = document_number(city=city, key=kind, year=dated.year, prefix=prefix)
    return OfficialLetter(office=profile.sender, number=number, title=title, institution=institution,
                          paragraphs=paragraphs, dated=dated, signature=profile.sender, cc=cc,
                          issuer=profile.name)


def office_size(name: str) -> float:
    """The 机关标志's size in pt: as large as 36 pt, never wider than the 版心 (156 mm ≈ 442 pt)."""
    return round(min(36.0, 430 / max(len(name), 1)), 1)


def pdf_bytes(letter: OfficialLetter) -> bytes:
    from weasyprint import HTML

    html = render_to_string("core/official_letter.html", {
        "l": letter, "title_fonts": css_stack(TITLE_FONTS), "body_fonts": css_stack(BODY_FONTS),
        "office_size": office_size(letter.office)})
    return HTML(string=html).write_pdf()


def docx_bytes(letter: OfficialLetter) -> bytes:
    from docx import Document
    from docx.enum.section import WD_SECTION
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn
    from docx.shared import Mm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.start_type = WD_SECTION.NEW_PAGE
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(37), Mm(35)
    section.left_margin, section.right_margin = Mm(28), Mm(26)
    section.footer_distance = Mm(28)
    # 22 lines × 28 characters: the document grid Word uses for 公文.
    grid = section._sectPr.find(qn("w:docGrid"))
    if grid is None:
        grid = OxmlElement("w:docGrid")
        section._sectPr.append(grid)
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), "579")  # 225 mm / 22 lines in twips
    grid.set(qn("w:charSpace"), "0")

    def fonts(target: object, east_asian: str) -> None:
        r_pr = target.get_or_add_rPr()  # type: ignore[attr-defined]
        r_fonts = r_pr.find(qn("w:rFonts"))
        if r_fonts is None:
            r_fonts = OxmlElement("w:rFonts")
            r_pr.insert(0, r_fonts)
        for attr, value in (("w:ascii", DOCX_LATIN_FONT), ("w:hAnsi", DOCX_LATIN_FONT),
                            ("w:eastAsia", east_asian), ("w:cs", DOCX_LATIN_FONT)):
            r_fonts.set(qn(attr), value)

    normal = doc.styles["Normal"]
    normal.font.name, normal.font.size = DOCX_LATIN_FONT, Pt(16)
    fonts(normal.element, DOCX_BODY_FONT)
    normal.paragraph_format.line_spacing_rule = WD_LINE_SPACING.EXACTLY
    normal.paragraph_format.line_spacing = Pt(28.95)
    normal.paragraph_format.space_before = normal.paragraph_format.space_after = Pt(0)

    def rule(paragraph: object, *, color: str, size: int, where: str = "bottom") -> None:
        p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
        borders = OxmlElement("w:pBdr")
        edge = OxmlElement(f"w:{where}")
        for attr, value in (("w:val", "single"), ("w:sz", str(size)), ("w:space", "1"), ("w:color", color)):
            edge.set(qn(attr), value)
        borders.append(edge)
        p_pr.append(borders)

    def line(text: str, *, size: float = 16, red: bool = False, align: WD_ALIGN_PARAGRAPH | None = None,
             indent: bool = False, font: str = DOCX_BODY_FONT, right_indent: float = 0) -> object:
        p = doc.add_paragraph()
        if align is not None:
            p.alignment = align
        if indent:
            p.paragraph_format.first_line_indent = Pt(32)
        if right_indent:
            p.paragraph_format.right_indent = Pt(right_indent)
        if text:
            run = p.add_run(text)
            run.font.size = Pt(size)
            run.font.name = DOCX_LATIN_FONT
            fonts(run._r, font)
            if red:
                run.font.color.rgb = RGBColor.from_string(RED_HEX)
        return p

    head = line(letter.office, size=26, red=True, align=WD_ALIGN_PARAGRAPH.CENTER, font=DOCX_TITLE_FONT)
    head.paragraph_format.line_spacing = Pt(44)  # type: ignore[attr-defined]
    line("")
    number = line(letter.number, align=WD_ALIGN_PARAGRAPH.CENTER)
    rule(number, color=RED_HEX, size=12)
    line("")
    title = line(letter.title, size=22, align=WD_ALIGN_PARAGRAPH.CENTER, font=DOCX_TITLE_FONT)
    title.paragraph_format.line_spacing = Pt(36)  # type: ignore[attr-defined]
    line("")
    if letter.salutation:
        line(letter.salutation)
    for text in letter.paragraphs:
        line(text, indent=True)
    if letter.attachments:
        line("")
        for i, name in enumerate(letter.attachments, start=1):
            line(f"附件：{i}．{name}" if i == 1 else f"　　　{i}．{name}", indent=True)
    line("")
    line("")
    line(f"{letter.signed_by}{letter.seal_note}", align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=64)
    line(letter.date_text, align=WD_ALIGN_PARAGRAPH.RIGHT, right_indent=64)
    line("")
    first = line(f"抄送：{letter.cc}" if letter.cc else "", size=14, indent=bool(letter.cc))
    rule(first, color="000000", size=8, where="top")
    issue = line(letter.issue_line, size=14, indent=True)
    rule(issue, color="000000", size=8)

    # Page numbers: "— 1 —" in 4号, odd pages right, even pages left (one character in).
    doc.settings.odd_and_even_pages_header_footer = True
    for footer, align in ((section.footer, WD_ALIGN_PARAGRAPH.RIGHT),
                          (section.even_page_footer, WD_ALIGN_PARAGRAPH.LEFT)):
        p = footer.paragraphs[0]
        p.alignment = align
        for part in ("— ", None, " —"):
            run = p.add_run()
            run.font.size = Pt(14)
            fonts(run._r, "宋体")
            if part is not None:
                run.text = part
                continue
            page_field: tuple[tuple[str | None, str | None], ...] = (("begin", None), (None, "PAGE"), ("end", None))
            for kind, instr in page_field:
                if kind:
                    el = OxmlElement("w:fldChar")
                    el.set(qn("w:fldCharType"), kind)
                else:
                    el = OxmlElement("w:instrText")
                    el.set(qn("xml:space"), "preserve")
                    el.text = instr
                run._r.append(el)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()
