"""学历 on the talent form is a choice of the canonical levels (issue 11), and an old free-text value stays."""

from __future__ import annotations

from rencai.talents.forms import TalentForm
from rencai.talents.models import EDUCATION_LEVELS, Talent
from tests.conftest import verified_client
from tests.talents.test_talent_form import _page_values


def test_the_form_offers_the_canonical_levels_as_a_select(world):
    page = verified_client(world.admin).get("/talents/new/").content.decode()
    assert '<select name="education"' in page
    for level in EDUCATION_LEVELS:
        assert f'<option value="{level}"' in page


def test_a_value_outside_the_levels_is_refused_for_a_new_entry(world):
    form = TalentForm(data={"zone": world.zone_a.pk, "name": "新人", "education": "研究生"},
                      zones=world.admin.visible_zones())
    assert not form.is_valid()
    assert "education" in form.errors


def test_an_old_free_text_value_stays_selectable_and_an_unchanged_save_keeps_it(world):
    Talent.objects.filter(pk=world.talent.pk).update(education="研究生")
    talent = Talent.objects.get(pk=world.talent.pk)
    client = verified_client(world.admin)
    page = client.get(f"/talents/{talent.pk}/edit/").content.decode()
    assert '<option value="研究生" selected' in page
    response = client.post(f"/talents/{talent.pk}/edit/", _page_values(client, talent))
    assert response.status_code == 302, response.content.decode()[:2000]
    talent.refresh_from_db()
    assert talent.education == "研究生"
    data = _page_values(client, talent) | {"education": "博士研究生"}
    client.post(f"/talents/{talent.pk}/edit/", data)
    talent.refresh_from_db()
    assert talent.education == "博士研究生"
