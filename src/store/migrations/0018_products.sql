-- Version 18: products (产品), the first kind of quote to cash (src/domain/commerce/).
-- Prices and costs are amounts and the tax rate a rate, each in whole ten-thousandths
-- (crate::core::money): 1,200 is 12000000 and 13% is 130000. A SKU names one live product
-- (the domain refuses a second, naming the first; the index finds it).
CREATE TABLE products (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    sku         TEXT,
    price       INTEGER CHECK (price >= 0),
    currency    TEXT,
    unit        TEXT,
    tax         INTEGER CHECK (tax BETWEEN 0 AND 1000000),
    cost        INTEGER CHECK (cost >= 0),
    category    TEXT,
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    tags        TEXT NOT NULL DEFAULT '[]',
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT,
    name_key    TEXT
);
CREATE INDEX products_by_name ON products(name COLLATE NOCASE);
CREATE INDEX products_by_name_key ON products(name_key, id);
CREATE INDEX products_by_sku ON products(sku COLLATE NOCASE) WHERE sku IS NOT NULL;
CREATE INDEX products_by_category ON products(category COLLATE NOCASE, name_key, id);
