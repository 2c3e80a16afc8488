-- Executions a silo left halfway are found again by a sweep of the read model, not by a reminder per execution:
-- the changes still EXECUTING or ROLLING_BACK, and the devices locked by a change that is not. Both lists are short,
-- so partial indexes keep the sweep from reading every change and every device.
CREATE INDEX IF NOT EXISTS ix_changes_unfinished ON changes (tenant, change) WHERE status IN ('EXECUTING', 'ROLLING_BACK');
CREATE INDEX IF NOT EXISTS ix_devices_locked ON devices (tenant, locked_by) WHERE locked_by IS NOT NULL;
