"""Logging in: browser sessions (Flask-Login), API tokens, CSRF protection of writes."""
