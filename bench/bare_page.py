"""A page that draws one line: run through ``app.py`` it measures the shared frame alone."""

import streamlit as st

st.write("bare")
