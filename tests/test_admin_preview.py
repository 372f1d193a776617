"""Wagtail's preview renders every page type (the admin's preview panel uses the same call)."""

import pytest
from django.test import RequestFactory

PAGE_ATTRIBUTES = [
    "forum_index", "edition_2021", "speaker_index", "mackenzie", "quotation_index",
    "quotation", "guideline_index", "final_document", "award", "winners",
]  # fmt: skip


@pytest.mark.parametrize("attribute", PAGE_ATTRIBUTES)
def test_preview_renders_the_page_template_with_unsaved_changes(alma, attribute):
    page = getattr(alma, attribute)
    page.title = f"{page.title} (draft preview)"  # an unsaved edit, as in the editor
    request = RequestFactory().get("/admin/")
    response = page.make_preview_request(
        original_request=request, preview_mode=page.default_preview_mode
    )
    assert response.status_code == 200
    if hasattr(response, "render"):  # a TemplateResponse, as Page.serve returns
        response.render()
    html = response.content.decode()
    assert page.title in html
    assert "<main" in html
