"""Trend explorer: the trends of chapter 6, one open at a time (``?trend=N``), with their
evidence (the report's figures, policies, clusters, recommendations); the report panels of
chapters 1, 3, 4, 5 and 7 (``?view=``); a search over the report text (``?q=``)."""

import pandas as pd
import streamlit as st

from components import trends as tr
from components.cached import get_bundle
from components.captions import cluster_list_source, source_line
from components.display import download_csv, show_fig
from components.i18n import Lang, continent_name, join_list, punct, t
from components.registry import PAGES
from components.safe import escape_md
from components.sources import cite
from components.widgets import current_lang, sync, url_radio, url_text_input

VIEW_KEY = "url_view"  # the session key url_radio("view", ...) binds
CARDS_PER_ROW = 2
HAS_POLICIES_PAGE = any(spec.url_path == "policies" for spec in PAGES)

lang: Lang = current_lang()
bundle = get_bundle()  # app.py has already stopped with a clear message if the data is broken
numbers = tr.trend_numbers(bundle)
first = numbers[0]

st.title(t("trends.title", lang))
st.caption(t("trends.intro", lang, n=len(numbers)))

# --- the open trend: ?trend=N, the URL is its only state -----------------------------------------
trend, bad = tr.parse_trend(st.query_params.get("trend"), numbers)
if bad is not None:
    st.warning(
        t("trends.bad_trend", lang, value=escape_md(bad[:20]), first=first, last=numbers[-1]),
        icon=":material/warning:",
    )
current = trend or first
sync("trend", str(current), str(first))


def open_trend(n: int) -> None:
    """Callback: open trend ``n`` in the trends view."""
    st.session_state[VIEW_KEY] = "trends"
    sync("trend", str(n), str(first))


def open_view(view: str) -> None:
    """Callback: switch to a report panel."""
    st.session_state[VIEW_KEY] = view


view = url_radio(
    "view",
    t("trends.view_label", lang),
    tr.VIEWS,
    "trends",
    format_func=lambda v: t(f"trends.view.{v}", lang),
)
query = url_text_input(
    "q",
    t("trends.search.label", lang),
    placeholder=t("trends.search.placeholder", lang),
    help=t("trends.search.help", lang),
)

# --- search results -----------------------------------------------------------------------------
if query.strip():
    hits, total = tr.search(tr.search_docs(bundle), query)
    if not hits:
        st.info(t("trends.search.none", lang, q=escape_md(query)), icon=":material/search_off:")
    else:
        count_key = "trends.search.count" if total == len(hits) else "trends.search.count_capped"
        st.caption(t(count_key, lang, n=total, shown=len(hits)))
        with st.container(height=min(360, 90 + 95 * len(hits)), key="trend_hits"):
            for i, hit in enumerate(hits):
                where = escape_md(tr.hit_where(hit, lang))
                if hit.doc.view == "trends":
                    st.button(
                        where,
                        key=f"hit_{i}",
                        on_click=open_trend,
                        args=(hit.doc.trend_no,),
                        type="tertiary",
                        icon=":material/arrow_forward:",
                    )
                elif hit.doc.view:
                    st.button(
                        where,
                        key=f"hit_{i}",
                        on_click=open_view,
                        args=(hit.doc.view,),
                        type="tertiary",
                        icon=":material/arrow_forward:",
                    )
                else:
                    st.markdown(f"**{where}** · {t('trends.search.not_shown', lang)}")
                st.markdown(tr.highlight_md(hit.doc.text, hit.spans))


# --- shared pieces ------------------------------------------------------------------------------
def heading(text: str) -> None:
    """A section heading inside a trend or panel (no anchor link)."""
    st.markdown(f"### {text}", anchors=False)


def show_fact_card(row: pd.Series) -> None:
    """One figure of the report: its value (qualifier shown), period, region, quote, source."""
    v = tr.fact_view(row, lang)
    with st.container(border=True):
        st.markdown(f"**{escape_md(v.metric)}**")
        st.markdown(f"### {escape_md(v.text)}", anchors=False)
        st.caption(escape_md(t("trends.fact.meta", lang, period=v.period, region=v.region)))
        st.caption(escape_md(t("trends.fact.quote", lang, quote=v.quote_zh)))
        st.caption(escape_md(source_line(lang, [v.source_ref])))
        if v.note:
            st.caption(escape_md(t("trends.fact.note", lang, note=v.note)))


def show_facts(facts: pd.DataFrame, key: str) -> None:
    """Charts for grouped figures (bars or a line), cards for the others, and one CSV."""
    groups = tr.fact_groups(facts)
    for i, group in enumerate(g for g in groups if g.chart != "card"):
        show_fig(
            tr.build_fact_figure(group, lang),
            key=f"{key}_chart_{i}",
            view=f"{key}_chart_{i}",  # one slide per chart (the default drops the "_{i}")
            name=f"{key}_{group.facts['fact_id'].iloc[0]}",
            source=source_line(lang, sorted(set(group.facts["source_ref"]))),
            lang=lang,
            table=tr.facts_table(group.facts, lang),
        )
        for quote in dict.fromkeys(group.facts["quote_zh"]):
            st.caption(escape_md(t("trends.fact.quote", lang, quote=quote)))
        for note in dict.fromkeys(n for n in group.facts["note"] if n):
            st.caption(escape_md(t("trends.fact.note", lang, note=note)))
    singles = [g.facts.iloc[0] for g in groups if g.chart == "card"]
    for start in range(0, len(singles), CARDS_PER_ROW):
        cols = st.columns(CARDS_PER_ROW)
        for col, row in zip(cols, singles[start : start + CARDS_PER_ROW], strict=False):
            with col:
                show_fact_card(row)
    download_csv(tr.facts_table(facts, lang), f"{key}_facts", lang, key=f"{key}_facts_csv")


# --- the trends view ----------------------------------------------------------------------------
def show_policies(n: int) -> None:
    heading(t("trends.policies.heading", lang))
    st.caption(escape_md(tr.describe_policy_rule(n, lang)))
    policies = tr.trend_policies(bundle, n)
    if policies.empty:
        return
    dated = int(policies["year"].notna().sum())
    st.caption(t("trends.policies.count", lang, n=len(policies), dated=dated))
    if dated:
        show_fig(
            tr.build_policy_timeline(policies, lang, order=bundle.policies["jurisdiction"]),
            key=f"trend_{n}_policies",
            name=f"trend{n}_policies",
            source=source_line(lang, ["table 6-2"])
            + punct("clause", lang)
            + t("trends.policies.years_note", lang),
            lang=lang,
            table=tr.policies_table(policies, lang),
        )
    undated = policies.loc[policies["year"].isna(), f"name_{lang}"]
    if len(undated):
        st.caption(escape_md(t("trends.policies.undated", lang, names=join_list(undated, lang))))
    if HAS_POLICIES_PAGE:  # the policies page is built separately; link only once it exists
        for theme in tr.TREND_THEMES[n]:
            st.page_link(
                "pages/policies.py",
                label=t("trends.policies.link", lang, theme=tr.theme_name(theme, lang)),
                query_params={"theme": theme, "lang": lang},
                icon=":material/policy:",
            )


def show_clusters(n: int) -> None:
    heading(t("trends.clusters.heading", lang))
    rule = tr.CLUSTER_RULES[n]
    st.caption(escape_md(tr.describe_cluster_rule(bundle, rule, lang)))
    if rule.kind == "none":
        return
    if rule.kind == "all":
        lines = [
            t(
                "trends.clusters.by_continent",
                lang,
                continent=continent_name(c.continent, lang),
                published=c.published,
                named=c.named,
            )
            for c in tr.continent_counts(bundle).itertuples(index=False)
        ]
        st.markdown("\n".join(f"- {escape_md(x)}" for x in lines))
        st.caption(source_line(lang, ["figure 2-1"], cluster_list_source(bundle.clusters, lang)))
        st.page_link(
            "pages/map.py",
            label=t("trends.clusters.open_map", lang),
            query_params={"lang": lang},
            icon=":material/public:",
        )
        return
    chosen = tr.select_clusters(bundle, rule)
    if chosen.empty:
        st.caption(t("trends.clusters.none", lang))
        return
    st.caption(t("trends.clusters.count", lang, n=len(chosen)))
    for row in chosen.to_dict("records"):
        st.page_link(
            "pages/map.py",
            label=escape_md(tr.cluster_label(row, lang, rule)),
            query_params={"cluster": row["cluster_id"], "lang": lang},
            icon=":material/place:",
        )
    st.caption(source_line(lang, [], cluster_list_source(chosen, lang)))


def show_recommendations(n: int) -> None:
    heading(t("trends.recs.heading", lang))
    recs = tr.recommendations_for(bundle, n)
    if recs.empty:
        st.caption(t("trends.recs.none", lang))
        return
    for row in recs.to_dict("records"):
        st.markdown(f"**{escape_md(row[f'title_{lang}'])}**")
        basis = t(
            "trends.recs.basis", lang, ref=cite(row["source_ref"], lang), quote=row[f"basis_{lang}"]
        )
        st.caption(escape_md(basis))
    st.caption(t("trends.recs.mapping_note", lang))
    st.button(
        t("trends.recs.open", lang),
        key="open_recs",
        on_click=open_view,
        args=("recs",),
        icon=":material/arrow_forward:",
    )


def show_trend(n: int) -> None:
    v = tr.trend_view(bundle, n, lang)
    st.header(f"{n}. {escape_md(v.title)}", anchor=False)
    st.caption(t("trends.section_ref", lang, ref=cite(v.source_ref, lang)))
    if v.missing:
        st.warning(v.notice(lang), icon=":material/report:")
    elif v.partial:
        st.info(v.notice(lang), icon=":material/info:")
    st.markdown(escape_md(v.summary))
    if v.evidence:
        heading(t("trends.evidence", lang))
        st.markdown("\n".join(f"- {escape_md(item)}" for item in v.evidence))
        st.caption(source_line(lang, [v.source_ref]))

    heading(t("trends.facts.heading", lang))
    linked = tr.trend_facts(bundle, n)
    if linked.empty:
        st.caption(t("trends.facts.none", lang))
    else:
        st.caption(t("trends.facts.rule", lang, ref=cite(v.source_ref, lang)))
        show_facts(linked, f"trend{n}")

    heading(t("trends.related.heading", lang))
    st.caption(escape_md(tr.describe_related_rule(n, lang)))
    related = tr.related_facts(bundle, n)
    if related.empty:
        st.caption(t("trends.related.none", lang))
    else:
        show_facts(related.drop(columns="matched"), f"trend{n}_related")

    show_policies(n)
    show_clusters(n)
    show_recommendations(n)


# --- the report panels --------------------------------------------------------------------------
def show_panel(panel: str) -> None:
    chapter = tr.SECTION_CHAPTERS[tr.PANELS[panel]]
    st.header(
        t("trends.panel.heading", lang, name=t(f"trends.view.{panel}", lang), n=chapter),
        anchor=False,
    )
    sections = tr.panel_sections(bundle, panel)
    for row in sections.to_dict("records"):
        with st.container(border=True):
            status = tr.text_status(row["summary_en"])
            tag = tr.panel_tag(row, lang)
            badges = f" :blue-badge[{escape_md(tag)}]" if tag else ""
            if status != "complete":
                badges += f" :gray-badge[{t(f'trends.panel.{status}', lang)}]"
            st.markdown(f"**{escape_md(row[f'title_{lang}'])}**{badges}")
            st.markdown(escape_md(row[f"summary_{lang}"]))
            words = tr.keywords(row, lang)
            if words:
                chips = " ".join(f":blue-badge[{escape_md(w)}]" for w in words)
                st.markdown(f"{t('trends.panel.keywords', lang)}{punct('colon', lang)}{chips}")
            if panel == "recs":
                links = tr.trends_for(bundle, row["section_id"])
                if len(links):
                    st.markdown(f"*{t('trends.panel.answers', lang)}*")
                for link in links.to_dict("records"):
                    k = int(link["trend_no"])
                    label = t(
                        "trends.panel.open_trend",
                        lang,
                        n=k,
                        title=tr.trend_view(bundle, k, lang).title,
                    )
                    st.button(
                        escape_md(label),
                        key=f"rec_{row['section_id']}_{k}",
                        on_click=open_trend,
                        args=(k,),
                        type="tertiary",
                        icon=":material/arrow_forward:",
                    )
                    basis = t(
                        "trends.recs.basis",
                        lang,
                        ref=cite(link["source_ref"], lang),
                        quote=link[f"basis_{lang}"],
                    )
                    st.caption(escape_md(basis))
            st.caption(source_line(lang, [row["source_ref"]]))
    if panel == "recs":
        st.caption(t("trends.recs.mapping_note", lang))
    if panel == "tech":
        table = tr.innovations_table(bundle, lang)
        if len(table):
            heading(t("trends.panel.orgs", lang, ref=cite(tr.INNOVATIONS_REF, lang)))
            st.table(table.map(escape_md), hide_index=True, border="horizontal")
            st.caption(source_line(lang, [tr.INNOVATIONS_REF]))
    facts = tr.chapter_facts(bundle, chapter)
    if len(facts):
        heading(t("trends.panel.facts", lang))
        show_facts(facts, f"ch{chapter}")


# --- the open view ------------------------------------------------------------------------------
if view == "trends":
    nav, body = st.columns([1, 2.7], gap="large")
    with nav:
        st.markdown(f"**{t('trends.list_label', lang)}**")
        for n in numbers:
            st.button(
                escape_md(
                    t("trends.trend_button", lang, n=n, title=tr.trend_view(bundle, n, lang).title)
                ),
                key=f"trend_btn_{n}",
                on_click=open_trend,
                args=(n,),
                type="primary" if n == current else "secondary",
                width="stretch",
                wrap=True,
            )
    with body:
        show_trend(current)
else:
    show_panel(view)
