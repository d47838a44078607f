CREATE TABLE `categories` (
	`id` text PRIMARY KEY NOT NULL,
	`slug` text NOT NULL,
	`name` text NOT NULL,
	`position` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `categories_slug_unique` ON `categories` (`slug`);--> statement-breakpoint
CREATE TABLE `playback_events` (
	`profile_id` text NOT NULL,
	`beacon_id` text NOT NULL,
	`account_id` text NOT NULL,
	`video_id` text NOT NULL,
	`session_id` text NOT NULL,
	`kind` text NOT NULL,
	`position_ms` integer NOT NULL,
	`played_ms` integer DEFAULT 0 NOT NULL,
	`occurred_at` integer NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`profile_id`, `beacon_id`)
);
--> statement-breakpoint
CREATE INDEX `playback_events_video_idx` ON `playback_events` (`video_id`,`occurred_at`);--> statement-breakpoint
CREATE INDEX `playback_events_received_idx` ON `playback_events` (`received_at`);--> statement-breakpoint
CREATE TABLE `profile_affinities` (
	`profile_id` text NOT NULL,
	`kind` text NOT NULL,
	`key` text NOT NULL,
	`score` real NOT NULL,
	`last_video_id` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`profile_id`, `kind`, `key`),
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `profile_affinities_rank_idx` ON `profile_affinities` (`profile_id`,`kind`,`score`);--> statement-breakpoint
CREATE TABLE `trending` (
	`scope` text NOT NULL,
	`video_id` text NOT NULL,
	`score` real NOT NULL,
	`maturity` text NOT NULL,
	`computed_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `video_id`),
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `trending_rank_idx` ON `trending` (`scope`,`score`);--> statement-breakpoint
CREATE TABLE `video_reaction_index` (
	`profile_id` text NOT NULL,
	`video_id` text NOT NULL,
	`value` text NOT NULL,
	`reacted_at` integer NOT NULL,
	PRIMARY KEY(`profile_id`, `video_id`),
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `video_reaction_index_video_idx` ON `video_reaction_index` (`video_id`);--> statement-breakpoint
CREATE INDEX `video_reaction_index_recent_idx` ON `video_reaction_index` (`profile_id`,`reacted_at`);--> statement-breakpoint
CREATE TABLE `video_tags` (
	`tag` text NOT NULL,
	`video_id` text NOT NULL,
	PRIMARY KEY(`tag`, `video_id`),
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `video_tags_video_idx` ON `video_tags` (`video_id`);--> statement-breakpoint
CREATE TABLE `video_view_days` (
	`video_id` text NOT NULL,
	`day` text NOT NULL,
	`views` integer DEFAULT 0 NOT NULL,
	`watched_ms` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`video_id`, `day`),
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `watch_history` (
	`profile_id` text NOT NULL,
	`video_id` text NOT NULL,
	`position_ms` integer DEFAULT 0 NOT NULL,
	`watched_ms` integer DEFAULT 0 NOT NULL,
	`completed` integer DEFAULT false NOT NULL,
	`first_watched_at` integer NOT NULL,
	`last_watched_at` integer NOT NULL,
	PRIMARY KEY(`profile_id`, `video_id`),
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `watch_history_recent_idx` ON `watch_history` (`profile_id`,`last_watched_at`);--> statement-breakpoint
ALTER TABLE `profiles` ADD `history_paused` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `maturity` text DEFAULT 'adult' NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `view_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
CREATE INDEX `videos_channel_published_idx` ON `videos` (`channel_id`,`published_at`);--> statement-breakpoint
CREATE INDEX `videos_category_published_idx` ON `videos` (`category_id`,`published_at`);--> statement-breakpoint
CREATE INDEX `videos_published_idx` ON `videos` (`published_at`);