-- Every owner and every user the logs name becomes a user (login and display name that
-- text) unless one has that login: the end of step 11, and of any write that goes around
-- the writer (a bulk load, a dump of an older version).
INSERT INTO users (login, name, created_at, updated_at)
SELECT login, login, min(at), min(at) FROM (
    SELECT owner AS login, created_at AS at FROM accounts
    UNION ALL SELECT owner, created_at FROM contacts
    UNION ALL SELECT owner, created_at FROM leads
    UNION ALL SELECT owner, created_at FROM deals
    UNION ALL SELECT owner, created_at FROM activities
    UNION ALL SELECT owner, created_at FROM tasks
    UNION ALL SELECT user, at FROM changes
    UNION ALL SELECT user, at FROM deal_stage_history
    UNION ALL SELECT user, at FROM merges
)
WHERE login IS NOT NULL AND login <> '' AND login NOT IN (SELECT login FROM users)
GROUP BY login
ORDER BY min(at), login;
