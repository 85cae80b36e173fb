"""Photos on the web: upload one, list a subject's, send a file or its thumbnail."""
