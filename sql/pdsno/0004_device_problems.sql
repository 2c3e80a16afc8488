-- What was wrong with a device's data in its last observation (failed tables, nonsense values), as a JSON array
-- of texts; the device grain writes it with the rest of the device row. 0003 is left to the security migration.
ALTER TABLE devices ADD COLUMN IF NOT EXISTS problems jsonb NOT NULL DEFAULT '[]';
