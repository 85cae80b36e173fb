-- The group roles of the twin's clients, cluster-wide: every twin database
-- of the server shares them and grants them privileges of its own.
--   twin_read   may read the data
--   twin_write  may read and write the data (a member of twin_read)
-- Neither can log in, own anything or run DDL.  Re-runnable, and safe when
-- two sessions run it at once (the loser of a race finds the role made).
DO $$
DECLARE
    r record;
BEGIN
    FOR r IN SELECT * FROM (VALUES (1, 'twin_read', NULL), (2, 'twin_write', 'twin_read'))
             AS wanted(n, name, parent) ORDER BY n LOOP
        IF NOT EXISTS (SELECT FROM pg_catalog.pg_roles WHERE rolname = r.name) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE '
                               'NOREPLICATION NOBYPASSRLS', r.name);
            EXCEPTION
                WHEN duplicate_object OR unique_violation THEN NULL;
                WHEN insufficient_privilege THEN
                    RAISE EXCEPTION 'role % is missing and % may not create roles', r.name, current_user
                        USING HINT = 'A superuser creates them once per server: '
                                     'CREATE ROLE twin_read NOLOGIN; '
                                     'CREATE ROLE twin_write NOLOGIN IN ROLE twin_read;';
            END;
        END IF;
        IF r.parent IS NOT NULL AND NOT pg_catalog.pg_has_role(r.name, r.parent, 'MEMBER') THEN
            BEGIN
                EXECUTE format('GRANT %I TO %I', r.parent, r.name);
            EXCEPTION WHEN unique_violation THEN NULL;
            END;
        END IF;
    END LOOP;
END
$$;
