-- Two PostgreSQL roles for rencai in production: the owner, who migrates, and the app, which serves.
--
-- The app (gunicorn, db_worker, scheduler) connects as rencai_app. It may read and write rows, but it owns no
-- table, so it cannot TRUNCATE or DROP a table, nor ALTER one (no DISABLE TRIGGER on the audit log); and on
-- the audit log it may only SELECT and INSERT. Migrations (`rencai migrate`) and backups connect as
-- rencai_owner, which owns the schema and every table the migrations create.
--
-- Run as a superuser once after creating the database (it creates the roles), and again after every
-- `rencai migrate` (it is idempotent; the audit log's revoke needs the table to exist):
--     psql -v ON_ERROR_STOP=1 -d rencai -f deploy/postgres-roles.sql
-- then give both roles passwords (\password rencai_owner, \password rencai_app) or certificates, and set
--     DATABASE_URL=postgres://rencai_app@…/rencai           for the services
--     DATABASE_URL=postgres://rencai_owner@…/rencai         for `rencai migrate` and deploy/backup.sh
-- On a database that one role used to own, it hands every existing table, sequence and function to the owner.

DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rencai_owner') THEN
        CREATE ROLE rencai_owner LOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'rencai_app') THEN
        CREATE ROLE rencai_app LOGIN;
    END IF;
END
$$;
ALTER ROLE rencai_app NOSUPERUSER NOCREATEDB NOCREATEROLE NOBYPASSRLS;

REVOKE ALL ON SCHEMA public FROM PUBLIC;
ALTER SCHEMA public OWNER TO rencai_owner;
GRANT USAGE ON SCHEMA public TO rencai_app;

-- Tables and sequences made before this script ran (by a superuser or a single shared role) go to the owner.
DO $$
DECLARE
    item record;
BEGIN
    FOR item IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER TABLE public.%I OWNER TO rencai_owner', item.tablename);
    END LOOP;
    FOR item IN SELECT sequencename FROM pg_sequences WHERE schemaname = 'public' LOOP
        EXECUTE format('ALTER SEQUENCE public.%I OWNER TO rencai_owner', item.sequencename);
    END LOOP;
    FOR item IN SELECT p.oid::regprocedure AS fn FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
                WHERE n.nspname = 'public' LOOP
        EXECUTE format('ALTER FUNCTION %s OWNER TO rencai_owner', item.fn);
    END LOOP;
END
$$;

-- Rows, not tables: no TRUNCATE, REFERENCES or TRIGGER privilege for the app.
GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO rencai_app;
GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO rencai_app;
-- Tables the owner's later migrations create get the same grants.
ALTER DEFAULT PRIVILEGES FOR ROLE rencai_owner IN SCHEMA public
    GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO rencai_app;
ALTER DEFAULT PRIVILEGES FOR ROLE rencai_owner IN SCHEMA public
    GRANT USAGE, SELECT ON SEQUENCES TO rencai_app;

-- The audit log is append-only for the app, whatever the trigger says (the trigger stays the second guard).
DO $$
BEGIN
    IF EXISTS (SELECT 1 FROM pg_tables WHERE schemaname = 'public' AND tablename = 'core_auditevent') THEN
        REVOKE UPDATE, DELETE, TRUNCATE, TRIGGER, REFERENCES ON public.core_auditevent FROM rencai_app;
    END IF;
END
$$;
