"""Reports of a scored session for people (Rich text, Markdown) and for programs (JSON)."""
