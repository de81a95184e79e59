"""The dataset's vocabulary: category codes and their display order. No Streamlit, no I/O.

Every module that needs a sector, continent, theme or period code imports it from here, so the
order in which charts, filters and tables list them is defined once. Localised names live in the
string catalogue (``sector.<code>``, ``continent.<code>``, ``theme.<code>``).
"""

from __future__ import annotations

SECTORS: tuple[str, ...] = ("electronics", "equipment", "biomed", "materials", "consumer", "nev")
CONTINENTS: tuple[str, ...] = ("NA", "EU", "AS", "OC", "SA")

GEO_PRECISIONS: tuple[str, ...] = ("city", "region", "country")
ROLES: tuple[str, ...] = ("lead_enterprise", "research_institution")
CLUSTER_MATCHES: tuple[str, ...] = ("exact", "inferred")
POLICY_PERIODS: tuple[str, ...] = ("2005-2021", "2022-2023")
PROVENANCES: tuple[str, ...] = ("report", "public record")
THEMES: tuple[str, ...] = (
    "innovation",
    "cluster",
    "digital",
    "green",
    "sme",
    "supply-chain",
    "basic-research",
    "regional",
    "industry-revival",
    "high-tech",
    "jobs",
)
UNITS: tuple[str, ...] = (
    "percent",
    "count",
    "usd_100m",
    "usd_billion",
    "gbp_billion",
    "clusters",
    "firms",
    "years",
    "times",
    "other",
)
QUALIFIERS: tuple[str, ...] = ("about", "nearly", "over", "exact")
SECTION_KINDS: dict[str, int] = {  # kind -> the chapter it belongs to
    "value": 1,
    "tech_theme": 3,
    "regional_policy": 4,
    "research_theme": 5,
    "recommendation": 7,
}
TREND_COUNT = 8

# The 27 member states of the European Union since 1 February 2020 (europa.eu, "EU countries").
# pycountry has no EU flag, so the list is kept here.
EU_MEMBERS: frozenset[str] = frozenset(
    "AUT BEL BGR HRV CYP CZE DNK EST FIN FRA DEU GRC HUN IRL ITA LVA LTU LUX MLT NLD POL PRT ROU "
    "SVK SVN ESP SWE".split()
)


def jurisdictions(country: str) -> tuple[str, ...]:
    """Whose policies apply to a country: the country, and the EU for its member states."""
    return (country, "EU") if country in EU_MEMBERS else (country,)
