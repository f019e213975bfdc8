-- Version 1: the sales core.
CREATE TABLE pipelines (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    is_default  INTEGER NOT NULL DEFAULT 0 CHECK (is_default IN (0, 1)),
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);

CREATE TABLE stages (
    id           INTEGER PRIMARY KEY,
    pipeline_id  INTEGER NOT NULL REFERENCES pipelines(id),
    name         TEXT NOT NULL,
    position     INTEGER NOT NULL,
    probability  INTEGER NOT NULL DEFAULT 0 CHECK (probability BETWEEN 0 AND 100),
    outcome      TEXT NOT NULL DEFAULT 'open' CHECK (outcome IN ('open', 'won', 'lost')),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX stages_by_pipeline ON stages(pipeline_id, position);

CREATE TABLE accounts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    kind        TEXT NOT NULL DEFAULT 'company' CHECK (kind IN ('company', 'person')),
    type        TEXT NOT NULL DEFAULT 'prospect',
    tier        TEXT CHECK (tier IN ('A', 'B', 'C')),
    status      TEXT NOT NULL DEFAULT 'active' CHECK (status IN ('active', 'dormant', 'lost')),
    industry    TEXT,
    owner       TEXT,
    parent_id   INTEGER REFERENCES accounts(id),
    phone       TEXT,
    email       TEXT,
    website     TEXT,
    address     TEXT,
    city        TEXT,
    region      TEXT,
    country     TEXT,
    source      TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX accounts_by_name ON accounts(name COLLATE NOCASE);
CREATE INDEX accounts_by_owner ON accounts(owner);
CREATE INDEX accounts_by_parent ON accounts(parent_id);
CREATE INDEX accounts_by_tier ON accounts(tier);

CREATE TABLE contacts (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    account_id  INTEGER REFERENCES accounts(id),
    title       TEXT,
    role        TEXT,
    emails      TEXT NOT NULL DEFAULT '[]',
    phones      TEXT NOT NULL DEFAULT '[]',
    birthday    TEXT,
    owner       TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX contacts_by_name ON contacts(name COLLATE NOCASE);
CREATE INDEX contacts_by_account ON contacts(account_id);
CREATE INDEX contacts_by_birthday ON contacts(substr(birthday, 6));

CREATE TABLE leads (
    id                    INTEGER PRIMARY KEY,
    name                  TEXT NOT NULL CHECK (name <> ''),
    company               TEXT,
    title                 TEXT,
    email                 TEXT,
    phone                 TEXT,
    source                TEXT,
    status                TEXT NOT NULL DEFAULT 'new'
        CHECK (status IN ('new', 'contacted', 'qualified', 'converted', 'disqualified')),
    score                 INTEGER CHECK (score BETWEEN 0 AND 100),
    owner                 TEXT,
    tags                  TEXT NOT NULL DEFAULT '[]',
    notes                 TEXT,
    converted_account_id  INTEGER REFERENCES accounts(id),
    converted_contact_id  INTEGER REFERENCES contacts(id),
    converted_deal_id     INTEGER REFERENCES deals(id),
    converted_at          TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    deleted_at            TEXT
);
CREATE INDEX leads_by_name ON leads(name COLLATE NOCASE);
CREATE INDEX leads_by_status ON leads(status);
CREATE INDEX leads_by_source ON leads(source);

CREATE TABLE deals (
    id              INTEGER PRIMARY KEY,
    title           TEXT NOT NULL CHECK (title <> ''),
    account_id      INTEGER REFERENCES accounts(id),
    contact_id      INTEGER REFERENCES contacts(id),
    amount          REAL CHECK (amount >= 0),
    currency        TEXT,
    pipeline_id     INTEGER NOT NULL REFERENCES pipelines(id),
    stage_id        INTEGER NOT NULL REFERENCES stages(id),
    probability     INTEGER CHECK (probability BETWEEN 0 AND 100),
    expected_close  TEXT,
    status          TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'won', 'lost')),
    owner           TEXT,
    source          TEXT,
    competitor      TEXT,
    reason          TEXT,
    closed_at       TEXT,
    tags            TEXT NOT NULL DEFAULT '[]',
    notes           TEXT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    deleted_at      TEXT
);
CREATE INDEX deals_by_account ON deals(account_id);
CREATE INDEX deals_by_stage ON deals(stage_id);
CREATE INDEX deals_by_status_close ON deals(status, expected_close);
CREATE INDEX deals_by_amount ON deals(amount);
CREATE INDEX deals_by_owner ON deals(owner);

-- Every stage a deal entered, when and by whom: the base of funnel and velocity reports.
CREATE TABLE deal_stage_history (
    id             INTEGER PRIMARY KEY,
    deal_id        INTEGER NOT NULL REFERENCES deals(id),
    from_stage_id  INTEGER REFERENCES stages(id),
    to_stage_id    INTEGER NOT NULL REFERENCES stages(id),
    at             TEXT NOT NULL,
    user           TEXT NOT NULL
);
CREATE INDEX deal_stage_history_by_deal ON deal_stage_history(deal_id, at);
CREATE INDEX deal_stage_history_by_stage ON deal_stage_history(to_stage_id, at);

CREATE TABLE activities (
    id          INTEGER PRIMARY KEY,
    kind        TEXT NOT NULL CHECK (kind IN ('call', 'visit', 'meeting', 'email', 'note')),
    subject     TEXT NOT NULL CHECK (subject <> ''),
    at          TEXT NOT NULL,
    body        TEXT,
    outcome     TEXT,
    minutes     INTEGER CHECK (minutes >= 0),
    account_id  INTEGER REFERENCES accounts(id),
    contact_id  INTEGER REFERENCES contacts(id),
    lead_id     INTEGER REFERENCES leads(id),
    deal_id     INTEGER REFERENCES deals(id),
    owner       TEXT,
    tags        TEXT NOT NULL DEFAULT '[]',
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX activities_by_at ON activities(at);
CREATE INDEX activities_by_account ON activities(account_id, at);
CREATE INDEX activities_by_contact ON activities(contact_id, at);
CREATE INDEX activities_by_lead ON activities(lead_id, at);
CREATE INDEX activities_by_deal ON activities(deal_id, at);
CREATE INDEX activities_by_owner ON activities(owner, at);

CREATE TABLE tasks (
    id           INTEGER PRIMARY KEY,
    title        TEXT NOT NULL CHECK (title <> ''),
    due          TEXT,
    priority     TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('low', 'normal', 'high')),
    done         INTEGER NOT NULL DEFAULT 0 CHECK (done IN (0, 1)),
    done_at      TEXT,
    account_id   INTEGER REFERENCES accounts(id),
    contact_id   INTEGER REFERENCES contacts(id),
    lead_id      INTEGER REFERENCES leads(id),
    deal_id      INTEGER REFERENCES deals(id),
    owner        TEXT,
    tags         TEXT NOT NULL DEFAULT '[]',
    notes        TEXT,
    recurrence   TEXT,
    parent_id    INTEGER REFERENCES tasks(id),
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    deleted_at   TEXT
);
CREATE INDEX tasks_by_due ON tasks(done, due);
CREATE INDEX tasks_by_account ON tasks(account_id);
CREATE INDEX tasks_by_contact ON tasks(contact_id);
CREATE INDEX tasks_by_lead ON tasks(lead_id);
CREATE INDEX tasks_by_deal ON tasks(deal_id);
CREATE INDEX tasks_by_owner ON tasks(owner, done, due);

-- The change log: every write, who made it, when, and the values before and after.
CREATE TABLE changes (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    user       TEXT NOT NULL,
    op         TEXT NOT NULL CHECK (op IN ('create', 'update', 'trash', 'restore')),
    entity     TEXT NOT NULL,
    record_id  INTEGER NOT NULL,
    before     TEXT,
    after      TEXT,
    batch      INTEGER
);
CREATE INDEX changes_by_record ON changes(entity, record_id, id);
CREATE INDEX changes_by_user ON changes(user, id);
CREATE INDEX changes_by_batch ON changes(batch) WHERE batch IS NOT NULL;
