app_name = "postdoc"
urlpatterns: list = []
