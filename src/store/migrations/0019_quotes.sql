-- Version 19: price lists, lines and quotes (src/domain/commerce/). Amounts, rates and
-- quantities are whole ten-thousandths (crate::core::money). An account may carry a price
-- list. A line belongs to a deal or a quote; its net is kept with it, and its document's
-- amounts follow it in the same write. A quote's `expired` is computed when read (from
-- valid_until), never stored: the stored status is draft, sent, accepted, rejected or
-- revised.
CREATE TABLE pricelists (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    currency    TEXT,
    retired     INTEGER NOT NULL DEFAULT 0 CHECK (retired IN (0, 1)),
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX pricelists_by_name ON pricelists(name COLLATE NOCASE);

CREATE TABLE prices (
    id            INTEGER PRIMARY KEY,
    pricelist_id  INTEGER NOT NULL REFERENCES pricelists(id),
    product_id    INTEGER NOT NULL REFERENCES products(id),
    price         INTEGER NOT NULL CHECK (price >= 0),
    min_qty       INTEGER CHECK (min_qty >= 0),
    sku           TEXT,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    deleted_at    TEXT
);
CREATE INDEX prices_by_list ON prices(pricelist_id, product_id, min_qty);
CREATE INDEX prices_by_product ON prices(product_id);

ALTER TABLE accounts ADD COLUMN pricelist_id INTEGER REFERENCES pricelists(id);
CREATE INDEX accounts_by_pricelist ON accounts(pricelist_id) WHERE pricelist_id IS NOT NULL;

CREATE TABLE quotes (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL CHECK (number <> ''),
    revision         INTEGER NOT NULL DEFAULT 1 CHECK (revision >= 1),
    previous_id      INTEGER REFERENCES quotes(id),
    account_id       INTEGER REFERENCES accounts(id),
    contact_id       INTEGER REFERENCES contacts(id),
    deal_id          INTEGER REFERENCES deals(id),
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'sent', 'accepted', 'rejected', 'revised')),
    currency         TEXT,
    valid_until      TEXT,
    discount         INTEGER CHECK (discount BETWEEN 0 AND 1000000),
    discount_amount  INTEGER CHECK (discount_amount >= 0),
    rounding         TEXT CHECK (rounding IN ('line', 'total')),
    subtotal         INTEGER,
    tax              INTEGER,
    total            INTEGER,
    owner            TEXT,
    sent_at          TEXT,
    decided_at       TEXT,
    reason           TEXT,
    terms            TEXT,
    notes            TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
);
CREATE INDEX quotes_by_number ON quotes(number COLLATE NOCASE);
CREATE INDEX quotes_by_account ON quotes(account_id, id);
CREATE INDEX quotes_by_deal ON quotes(deal_id, id) WHERE deal_id IS NOT NULL;
CREATE INDEX quotes_by_status ON quotes(status, valid_until);
CREATE INDEX quotes_by_owner ON quotes(owner, id);
CREATE INDEX quotes_by_valid ON quotes(valid_until);

CREATE TABLE lines (
    id               INTEGER PRIMARY KEY,
    deal_id          INTEGER REFERENCES deals(id),
    quote_id         INTEGER REFERENCES quotes(id),
    position         INTEGER,
    product_id       INTEGER REFERENCES products(id),
    description      TEXT NOT NULL CHECK (description <> ''),
    qty              INTEGER NOT NULL CHECK (qty > 0),
    unit             TEXT,
    price            INTEGER NOT NULL CHECK (price >= 0),
    discount         INTEGER CHECK (discount BETWEEN 0 AND 1000000),
    discount_amount  INTEGER CHECK (discount_amount >= 0),
    tax              INTEGER CHECK (tax BETWEEN 0 AND 1000000),
    net              INTEGER,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT,
    CHECK ((deal_id IS NULL) <> (quote_id IS NULL))
);
CREATE INDEX lines_by_deal ON lines(deal_id, position) WHERE deal_id IS NOT NULL;
CREATE INDEX lines_by_quote ON lines(quote_id, position) WHERE quote_id IS NOT NULL;
CREATE INDEX lines_by_product ON lines(product_id) WHERE product_id IS NOT NULL;
