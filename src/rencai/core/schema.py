"""The OpenAPI schema as the API really answers: masked fields with their shape, and the error answers.

drf-spectacular finds the MaskedField extension by its dotted name, so this module imports no view code;
`rencai.core.api` imports it at the end to register the extension.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiSerializerFieldExtension
from drf_spectacular.openapi import AutoSchema

# How many characters each mask keeps at the start and the end (rencai.core.masking).
_KEEP = {"id_number": (6, 4), "phone": (3, 4), "bank_account": (4, 4), "other": (1, 1)}
_FULL_VALUE = "完整值只能在页面上说明原因后查看"
_KIND_LABEL = {"id_number": "身份证号", "phone": "手机号", "bank_account": "银行账号", "other": "个人信息"}


def masked_pattern(kind: str) -> str:
    start, end = _KEEP.get(kind, _KEEP["other"])
    return rf"^$|^[^*]{{0,{start}}}\*+[^*]{{0,{end}}}$"


class MaskedFieldExtension(OpenApiSerializerFieldExtension):
    target_class = "rencai.core.api.MaskedField"

    def map_serializer_field(self, auto_schema: AutoSchema, direction: Any) -> dict[str, Any]:
        from rencai.core.sensitive import sensitive_kind

        field = self.target
        model = getattr(getattr(field.parent, "Meta", None), "model", None)
        for name in filter(None, getattr(field, "through", "").split(".")):  # the related record holding it
            model = model._meta.get_field(name).related_model if model is not None else None
        kind = (sensitive_kind(model, field.sensitive_field) if model is not None else None) or "other"
        return {
            "type": "string",
            "readOnly": True,
            "pattern": masked_pattern(kind),
            "description": f"{_KIND_LABEL.get(kind, '个人信息')}（脱敏显示，中间以 * 代替；{_FULL_VALUE}）",
        }


_DETAIL = {"type": "object", "properties": {"detail": {"type": "string"}}, "required": ["detail"]}
_ERRORS = {
    "400": ("请求有误：字段错误按字段名列出（{字段: [原因]}），其他错误在 detail 中",
            {"type": "object", "additionalProperties": {}}),
    "401": ("未登录、令牌无效或已过期", _DETAIL),
    "403": ("角色无权使用该接口，或只读令牌试图修改", _DETAIL),
    "404": ("记录不存在或不在您的范围内；列表的页码超出范围", _DETAIL),
}


class RencaiAutoSchema(AutoSchema):
    """drf-spectacular's schema plus the error answers every operation can give."""

    def _get_response_bodies(self, direction: Any = "response") -> dict[str, Any]:
        responses = super()._get_response_bodies(direction)
        if getattr(self.view, "allowed_roles", None) == frozenset({"public"}):
            return responses
        codes = ["400", "401", "403"]  # 400 for every operation: any query string may carry a refused NUL
        if "{" in self.path or self.method == "GET":
            codes.append("404")
        for code in codes:
            description, schema = _ERRORS[code]
            responses.setdefault(code, {"content": {"application/json": {"schema": schema}},
                                        "description": description})
        return responses
