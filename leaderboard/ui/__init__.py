"""The Streamlit pages: thin, they read widgets, call the core and render."""
