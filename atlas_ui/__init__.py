"""Streamlit-side helpers of the dashboard: filters and URL state, page layout, charts,
exports and highlighting. No extraction here; data comes from `data_prep.queries`."""
