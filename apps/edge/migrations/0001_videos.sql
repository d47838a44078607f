CREATE TABLE `video_upload_parts` (
	`video_id` text NOT NULL,
	`part_number` integer NOT NULL,
	`etag` text NOT NULL,
	`size` integer NOT NULL,
	`uploaded_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`video_id`, `part_number`),
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `videos` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`account_id` text NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`tags` text DEFAULT '[]' NOT NULL,
	`category_id` text,
	`visibility` text DEFAULT 'public' NOT NULL,
	`status` text DEFAULT 'awaiting_upload' NOT NULL,
	`failure_reason` text,
	`playable` integer DEFAULT false NOT NULL,
	`progress` integer DEFAULT 0 NOT NULL,
	`duration_ms` integer,
	`width` integer,
	`height` integer,
	`renditions` text DEFAULT '[]' NOT NULL,
	`source_key` text NOT NULL,
	`source_size` integer NOT NULL,
	`source_type` text NOT NULL,
	`upload_id` text,
	`upload_part_size` integer,
	`upload_part_count` integer,
	`uploaded_at` integer,
	`published_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`deleted_at` integer,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `videos_channel_idx` ON `videos` (`channel_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `videos_status_idx` ON `videos` (`status`,`updated_at`);