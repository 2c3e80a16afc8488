-- Whole device configs are stored and read back whole, never queried inside: kept as json (checked, stored as sent)
-- rather than jsonb, which PostgreSQL rebuilds into its binary form on every write. A core device's config of
-- hundreds of routes is sent with each applied version, and building it as jsonb was most of that write.
ALTER TABLE devices ALTER COLUMN intended_config TYPE json USING intended_config::json;
ALTER TABLE devices ALTER COLUMN observed_config TYPE json USING observed_config::json;
ALTER TABLE device_config_versions ALTER COLUMN config TYPE json USING config::json;
