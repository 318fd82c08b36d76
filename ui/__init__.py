"""Streamlit glue shared by app.py and the pages: language, data, errors.

Kept apart from ``funnel_model`` so the domain package never imports
streamlit.
"""
