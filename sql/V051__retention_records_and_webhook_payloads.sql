-- Retention's review (issue 19): webhook payloads not delivered (pending, or given up) carry message text and
-- customer names; the retention job now removes a tenant's older than its days, by this index, a bounded number
-- of rows per statement, so the delete reads (and locks) only the tenant's old rows. An in-place ADD KEY.
ALTER TABLE webhook_delivery ADD KEY ix_webhook_delivery_tenant_time (tenant_id, created_at);

-- The run's count of the webhook deliveries it removed, beside its other counts. An instant ADD COLUMN.
ALTER TABLE retention_run ADD COLUMN deliveries INT NOT NULL DEFAULT 0;
