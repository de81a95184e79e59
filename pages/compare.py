"""Compare regions side by side: 2-4 continents, countries or custom groups in paired columns
(``?regions=EU,AS,DACH&group=DACH:DEU+AUT+CHE``). Every section is one row of columns, so the
sections start level across the regions; the charts of a row share their scale."""

from __future__ import annotations

import streamlit as st

from components import compare as cmp
from components import compare_layout as cl
from components import compare_state as cs
from components import compare_view as cv
from components.i18n import t
from components.memo import dataset_memo
from components.widgets import current_lang

lang = current_lang()
memo = dataset_memo()  # app.py has already stopped with a clear message if the data is broken
st.title(t("compare.title", lang))
st.caption(t("compare.intro", lang))

state = cs.load()
notices = [cmp.problem_text(p, lang) for p in cs.problems()]
if notices:
    st.warning("\n".join(f"- {text}" for text in notices), icon=":material/warning:")
options = memo(cv.region_options, state.groups, state.regions)
members = memo(cv.member_options, state.groups, state.regions)
labels = memo(cv.option_labels, state.groups, state.regions, lang)
cl.controls(state, options, members, labels, lang)
cs.save(state)

used = tuple(g for g in state.groups if g.name in state.regions)
view = memo(cv.compare_view, state.regions, used, lang)
cl.headers(view, lang)
cl.cluster_counts(view, lang)
cl.sector_charts(view, lang)
cl.industries(view, lang)
cl.policies(view, lang)
cl.maps(view, lang)
cl.difference(view, lang)
cl.similar(view, state.regions, lang)
cl.table(view, state.regions, lang)
