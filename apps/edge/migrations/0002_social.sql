CREATE TABLE `comment_reactions` (
	`comment_id` text NOT NULL,
	`profile_id` text NOT NULL,
	`value` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`comment_id`, `profile_id`),
	FOREIGN KEY (`comment_id`) REFERENCES `comments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comment_reactions_profile_idx` ON `comment_reactions` (`profile_id`);--> statement-breakpoint
CREATE TABLE `comments` (
	`id` text PRIMARY KEY NOT NULL,
	`video_id` text NOT NULL,
	`parent_id` text,
	`profile_id` text,
	`account_id` text,
	`body` text NOT NULL,
	`status` text DEFAULT 'published' NOT NULL,
	`held_reason` text,
	`like_count` integer DEFAULT 0 NOT NULL,
	`dislike_count` integer DEFAULT 0 NOT NULL,
	`reply_count` integer DEFAULT 0 NOT NULL,
	`edited_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `comments_video_top_idx` ON `comments` (`video_id`,`parent_id`,`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_video_likes_idx` ON `comments` (`video_id`,`parent_id`,`like_count`);--> statement-breakpoint
CREATE INDEX `comments_parent_idx` ON `comments` (`parent_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `comments_profile_idx` ON `comments` (`profile_id`);--> statement-breakpoint
CREATE INDEX `comments_account_idx` ON `comments` (`account_id`);--> statement-breakpoint
CREATE TABLE `notification_preferences` (
	`profile_id` text NOT NULL,
	`type` text NOT NULL,
	`enabled` integer NOT NULL,
	PRIMARY KEY(`profile_id`, `type`),
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `subscriptions` (
	`profile_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`level` text DEFAULT 'all' NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`profile_id`, `channel_id`),
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `subscriptions_channel_idx` ON `subscriptions` (`channel_id`,`profile_id`);--> statement-breakpoint
CREATE TABLE `video_reaction_days` (
	`video_id` text NOT NULL,
	`day` text NOT NULL,
	`likes` integer DEFAULT 0 NOT NULL,
	`dislikes` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`video_id`, `day`),
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `watched_words` (
	`scope` text NOT NULL,
	`word` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`scope`, `word`)
);
--> statement-breakpoint
ALTER TABLE `channels` ADD `subscriber_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `like_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `dislike_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `comment_count` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `comments_mode` text DEFAULT 'open' NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `pinned_comment_id` text;