"""Screens of the chat app; they call the engine and the store and act on widgets' messages."""
