import io

import openpyxl

from tests.conftest import verified_client


def test_export_form_follows_a_search_typed_after_the_page_loaded(world):
    client = verified_client(world.admin)
    partial = client.get("/talents/?q=王建国", HTTP_HX_REQUEST="true").content.decode()
    assert 'name="q" value="王建国"' in partial  # the export form is re-rendered with the table


def test_export_contains_the_rows_the_filtered_list_shows(world):
    client = verified_client(world.admin)
    response = client.get("/talents/export/?q=王建国")
    sheet = openpyxl.load_workbook(io.BytesIO(response.content), read_only=True).active
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["王建国"]


def test_audit_log_shows_role_names_in_chinese(world):
    client = verified_client(world.admin)
    client.get("/talents/export/")
    assert "人才办管理员" in client.get("/audit/?action=export").content.decode()
