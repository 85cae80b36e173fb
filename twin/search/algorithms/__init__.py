"""Pure helpers of the search: no database."""
