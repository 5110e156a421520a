-- FerretDB v1's PostgreSQL backend filters a field with `_jsonb->'field' @> '<value>'` but indexes it
-- with a btree on `(_jsonb->'field')`, which cannot serve `@>`: every find scanned its table, even by _id.
-- This event trigger gives each field FerretDB indexes a GIN (jsonb_path_ops) index on the same
-- expression, which serves `@>` (with plan_cache_mode=force_custom_plan, set by servers/postgres.sh,
-- the field name FerretDB binds as a parameter is known when the plan is made). Installed by
-- servers/ferretdb_pg.sh into FerretDB's database; FerretDB never sees these indexes, and dropping a
-- collection drops them with its table.
CREATE OR REPLACE FUNCTION binome_containment_indexes() RETURNS event_trigger LANGUAGE plpgsql AS $$
DECLARE
  created record;
  field text;
  target text;
BEGIN
  FOR created IN SELECT * FROM pg_event_trigger_ddl_commands()
                 WHERE command_tag = 'CREATE INDEX' AND object_type = 'index' LOOP
    CONTINUE WHEN created.object_identity LIKE '%\_binome\_gin\_%';
    SELECT format('%I.%I', n.nspname, t.relname) INTO target
      FROM pg_index i JOIN pg_class t ON t.oid = i.indrelid JOIN pg_namespace n ON n.oid = t.relnamespace
      WHERE i.indexrelid = created.objid;
    FOR field IN SELECT m[1] FROM regexp_matches(pg_get_indexdef(created.objid), '_jsonb -> ''([^'']+)''::text', 'g') AS m LOOP
      EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON %s USING gin ((_jsonb -> %L) jsonb_path_ops)',
                     left(split_part(target, '.', 2), 40) || '_binome_gin_' || left(md5(field), 8), target, field);
    END LOOP;
  END LOOP;
END
$$;
DROP EVENT TRIGGER IF EXISTS binome_containment_indexes;
CREATE EVENT TRIGGER binome_containment_indexes ON ddl_command_end WHEN TAG IN ('CREATE INDEX')
  EXECUTE FUNCTION binome_containment_indexes();
