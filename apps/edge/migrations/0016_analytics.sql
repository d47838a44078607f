CREATE TABLE `analytics_dims` (
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`grain` text NOT NULL,
	`start` integer NOT NULL,
	`dim` text NOT NULL,
	`value` text NOT NULL,
	`channel_id` text,
	`views` integer DEFAULT 0 NOT NULL,
	`watch_ms` integer DEFAULT 0 NOT NULL,
	`started_views` integer DEFAULT 0 NOT NULL,
	`exits_before_start` integer DEFAULT 0 NOT NULL,
	`failed_views` integer DEFAULT 0 NOT NULL,
	`rebuffer_count` integer DEFAULT 0 NOT NULL,
	`rebuffer_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`scope`, `scope_id`, `grain`, `start`, `dim`, `value`)
);
--> statement-breakpoint
CREATE INDEX `analytics_dims_channel_idx` ON `analytics_dims` (`channel_id`,`grain`,`start`);--> statement-breakpoint
CREATE INDEX `analytics_dims_bucket_idx` ON `analytics_dims` (`scope`,`grain`,`start`);--> statement-breakpoint
CREATE TABLE `analytics_dirty` (
	`video_id` text NOT NULL,
	`hour` integer NOT NULL,
	`version` integer DEFAULT 1 NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`retry_at` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`video_id`, `hour`)
);
--> statement-breakpoint
CREATE TABLE `analytics_periods` (
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`grain` text NOT NULL,
	`start` integer NOT NULL,
	`channel_id` text,
	`views` integer DEFAULT 0 NOT NULL,
	`engaged_views` integer DEFAULT 0 NOT NULL,
	`watch_ms` integer DEFAULT 0 NOT NULL,
	`started_views` integer DEFAULT 0 NOT NULL,
	`exits_before_start` integer DEFAULT 0 NOT NULL,
	`failed_views` integer DEFAULT 0 NOT NULL,
	`rebuffer_count` integer DEFAULT 0 NOT NULL,
	`rebuffer_ms` integer DEFAULT 0 NOT NULL,
	`viewers_hll` text DEFAULT '' NOT NULL,
	`viewers` integer DEFAULT 0 NOT NULL,
	`startup_median_ms` integer,
	`retention` text,
	`duration_ms` integer,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `scope_id`, `grain`, `start`)
);
--> statement-breakpoint
CREATE INDEX `analytics_periods_channel_idx` ON `analytics_periods` (`channel_id`,`grain`,`start`);--> statement-breakpoint
CREATE INDEX `analytics_periods_bucket_idx` ON `analytics_periods` (`scope`,`grain`,`start`);--> statement-breakpoint
CREATE TABLE `analytics_startup` (
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`grain` text NOT NULL,
	`start` integer NOT NULL,
	`dim` text NOT NULL,
	`value` text NOT NULL,
	`bucket` integer NOT NULL,
	`channel_id` text,
	`count` integer NOT NULL,
	PRIMARY KEY(`scope`, `scope_id`, `grain`, `start`, `dim`, `value`, `bucket`)
);
--> statement-breakpoint
CREATE INDEX `analytics_startup_channel_idx` ON `analytics_startup` (`channel_id`,`grain`,`start`);--> statement-breakpoint
CREATE INDEX `analytics_startup_bucket_idx` ON `analytics_startup` (`scope`,`grain`,`start`);--> statement-breakpoint
ALTER TABLE `playback_events` ADD `qoe` text;--> statement-breakpoint
ALTER TABLE `playback_events` ADD `country` text;--> statement-breakpoint
ALTER TABLE `playback_events` ADD `device` text;--> statement-breakpoint
CREATE INDEX `playback_events_video_session_idx` ON `playback_events` (`video_id`,`session_id`);