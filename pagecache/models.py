from django.db import models


class Generation(models.Model):
    """The database's record of the page-cache generation: one row, only ever raised.

    Every bump raises it (to at least the clock in microseconds) before it raises the
    cache's copy, so a cache restarted from an older snapshot, whose generation is then
    behind this one, is caught and moved on instead of serving the pages of that
    snapshot (pagecache.generation).
    """

    value = models.BigIntegerField()

    class Meta:
        verbose_name = "page-cache generation"

    def __str__(self):
        return str(self.value)
