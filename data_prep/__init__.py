"""Partnership Atlas extraction and storage: articles in, countries, partnerships, figures
and dates out. No Streamlit here; the dashboard imports this package."""
