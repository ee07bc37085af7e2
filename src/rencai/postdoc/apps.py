from django.apps import AppConfig


class PostdocConfig(AppConfig):
    name = "rencai.postdoc"
    label = "postdoc"
    verbose_name = "博士后工作站"
