-- Accent-insensitive matching: unaccent and pg_trgm, and an immutable fold for indexes.
-- Re-runnable.  unaccent() itself is only STABLE (its dictionary could change), so it
-- cannot appear in an index; twin_fold names the dictionary and is declared IMMUTABLE,
-- which is true as long as nobody edits unaccent.rules (rebuild the indexes if so).
CREATE EXTENSION IF NOT EXISTS unaccent WITH SCHEMA public;
CREATE EXTENSION IF NOT EXISTS pg_trgm WITH SCHEMA public;

CREATE OR REPLACE FUNCTION public.twin_unaccent(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN public.unaccent('public.unaccent'::regdictionary, value);

-- Lower case without diacritics ("Đường Hoàng Văn Thụ" -> "duong hoang van thu").
CREATE OR REPLACE FUNCTION public.twin_fold(value text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN lower(public.twin_unaccent(value));
