from django.apps import AppConfig


class OpendataConfig(AppConfig):
    name = "opendata"
    verbose_name = "Open data: feeds, badges, API, exports"

    def ready(self):
        from . import carried

        carried.install()  # the activity measures count what an imported snapshot carried
