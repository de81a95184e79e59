"""Overview: what the report is, its headline figures, the coverage gap, the eight trends."""

import streamlit as st

from components import overview as ov
from components.cached import get_bundle
from components.captions import named_list_source, source_line
from components.display import show_svg
from components.i18n import t
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
# uploaded data naming more than figure 2-1 counts: its names are not all the report's text's
cols[1].metric(
    t("overview.metric_named_data" if head.beyond else "overview.metric_named", lang), head.named
)
cols[2].metric(t("overview.metric_unnamed", lang), head.unnamed)
cols[3].metric(t("overview.metric_countries", lang), head.countries)
cols[4].metric(t("overview.metric_policies", lang), head.policies)

st.info(ov.gap_text(bundle, lang), icon=":material/info:")

source = source_line(lang, ["figure 2-1"], named_list_source(bundle, lang))
left, right = st.columns(2)
for col, by, title in (
    (left, "continent", "overview.by_continent"),
    (right, "sector", "overview.by_sector"),
):
    with col:
        st.header(t(title, lang))
        # Drawn as SVG: the first page needs no chart code (plotly.js) in the browser, nor a
        # plotly figure on the server (the briefing's slide draws its own).
        show_svg(
            ov.coverage_svg(bundle, by, lang),
            key=f"ov_{by}",
            name=f"clusters_by_{by}",
            source=source,
            lang=lang,
            table=ov.coverage_csv(bundle, by, lang),
            note=ov.coverage_notes(bundle, by, lang),
        )

st.header(t("overview.trends", lang, n=head.trends))
for line in ov.trend_lines(bundle, lang):
    st.markdown(line)
st.caption(source_line(lang, ["ch6"]))
