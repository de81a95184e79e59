"""Overview: what the report is, its headline figures, the coverage gap, the eight trends."""

import streamlit as st

from components import overview as ov
from components.cached import get_bundle
from components.captions import source_line
from components.i18n import continent_name, sector_name, t
from components.safe import escape_md
from components.widgets import current_lang, show_fig

lang = current_lang()
bundle = get_bundle()
head = ov.headline(bundle)

st.title(t("app.title", lang))
st.caption(t("app.subtitle", lang))
st.markdown(
    t(
        "overview.about",
        lang,
        publisher=t("app.publisher", lang),
        total=head.total,
        trends=head.trends,
    )
)

cols = st.columns(5)
cols[0].metric(t("overview.metric_total", lang), head.total)
cols[1].metric(t("overview.metric_named", lang), head.named)
cols[2].metric(t("overview.metric_unnamed", lang), head.unnamed)
cols[3].metric(t("overview.metric_countries", lang), head.countries)
cols[4].metric(t("overview.metric_policies", lang), head.policies)

gap = ov.unnamed_by_sector(bundle)
parts = [
    t(
        "overview.gap_part",
        lang,
        n=int(row.unnamed),
        sector=sector_name(row.sector, lang),
        continent=continent_name(row.continent, lang),
    )
    for row in gap.itertuples()
]
st.info(
    t("overview.gap", lang, named=head.named, total=head.total, unnamed=head.unnamed)
    + ("；" if lang == "zh" else "; ").join(parts)
    + ("。" if lang == "zh" else "."),
    icon=":material/info:",
)

source = source_line(lang, ["figure 2-1"], t("source.cluster_list", lang))
left, right = st.columns(2)
with left:
    st.subheader(t("overview.by_continent", lang))
    fig = ov.build_coverage_bar(ov.coverage(bundle, "continent"), "continent", lang)
    show_fig(fig, key="ov_continent", filename="clusters_by_continent", source=source)
with right:
    st.subheader(t("overview.by_sector", lang))
    fig = ov.build_coverage_bar(ov.coverage(bundle, "sector"), "sector", lang)
    show_fig(fig, key="ov_sector", filename="clusters_by_sector", source=source)

st.subheader(t("overview.trends", lang, n=head.trends))
title_col = f"title_{lang}"
for _, row in bundle.trends.sort_values("trend_no").iterrows():
    st.markdown(f"**{int(row['trend_no'])}.** {escape_md(row[title_col])}")
st.caption(source_line(lang, ["ch6"]))
