"""Altair chart builders, one module per area; they return alt.Chart and never touch streamlit."""
