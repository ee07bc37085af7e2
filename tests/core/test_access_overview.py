import re

from tests.conftest import verified_client


def _row(page: str, path: str) -> str:
    match = re.search(rf"<tr[^>]*><td class=\"mono\">{re.escape(path)}</td>.*?</tr>", page, re.S)
    assert match, f"no row for {path}"
    return match.group(0)


def test_admin_sees_every_route_with_its_declared_roles(world):
    page = verified_client(world.admin).get("/access/").content.decode()
    assert "人才办管理员" in _row(page, "/audit/")
    assert "审核员" not in _row(page, "/audit/")
    assert "所有人（无需登录）" in _row(page, "/login/")
    assert "未声明（拒绝）" not in page  # every route in the product declares its roles


def test_reviewer_cannot_open_the_access_overview(world):
    assert verified_client(world.reviewer).get("/access/").status_code == 403
