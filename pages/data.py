"""Dataset: every table with its schema, coverage, provenance, sources and downloads; upload a
cluster file to add to or replace the report's clusters for this session only."""

from __future__ import annotations

import streamlit as st

from components import dataset as ds
from components import upload as up
from components.cached import custom_data, shipped_bundle, use_custom
from components.datafiles import Problem
from components.display import download_csv, download_xlsx, show_fig
from components.i18n import t
from components.memo import dataset_memo
from components.problems import problems_table
from components.safe import escape_md, literal_md
from components.widgets import current_lang, url_radio

REPORT_KEY = "_upload_report"  # (file id, mode, Report) of the last file checked

lang = current_lang()
memo = dataset_memo()  # the dataset's tables, charts and checks, built once per dataset
st.title(t("data.title", lang))
st.caption(t("data.intro", lang))

# --- coverage and provenance ---------------------------------------------------------------------
st.header(t("data.coverage.heading", lang))
cover = memo(ds.coverage_view, lang)
head = cover.head
st.markdown(t("data.coverage.text", lang, total=head.total, named=head.named, unnamed=head.unnamed))
extra = head.named - (head.total - head.unnamed)
if extra > 0:
    st.caption(t("data.coverage.extra", lang, n=extra))
show_fig(
    cover.figure,
    key="data_coverage",
    name="coverage_by_continent",
    source=cover.source,
    lang=lang,
    table=cover.table,
)

st.header(t("data.provenance.heading", lang))
prov = memo(ds.provenance)
st.markdown(
    "\n".join(
        f"- {line}"
        for line in (
            t("data.provenance.derived", lang, n=prov.derived),
            t(
                "data.provenance.years",
                lang,
                report=prov.years_report,
                public=prov.years_public,
                empty=prov.years_empty,
            ),
            t("data.provenance.inferred", lang, n=prov.inferred_orgs),
            t("data.provenance.english", lang),
        )
    )
)

st.header(t("data.sources.heading", lang))
st.dataframe(memo(ds.sources_table, lang), hide_index=True, width="stretch")

# --- tables --------------------------------------------------------------------------------------
st.header(t("data.tables.heading", lang))
name = url_radio(
    "table",
    t("data.tables.pick", lang),
    ds.TABLES,
    "clusters",
    format_func=lambda n: t(f"data.table.{n}", lang),
)
frame = memo(ds.download_frame, name)
st.caption(t("data.tables.rows", lang, n=len(frame)))
st.dataframe(frame, hide_index=True, width="stretch", height=320)
cols = st.columns(4)
download_csv(frame, name, lang, key=f"data_csv_{name}", container=cols[0])
download_xlsx(frame, name, lang, key=f"data_xlsx_{name}", container=cols[1])
template = memo.plain(ds.blank, name)
download_csv(
    template,
    f"{name}_template",
    lang,
    key=f"data_tpl_csv_{name}",
    container=cols[2],
    label=t("data.tables.template_csv", lang),
)
download_xlsx(
    template,
    f"{name}_template",
    lang,
    key=f"data_tpl_xlsx_{name}",
    container=cols[3],
    label=t("data.tables.template_xlsx", lang),
)
st.markdown(f"**{t('data.tables.schema', lang)}**")
st.dataframe(memo.plain(ds.schema_table, name, lang), hide_index=True, width="stretch")
st.caption(t("data.tables.text_limit", lang, max=ds.text_limit()))

# --- checks of the data in use -------------------------------------------------------------------
st.header(t("data.checks.heading", lang))
if custom_data() is None:
    warnings = memo(ds.own_warnings)
else:  # this session's clusters, checked against the report's continents
    warnings = ds.cluster_warnings(memo.bundle.clusters, shipped_bundle().clusters)
if warnings:
    st.warning(t("data.checks.some", lang, n=len(warnings)))
    st.dataframe(problems_table(warnings, lang), hide_index=True, width="stretch")
else:
    st.caption(t("data.checks.none", lang))

# --- bring your own clusters ---------------------------------------------------------------------
st.header(t("data.upload.heading", lang))
st.caption(t("data.upload.intro", lang, mb=up.MAX_UPLOAD_MB, rows=up.MAX_ROWS))
mode = url_radio(
    "upload_mode",
    t("data.upload.mode", lang),
    up.MODES,
    "add",
    format_func=lambda m: t(f"data.upload.mode.{m}", lang),
)
uploaded = st.file_uploader(
    t("data.upload.file", lang),
    type=["csv", "tsv", "txt", "xlsx"],
    max_upload_size=up.MAX_UPLOAD_MB,
    key="data_upload",
)


def _check(data: bytes, file_name: str, mode: up.Mode) -> up.Report:
    """Read and validate an upload; any failure becomes a reported problem, never a traceback."""
    shipped = shipped_bundle()
    try:
        return up.validate_clusters(up.read_upload(data, file_name), shipped, mode, file_name)
    except Exception:  # noqa: BLE001 - the reader gets a message, the log the details
        import logging

        logging.getLogger(__name__).exception("upload check failed")
        name = up.clean_name(file_name)
        problem = Problem(name, "other", "the file could not be checked")
        return up.validate_clusters(up.Table(None, (problem,)), shipped, mode, name)


def _use(report: up.Report, mode: up.Mode) -> None:
    use_custom(up.merge(report, shipped_bundle(), mode))


if uploaded is not None:
    cached = st.session_state.get(REPORT_KEY)
    if cached is not None and cached[:2] == (uploaded.file_id, mode):
        report = cached[2]
    else:
        report = _check(uploaded.getvalue(), uploaded.name, mode)
        st.session_state[REPORT_KEY] = (uploaded.file_id, mode, report)
    st.markdown(
        t(
            "data.upload.summary",
            lang,
            file=literal_md(report.file_name, 60),
            rows=report.rows,
            valid=len(report.valid),
            invalid=len(report.invalid),
            warnings=len(report.warnings),
        )
    )
    if report.fatal:
        st.error(t("data.upload.fatal", lang), icon=":material/block:")
    else:
        active = custom_data()
        if active is not None and active.file_name == report.file_name and active.mode == mode:
            st.success(t("data.upload.in_use", lang), icon=":material/check_circle:")
        else:
            st.button(
                t("data.upload.use", lang, n=len(report.valid)),
                on_click=_use,
                args=(report, mode),
                type="primary",
                icon=":material/upload:",
                key="data_use",
            )
    st.markdown(f"**{t('data.upload.problems', lang)}**")
    if report.problems:
        table = problems_table(report.problems, lang)
        st.dataframe(table, hide_index=True, width="stretch")
        left, right = st.columns(2)
        download_csv(
            table,
            t("data.upload.problems_name", lang),
            lang,
            key="data_problems_csv",
            container=left,
            label=t("data.upload.download_problems", lang),
        )
        if len(report.invalid):
            download_csv(
                report.invalid,
                t("data.upload.invalid_name", lang),
                lang,
                key="data_invalid_csv",
                container=right,
                label=t("data.upload.download_invalid", lang),
            )
    else:
        st.caption(t("data.upload.no_problems", lang))

active = custom_data()
if active is not None and active.orgs_dropped:
    st.caption(escape_md(t("data.upload.orgs_dropped", lang, n=active.orgs_dropped)))
