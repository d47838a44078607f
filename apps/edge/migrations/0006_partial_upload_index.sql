DROP INDEX `videos_status_idx`;--> statement-breakpoint
CREATE INDEX `videos_awaiting_upload_idx` ON `videos` (`updated_at`) WHERE status = 'awaiting_upload';