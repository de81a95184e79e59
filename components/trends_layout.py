"""Layout of the trend explorer (``pages/trends.py``): the search results, a trend with its
evidence, and the report panels. Streamlit glue only: every figure, table and sentence comes
from the pure builders of :mod:`components.trends`, kept per dataset by :mod:`components.memo`.
"""

from __future__ import annotations

import streamlit as st

from components import trends as tr
from components.captions import cluster_list_source, source_line
from components.data import Bundle
from components.display import download_csv, show_fig
from components.i18n import Lang, join_list, punct, t
from components.memo import Memo
from components.registry import PAGES
from components.safe import escape_md
from components.sources import cite
from components.widgets import sync

VIEW_KEY = "url_view"  # the session key url_radio("view", ...) binds
CARDS_PER_ROW = 2
HAS_POLICIES_PAGE = any(spec.url_path == "policies" for spec in PAGES)


def open_trend(n: int, first: int) -> None:
    """Callback: open trend ``n`` in the trends view (``first`` is left out of the URL)."""
    st.session_state[VIEW_KEY] = "trends"
    sync("trend", str(n), str(first))


def open_view(view: str) -> None:
    """Callback: switch to a report panel."""
    st.session_state[VIEW_KEY] = view


def heading(text: str) -> None:
    """A section heading inside a trend or panel (no anchor link)."""
    st.markdown(f"### {text}", anchors=False)


def show_search(memo: Memo, query: str, first: int, lang: Lang) -> None:
    """The hits of ``query`` in the report text, each a button to where the page shows it."""
    hits, total = memo(tr.search_hits, query, docs=memo(tr.search_docs))
    if not hits:
        st.info(t("trends.search.none", lang, q=escape_md(query)), icon=":material/search_off:")
        return
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
                    args=(hit.doc.trend_no, first),
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


def show_fact_card(v: tr.FactView, lang: Lang) -> None:
    """One figure of the report: its value (qualifier shown), period, region, quote, source."""
    with st.container(border=True):
        st.markdown(f"**{escape_md(v.metric)}**")
        st.markdown(f"### {escape_md(v.text)}", anchors=False)
        st.caption(escape_md(t("trends.fact.meta", lang, period=v.period, region=v.region)))
        st.caption(escape_md(t("trends.fact.quote", lang, quote=v.quote_zh)))
        st.caption(escape_md(source_line(lang, [v.source_ref])))
        if v.note:
            st.caption(escape_md(t("trends.fact.note", lang, note=v.note)))


def show_facts(content: tr.FactsContent, key: str, lang: Lang) -> None:
    """Charts for grouped figures (bars or a line), cards for the others, and one CSV."""
    for i, chart in enumerate(content.charts):
        show_fig(
            chart.figure,
            key=f"{key}_chart_{i}",
            view=f"{key}_chart_{i}",  # one slide per chart (the default drops the "_{i}")
            name=chart.name,
            source=chart.source,
            lang=lang,
            table=chart.table,
        )
        for quote in chart.quotes:
            st.caption(escape_md(t("trends.fact.quote", lang, quote=quote)))
        for note in chart.notes:
            st.caption(escape_md(t("trends.fact.note", lang, note=note)))
    cards = content.cards
    for start in range(0, len(cards), CARDS_PER_ROW):
        cols = st.columns(CARDS_PER_ROW)
        for col, card in zip(cols, cards[start : start + CARDS_PER_ROW], strict=False):
            with col:
                show_fact_card(card, lang)
    download_csv(content.table, f"{key}_facts", lang, key=f"{key}_facts_csv")


def show_policies(memo: Memo, n: int, lang: Lang) -> None:
    """The policies of trend ``n``: the rule, a timeline of the dated ones, links by theme."""
    heading(t("trends.policies.heading", lang))
    st.caption(escape_md(tr.describe_policy_rule(n, lang)))
    pols = memo(tr.trend_policies_content, n, lang)
    if not pols.n:
        return
    st.caption(t("trends.policies.count", lang, n=pols.n, dated=pols.dated))
    if pols.figure is not None:
        show_fig(
            pols.figure,
            key=f"trend_{n}_policies",
            name=f"trend{n}_policies",
            source=source_line(lang, ["table 6-2"])
            + punct("clause", lang)
            + t("trends.policies.years_note", lang),
            lang=lang,
            table=pols.table,
        )
    if pols.undated:
        names = join_list(pols.undated, lang)
        st.caption(escape_md(t("trends.policies.undated", lang, names=names)))
    if HAS_POLICIES_PAGE:  # the policies page is built separately; link only once it exists
        for theme in tr.TREND_THEMES[n]:
            st.page_link(
                "pages/policies.py",
                label=t("trends.policies.link", lang, theme=tr.theme_name(theme, lang)),
                query_params={"theme": theme, "lang": lang},
                icon=":material/policy:",
            )


def show_clusters(memo: Memo, n: int, lang: Lang) -> None:
    """The clusters illustrating trend ``n``, chosen by its rule, each linked to the map."""
    heading(t("trends.clusters.heading", lang))
    found = memo(tr.trend_clusters_content, n, lang)
    st.caption(escape_md(found.description))
    if found.rule.kind == "none":
        return
    if found.rule.kind == "all":
        st.markdown("\n".join(f"- {escape_md(x)}" for x in found.by_continent))
        named = memo(cluster_source, lang)
        st.caption(source_line(lang, ["figure 2-1"], named))
        st.page_link(
            "pages/map.py",
            label=t("trends.clusters.open_map", lang),
            query_params={"lang": lang},
            icon=":material/public:",
        )
        return
    if not found.clusters:
        st.caption(t("trends.clusters.none", lang))
        return
    st.caption(t("trends.clusters.count", lang, n=len(found.clusters)))
    for cluster_id, label in found.clusters:
        st.page_link(
            "pages/map.py",
            label=escape_md(label),
            query_params={"cluster": cluster_id, "lang": lang},
            icon=":material/place:",
        )
    st.caption(source_line(lang, [], cluster_list_source(found.chosen, lang)))


def cluster_source(bundle: Bundle, lang: Lang) -> str:
    """Where the dataset's named clusters come from (kept by the memo)."""
    return cluster_list_source(bundle.clusters, lang)


def show_recommendations(memo: Memo, n: int, lang: Lang) -> None:
    """Chapter 7's recommendations that answer trend ``n`` (our reading) and their basis."""
    heading(t("trends.recs.heading", lang))
    recs = memo(tr.recommendations_for, n)
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


def show_trend(memo: Memo, n: int, lang: Lang) -> None:
    """Trend ``n``: summary, evidence, the report's figures, related figures, policies,
    clusters and recommendations."""
    v = memo(tr.trend_view, n, lang)
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
    linked = memo(tr.trend_facts_content, n, lang)
    if linked is None:
        st.caption(t("trends.facts.none", lang))
    else:
        st.caption(t("trends.facts.rule", lang, ref=cite(v.source_ref, lang)))
        show_facts(linked, f"trend{n}", lang)

    heading(t("trends.related.heading", lang))
    st.caption(escape_md(tr.describe_related_rule(n, lang)))
    related = memo(tr.related_facts_content, n, lang)
    if related is None:
        st.caption(t("trends.related.none", lang))
    else:
        show_facts(related, f"trend{n}_related", lang)

    show_policies(memo, n, lang)
    show_clusters(memo, n, lang)
    show_recommendations(memo, n, lang)


def show_trend_list(titles: tuple[tuple[int, str], ...], current: int, lang: Lang) -> None:
    """The trend buttons (the open one highlighted)."""
    st.markdown(f"**{t('trends.list_label', lang)}**")
    first = titles[0][0]
    for n, title in titles:
        st.button(
            escape_md(t("trends.trend_button", lang, n=n, title=title)),
            key=f"trend_btn_{n}",
            on_click=open_trend,
            args=(n, first),
            type="primary" if n == current else "secondary",
            width="stretch",
            wrap=True,
        )


def show_panel(memo: Memo, panel: str, first: int, lang: Lang) -> None:
    """A report panel: its sections (with keywords; for recommendations, the trends they
    answer), chapter 3's table of organisations for the technology panel, and the chapter's
    figures."""
    chapter = tr.SECTION_CHAPTERS[tr.PANELS[panel]]
    st.header(
        t("trends.panel.heading", lang, name=t(f"trends.view.{panel}", lang), n=chapter),
        anchor=False,
    )
    titles = dict(memo(tr.nav_titles, lang))
    sections = memo(tr.panel_sections, panel)
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
                show_answers(memo, row["section_id"], titles, first, lang)
            st.caption(source_line(lang, [row["source_ref"]]))
    if panel == "recs":
        st.caption(t("trends.recs.mapping_note", lang))
    if panel == "tech":
        table = memo(tr.innovations_table, lang)
        if len(table):
            heading(t("trends.panel.orgs", lang, ref=cite(tr.INNOVATIONS_REF, lang)))
            st.table(table.map(escape_md), hide_index=True, border="horizontal")
            st.caption(source_line(lang, [tr.INNOVATIONS_REF]))
    facts = memo(tr.chapter_facts_content, chapter, lang)
    if facts is not None:
        heading(t("trends.panel.facts", lang))
        show_facts(facts, f"ch{chapter}", lang)


def show_answers(
    memo: Memo, section_id: str, titles: dict[int, str], first: int, lang: Lang
) -> None:
    """The trends a recommendation answers, each a button to it, with the basis."""
    links = memo(tr.trends_for, section_id)
    if len(links):
        st.markdown(f"*{t('trends.panel.answers', lang)}*")
    for link in links.to_dict("records"):
        k = int(link["trend_no"])
        label = t("trends.panel.open_trend", lang, n=k, title=titles[k])
        st.button(
            escape_md(label),
            key=f"rec_{section_id}_{k}",
            on_click=open_trend,
            args=(k, first),
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
