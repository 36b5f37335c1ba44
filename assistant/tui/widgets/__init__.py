"""Widgets of the chat app; they post messages up and never touch the store."""
