-- Version 8: a contact's vCard UID, kept from the card it was imported from, written back
-- out on export, and matched on (case-insensitively, as filters compare text) when the
-- address book is imported again.
ALTER TABLE contacts ADD COLUMN uid TEXT;
CREATE INDEX contacts_by_uid ON contacts(uid COLLATE NOCASE) WHERE uid IS NOT NULL;
