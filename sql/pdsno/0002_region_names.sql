-- Regions get a display name an operator can change; the key stays what grains and rows are keyed by.
ALTER TABLE regions ADD COLUMN IF NOT EXISTS name text;
