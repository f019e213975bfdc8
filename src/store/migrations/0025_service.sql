-- Version 25: the service desk (src/domain/service/). Working-hours calendars with their
-- holidays and make-up working days, SLA policies on them, cases with their two clocks
-- (first response, resolution: target in working minutes, the moments at risk and due,
-- when met and the working minutes it took), and surveys. A case's SLA state is not a
-- column: it is read against the moment of the read. Replies are activities on a case, and
-- a return visit is a task on it, so activities and tasks gain a `case_id`; an activity
-- keeps the channel it went by (`via`).
CREATE TABLE calendars (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    tz          TEXT NOT NULL,
    hours       TEXT NOT NULL,
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX calendars_by_name ON calendars(name COLLATE NOCASE);

CREATE TABLE calendar_days (
    id          INTEGER PRIMARY KEY,
    calendar_id INTEGER NOT NULL REFERENCES calendars(id),
    day         TEXT NOT NULL,
    kind        TEXT NOT NULL CHECK (kind IN ('holiday', 'workday')),
    name        TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX calendar_days_by_calendar ON calendar_days(calendar_id, day);
CREATE INDEX calendar_days_by_day ON calendar_days(day);

CREATE TABLE slas (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL CHECK (name <> ''),
    position    INTEGER,
    "match"     TEXT,
    respond     TEXT,
    resolve     TEXT,
    calendar_id INTEGER NOT NULL REFERENCES calendars(id),
    at_risk     INTEGER CHECK (at_risk BETWEEN 1 AND 99),
    active      INTEGER NOT NULL DEFAULT 1 CHECK (active IN (0, 1)),
    notes       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX slas_by_position ON slas(position, id);
CREATE INDEX slas_by_calendar ON slas(calendar_id);

CREATE TABLE cases (
    id                 INTEGER PRIMARY KEY,
    number             TEXT,
    title              TEXT NOT NULL CHECK (title <> ''),
    account_id         INTEGER REFERENCES accounts(id),
    contact_id         INTEGER REFERENCES contacts(id),
    type               TEXT NOT NULL,
    priority           TEXT,
    status             TEXT NOT NULL,
    due                TEXT,
    assignee           TEXT,
    channel            TEXT,
    category           TEXT,
    product_id         INTEGER REFERENCES products(id),
    description        TEXT,
    policy_id          INTEGER REFERENCES slas(id),
    opened             TEXT NOT NULL,
    respond_target     INTEGER,
    respond_risk       TEXT,
    respond_due        TEXT,
    responded_at       TEXT,
    response_minutes   INTEGER,
    resolve_target     INTEGER,
    resolve_risk       TEXT,
    resolve_due        TEXT,
    resolved_at        TEXT,
    resolution_minutes INTEGER,
    resolution         TEXT,
    closed_at          TEXT,
    waits              TEXT,
    reason             TEXT,
    breach_reason      TEXT,
    deal_id            INTEGER REFERENCES deals(id),
    created_at         TEXT NOT NULL,
    updated_at         TEXT NOT NULL,
    deleted_at         TEXT
);
CREATE INDEX cases_by_number ON cases(number);
CREATE INDEX cases_by_account ON cases(account_id);
CREATE INDEX cases_by_contact ON cases(contact_id);
CREATE INDEX cases_by_product ON cases(product_id);
CREATE INDEX cases_by_policy ON cases(policy_id);
CREATE INDEX cases_by_assignee ON cases(assignee, status);
CREATE INDEX cases_by_opened ON cases(opened);
CREATE INDEX cases_by_resolved ON cases(resolved_at) WHERE resolved_at IS NOT NULL;
CREATE INDEX cases_by_deal ON cases(deal_id) WHERE deal_id IS NOT NULL;
-- The queue: open cases by their nearest deadline (`status:open --sort due`), paused ones
-- (no deadline running) last.
CREATE INDEX cases_open_by_due ON cases(due IS NULL, due, id)
    WHERE status IN ('new', 'assigned', 'in-progress', 'waiting') AND deleted_at IS NULL;
CREATE INDEX cases_by_status ON cases(status, id);

CREATE TABLE surveys (
    id          INTEGER PRIMARY KEY,
    name        TEXT,
    case_id     INTEGER REFERENCES cases(id),
    account_id  INTEGER REFERENCES accounts(id),
    contact_id  INTEGER REFERENCES contacts(id),
    score       INTEGER NOT NULL CHECK (score BETWEEN 1 AND 5),
    nps         INTEGER CHECK (nps BETWEEN 0 AND 10),
    comment     TEXT,
    "on"        TEXT,
    owner       TEXT,
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    deleted_at  TEXT
);
CREATE INDEX surveys_by_case ON surveys(case_id);
CREATE INDEX surveys_by_account ON surveys(account_id, "on");
CREATE INDEX surveys_by_contact ON surveys(contact_id);
CREATE INDEX surveys_by_on ON surveys("on");
CREATE INDEX surveys_by_owner ON surveys(owner);

ALTER TABLE activities ADD COLUMN case_id INTEGER REFERENCES cases(id);
ALTER TABLE activities ADD COLUMN via TEXT;
CREATE INDEX activities_by_case ON activities(case_id, at) WHERE case_id IS NOT NULL;
ALTER TABLE tasks ADD COLUMN case_id INTEGER REFERENCES cases(id);
CREATE INDEX tasks_by_case ON tasks(case_id) WHERE case_id IS NOT NULL;
