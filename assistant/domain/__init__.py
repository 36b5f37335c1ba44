"""The domain layer: banks, answers, scoring, suggestions and the conversation engine.

Knows nothing of Textual, TinyDB, the clock or the terminal (a test keeps it so).
"""
