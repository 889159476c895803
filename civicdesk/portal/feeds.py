"""RSS 2.0 and Atom feeds of news and announcements, in the language of the address."""

from __future__ import annotations

from datetime import datetime

from django.contrib.syndication.views import Feed
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _

from civicdesk.core.i18n import english_active
from civicdesk.portal import richtext, selectors
from civicdesk.portal.models import Page


class NewsRssFeed(Feed):
    def title(self) -> str:
        return _("News and announcements")

    def link(self) -> str:
        return reverse("portal:news")

    def description(self) -> str:
        return _("News and announcements of the branch.")

    def items(self) -> list[Page]:
        pages = selectors.news_pages()
        if english_active():
            pages = pages.exclude(title_en="")
        return list(pages[:30])

    def item_title(self, item: Page) -> str:
        return item.title_en if english_active() else item.title_zh

    def item_description(self, item: Page) -> str:
        summary = item.summary_en if english_active() else item.summary_zh
        return summary or richtext.plain(item.body_en if english_active() else item.body_zh)[:300]

    def item_link(self, item: Page) -> str:
        return reverse("portal:page", args=[item.slug])

    def item_pubdate(self, item: Page) -> datetime | None:
        return item.first_published_at

    def item_updateddate(self, item: Page) -> datetime | None:
        return item.last_published_at


class NewsAtomFeed(NewsRssFeed):
    feed_type = Atom1Feed

    def subtitle(self) -> str:
        return self.description()
