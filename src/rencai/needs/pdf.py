"""The published catalog as a PDF set in Chinese: CJK fonts embedded, so it prints the same anywhere."""

from __future__ import annotations

from django.template.loader import render_to_string

from rencai.needs.models import CatalogEdition

# Fonts the set-up installs (fonts-wqy-microhei, fonts-noto-cjk); WeasyPrint embeds the subset it uses.
CJK_FONTS = '"Noto Serif CJK SC", "Noto Sans CJK SC", "WenQuanYi Micro Hei", "Source Han Serif SC", serif'


def edition_pdf_bytes(edition: CatalogEdition) -> bytes:
    from weasyprint import HTML

    html = render_to_string("needs/catalog_pdf.html", {"e": edition, "lines": edition.lines.all(),
                                                        "fonts": CJK_FONTS})
    return HTML(string=html).write_pdf()
