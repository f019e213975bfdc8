-- Version 15: the live deals of a stage by when they closed. The pipeline board shows a won
-- or lost stage's 50 latest deals; by the stage's index alone SQLite read and sorted every
-- deal the stage ever took (60,000 won deals on the large dataset: 10,000 page reads, the
-- board's slowest part), by this one it reads 50 from the end.
CREATE INDEX deals_live_by_stage_closed ON deals(stage_id, closed_at)
    WHERE deleted_at IS NULL;
