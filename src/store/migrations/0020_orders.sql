-- Version 20: orders, contracts, payment plans, payments received and invoices
-- (src/domain/commerce/). Amounts are whole ten-thousandths (crate::core::money).
--
-- Lines now belong to a deal, a quote or an order, and keep the unit cost of their product
-- when they were made (for margins): the table is made again, as SQLite cannot change a
-- CHECK in place.
--
-- What is computed when read is not stored: a contract past its end reads `expired`, a
-- plan item past its due date and not paid reads `overdue`. What a plan item has been paid
-- (`paid`, and its stored status pending, partly-paid or paid) follows the allocations of
-- the payments received, in the same write as the payment; a contract's `planned`,
-- `received` and `invoiced` follow its plan items, payments and invoices likewise.
CREATE TABLE orders (
    id               INTEGER PRIMARY KEY,
    number           TEXT NOT NULL CHECK (number <> ''),
    account_id       INTEGER REFERENCES accounts(id),
    contact_id       INTEGER REFERENCES contacts(id),
    deal_id          INTEGER REFERENCES deals(id),
    quote_id         INTEGER REFERENCES quotes(id),
    status           TEXT NOT NULL DEFAULT 'draft'
                     CHECK (status IN ('draft', 'confirmed', 'delivered', 'closed', 'cancelled')),
    ordered_on       TEXT,
    currency         TEXT,
    discount         INTEGER CHECK (discount BETWEEN 0 AND 1000000),
    discount_amount  INTEGER CHECK (discount_amount >= 0),
    rounding         TEXT CHECK (rounding IN ('line', 'total')),
    subtotal         INTEGER,
    tax              INTEGER,
    total            INTEGER,
    cost             INTEGER,
    owner            TEXT,
    confirmed_at     TEXT,
    delivered_at     TEXT,
    closed_at        TEXT,
    reason           TEXT,
    notes            TEXT,
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT
);
CREATE INDEX orders_by_number ON orders(number COLLATE NOCASE);
CREATE INDEX orders_by_account ON orders(account_id, id);
CREATE INDEX orders_by_deal ON orders(deal_id, id) WHERE deal_id IS NOT NULL;
CREATE INDEX orders_by_quote ON orders(quote_id) WHERE quote_id IS NOT NULL;
CREATE INDEX orders_by_status ON orders(status, id);
CREATE INDEX orders_by_owner ON orders(owner, id);
CREATE INDEX orders_by_date ON orders(ordered_on);

CREATE TABLE lines_v20 (
    id               INTEGER PRIMARY KEY,
    deal_id          INTEGER REFERENCES deals(id),
    quote_id         INTEGER REFERENCES quotes(id),
    order_id         INTEGER REFERENCES orders(id),
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
    cost             INTEGER CHECK (cost >= 0),
    created_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    deleted_at       TEXT,
    CHECK ((deal_id IS NOT NULL) + (quote_id IS NOT NULL) + (order_id IS NOT NULL) = 1)
);
INSERT INTO lines_v20 (id, deal_id, quote_id, position, product_id, description, qty, unit,
                       price, discount, discount_amount, tax, net, cost, created_at,
                       updated_at, deleted_at)
SELECT l.id, l.deal_id, l.quote_id, l.position, l.product_id, l.description, l.qty, l.unit,
       l.price, l.discount, l.discount_amount, l.tax, l.net,
       (SELECT p.cost FROM products p WHERE p.id = l.product_id),
       l.created_at, l.updated_at, l.deleted_at
FROM lines l;
DROP TABLE lines;
ALTER TABLE lines_v20 RENAME TO lines;
CREATE INDEX lines_by_deal ON lines(deal_id, position) WHERE deal_id IS NOT NULL;
CREATE INDEX lines_by_quote ON lines(quote_id, position) WHERE quote_id IS NOT NULL;
CREATE INDEX lines_by_order ON lines(order_id, position) WHERE order_id IS NOT NULL;
CREATE INDEX lines_by_product ON lines(product_id) WHERE product_id IS NOT NULL;

CREATE TABLE contracts (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL CHECK (number <> ''),
    title        TEXT,
    account_id   INTEGER REFERENCES accounts(id),
    order_id     INTEGER REFERENCES orders(id),
    deal_id      INTEGER REFERENCES deals(id),
    amount       INTEGER NOT NULL CHECK (amount >= 0),
    currency     TEXT,
    start        TEXT,
    "end"        TEXT,
    signed       TEXT,
    notice       INTEGER CHECK (notice >= 0),
    status       TEXT NOT NULL DEFAULT 'draft'
                 CHECK (status IN ('draft', 'active', 'terminated')),
    planned      INTEGER,
    received     INTEGER,
    invoiced     INTEGER,
    owner        TEXT,
    terminated_at TEXT,
    reason       TEXT,
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX contracts_by_number ON contracts(number COLLATE NOCASE);
CREATE INDEX contracts_by_account ON contracts(account_id, id);
CREATE INDEX contracts_by_order ON contracts(order_id) WHERE order_id IS NOT NULL;
CREATE INDEX contracts_by_deal ON contracts(deal_id) WHERE deal_id IS NOT NULL;
-- A page of contracts in one state walks them by id with the end beside it (a list of
-- `status:expired`, computed when read, stops at its fiftieth).
CREATE INDEX contracts_by_status ON contracts(status, id, "end");
CREATE INDEX contracts_by_owner ON contracts(owner, id);
CREATE INDEX contracts_by_end ON contracts("end");

CREATE TABLE plans (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL CHECK (name <> ''),
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    position     INTEGER,
    due          TEXT NOT NULL,
    amount       INTEGER NOT NULL CHECK (amount > 0),
    paid         INTEGER NOT NULL DEFAULT 0 CHECK (paid >= 0),
    status       TEXT NOT NULL DEFAULT 'pending'
                 CHECK (status IN ('pending', 'partly-paid', 'paid')),
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX plans_by_contract ON plans(contract_id, due, position);
CREATE INDEX plans_by_name ON plans(name COLLATE NOCASE);
CREATE INDEX plans_by_status ON plans(status, due);
-- What the receivables and collections reports read, whole from the index: the items still
-- owing by contract (so they are summed a contract at a time, in order), and the items by
-- due day.
CREATE INDEX plans_open_by_contract ON plans(contract_id, due, amount, paid)
    WHERE deleted_at IS NULL AND status <> 'paid';
CREATE INDEX plans_by_due ON plans(due, contract_id, amount, paid) WHERE deleted_at IS NULL;

CREATE TABLE payments (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL CHECK (number <> ''),
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    account_id   INTEGER REFERENCES accounts(id),
    plan_id      INTEGER REFERENCES plans(id),
    amount       INTEGER NOT NULL CHECK (amount > 0),
    currency     TEXT,
    received_on  TEXT NOT NULL,
    method       TEXT CHECK (method IN ('bank', 'cash', 'cheque', 'other')),
    reference    TEXT,
    payer        TEXT,
    status       TEXT NOT NULL DEFAULT 'received' CHECK (status IN ('received', 'reversed')),
    applied      INTEGER,
    credit       INTEGER,
    reversed_at  TEXT,
    reason       TEXT,
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX payments_by_number ON payments(number COLLATE NOCASE);
CREATE INDEX payments_by_contract ON payments(contract_id, received_on);
CREATE INDEX payments_by_account ON payments(account_id, id);
CREATE INDEX payments_by_date ON payments(received_on, contract_id, status, applied, credit)
    WHERE deleted_at IS NULL;
CREATE INDEX payments_by_reference ON payments(reference) WHERE reference IS NOT NULL;
CREATE INDEX payments_by_status ON payments(status, id);

CREATE TABLE allocations (
    id           INTEGER PRIMARY KEY,
    payment_id   INTEGER NOT NULL REFERENCES payments(id),
    plan_id      INTEGER NOT NULL REFERENCES plans(id),
    amount       INTEGER NOT NULL CHECK (amount > 0),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX allocations_by_payment ON allocations(payment_id);
CREATE INDEX allocations_by_plan ON allocations(plan_id);

CREATE TABLE invoices (
    id           INTEGER PRIMARY KEY,
    number       TEXT NOT NULL CHECK (number <> ''),
    contract_id  INTEGER NOT NULL REFERENCES contracts(id),
    account_id   INTEGER REFERENCES accounts(id),
    amount       INTEGER NOT NULL CHECK (amount >= 0),
    tax          INTEGER CHECK (tax >= 0),
    total        INTEGER,
    currency     TEXT,
    issued       TEXT NOT NULL,
    status       TEXT NOT NULL DEFAULT 'issued' CHECK (status IN ('issued', 'void')),
    voided_at    TEXT,
    reason       TEXT,
    notes        TEXT,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX invoices_by_number ON invoices(number COLLATE NOCASE);
CREATE INDEX invoices_by_contract ON invoices(contract_id, issued);
CREATE INDEX invoices_by_account ON invoices(account_id, id);
CREATE INDEX invoices_by_issued ON invoices(issued);
