from django.contrib.sitemaps.views import sitemap
from django.urls import path

from cases.kinds import KINDS

from . import badges, exports, feeds, sitemaps, views

app_name = "opendata"

urlpatterns = [
    path("robots.txt", sitemaps.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": sitemaps.SITEMAPS}, name="sitemap"),
    path("data/", views.open_data, name="open_data"),
    path("feeds/evidence.atom", feeds.LatestEvidenceFeed(), name="feed_latest"),
    path("feeds/factors/<slug:slug>.atom", feeds.FactorEvidenceFeed(), name="feed_factor"),
    path("feeds/domains/<slug:slug>.atom", feeds.DomainEvidenceFeed(), name="feed_domain"),
    path("badges/framework.svg", badges.framework_badge, name="badge_framework"),
    path("badges/framework.json", badges.framework_badge_json, name="badge_framework_json"),
    path("badges/factor/<slug:slug>.svg", badges.factor_badge, name="badge_factor"),
    path("badges/factor/<slug:slug>.json", badges.factor_badge_json, name="badge_factor_json"),
    path("maturity.csv", exports.maturity_csv, name="maturity_csv"),
    path("improvement.csv", exports.improvement_csv, name="improvement_csv"),
    path("domain-outcomes.csv", exports.domain_outcomes_csv, name="domain_outcomes_csv"),
    path("failure-modes.csv", exports.failure_modes_csv, name="failure_modes_csv"),
]
# Each kind's CSV: /case-studies.csv named opendata:casestudy_csv (from the kind's model).
urlpatterns += [
    path(
        f"{kind.list_path}.csv",
        exports.evidence_csv,
        {"kind": kind.key},
        name=kind.csv_url_name.removeprefix("opendata:"),
    )
    for kind in KINDS.values()
]
