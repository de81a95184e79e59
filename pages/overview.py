"""Overview: what the report is, its headline figures, the coverage gap, the eight trends."""

import streamlit as st

from components import overview as ov
from components.cached import get_bundle
from components.captions import cluster_list_source, cluster_sources, source_line
from components.display import show_fig
from components.i18n import continent_name, join_list, punct, sector_name, t
from components.safe import escape_md
from components.widgets import current_lang

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

parts = [
    t(
        "overview.gap_part",
        lang,
        n=int(row.unnamed),
        sector=sector_name(row.sector, lang),
        continent=continent_name(row.continent, lang),
    )
    for row in ov.unnamed_by_sector(bundle).itertuples()
]
st.info(
    t(
        "overview.gap",
        lang,
        named=head.named,
        total=head.total,
        unnamed=head.unnamed,
        where=cluster_sources(bundle.clusters, lang),
    )
    + join_list(parts, lang, "clause")
    + punct("stop", lang),
    icon=":material/info:",
)

source = source_line(lang, ["figure 2-1"], cluster_list_source(bundle.clusters, lang))
left, right = st.columns(2)
for col, by, title in (
    (left, "continent", "overview.by_continent"),
    (right, "sector", "overview.by_sector"),
):
    with col:
        st.header(t(title, lang))
        fig, table = ov.coverage_chart(bundle, by, lang)
        show_fig(
            fig, key=f"ov_{by}", name=f"clusters_by_{by}", source=source, lang=lang, table=table
        )

st.header(t("overview.trends", lang, n=head.trends))
for row in bundle.trends.sort_values("trend_no").itertuples(index=False):
    st.markdown(f"**{int(row.trend_no)}.** {escape_md(getattr(row, f'title_{lang}'))}")
st.caption(source_line(lang, ["ch6"]))
