-- Custom fields (`kith field add`): their definitions. Made by the first `kith field add`,
-- not by a numbered step, so that a database without custom fields keeps exactly the
-- schema, the dump and the outputs it had (see docs/data-model.md). The values live in a
-- `custom` column (a JSON object keyed by field name) that the same first use adds to
-- every record kind's table; each field has an index on its key there.
CREATE TABLE IF NOT EXISTS custom_fields (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL,
    name        TEXT NOT NULL,
    type        TEXT NOT NULL,
    choices     TEXT,
    required    INTEGER NOT NULL DEFAULT 0 CHECK (required IN (0, 1)),
    label       TEXT,
    position    INTEGER NOT NULL,
    hidden      INTEGER NOT NULL DEFAULT 0 CHECK (hidden IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    UNIQUE (kind, name)
);
