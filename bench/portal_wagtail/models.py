"""The benchmark's documents, one row per document and language, indexed by Wagtail's search."""

from django.db import models
from wagtail.search import index


class BenchDocument(index.Indexed, models.Model):
    object_id = models.PositiveIntegerField()
    language = models.CharField(max_length=8)
    title = models.CharField(max_length=300)
    body = models.TextField()

    # The same fields our index holds: the title and the text. `language` is a filter, like ours.
    search_fields = [
        index.SearchField("title"),
        index.SearchField("body"),
        index.FilterField("language"),
    ]

    class Meta:
        indexes = [models.Index(fields=["language"])]

    def __str__(self) -> str:
        return f"{self.object_id}:{self.language}"
