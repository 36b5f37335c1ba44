"""The chat assistant: a Textual app over the conversation engine and the store (presentation only)."""
