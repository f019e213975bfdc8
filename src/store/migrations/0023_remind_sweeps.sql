-- Version 23: what `kith remind` knows it has done. A sweep is one rule's whole pass with
-- everything it found delivered: the rule (`task`, `no_contact`, …), the settings and the
-- reader it ran with (`scope`), the local moment it ran (`at`), the last change it had seen
-- (`mark`, an id of `changes`) and the moment from which time alone could give it something
-- new (`horizon`: compared with the rule's reach, the end of its look-ahead; NULL when only
-- a change could). While no record the rule reads has changed and its reach is before the
-- horizon, a run has nothing new from that rule and need not read it again. Bookkeeping,
-- like deliveries: not in the change log, not in dumps.
CREATE TABLE remind_sweeps (
    rule     TEXT NOT NULL,
    scope    TEXT NOT NULL,
    at       TEXT NOT NULL,
    mark     INTEGER NOT NULL,
    horizon  TEXT,
    PRIMARY KEY (rule, scope)
) WITHOUT ROWID;
