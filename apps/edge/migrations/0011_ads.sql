CREATE TABLE `ad_campaign_daily` (
	`day` text NOT NULL,
	`campaign_id` text NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	`starts` integer DEFAULT 0 NOT NULL,
	`first_quartiles` integer DEFAULT 0 NOT NULL,
	`midpoints` integer DEFAULT 0 NOT NULL,
	`third_quartiles` integer DEFAULT 0 NOT NULL,
	`completes` integer DEFAULT 0 NOT NULL,
	`clicks` integer DEFAULT 0 NOT NULL,
	`spend_millicents` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`campaign_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `ad_campaigns` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`name` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`creative_video_id` text,
	`click_through_url` text NOT NULL,
	`total_budget_cents` integer NOT NULL,
	`daily_budget_cents` integer NOT NULL,
	`cpm_bid_cents` integer NOT NULL,
	`pacing` text DEFAULT 'even' NOT NULL,
	`starts_at` integer NOT NULL,
	`ends_at` integer,
	`targeting` text NOT NULL,
	`frequency_cap_per_day` integer NOT NULL,
	`kids_safe` integer DEFAULT false NOT NULL,
	`review_note` text,
	`reviewed_by` text,
	`reviewed_at` integer,
	`spent_millicents` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `ad_campaigns_account_idx` ON `ad_campaigns` (`account_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `ad_campaigns_status_idx` ON `ad_campaigns` (`status`);--> statement-breakpoint
CREATE TABLE `ad_channel_daily` (
	`day` text NOT NULL,
	`channel_id` text NOT NULL,
	`impressions` integer DEFAULT 0 NOT NULL,
	`revenue_millicents` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`channel_id`, `day`)
);
--> statement-breakpoint
CREATE TABLE `ad_events` (
	`session_id` text NOT NULL,
	`campaign_id` text NOT NULL,
	`type` text NOT NULL,
	`at` integer NOT NULL,
	`day` text NOT NULL,
	PRIMARY KEY(`session_id`, `type`)
);
--> statement-breakpoint
CREATE INDEX `ad_events_campaign_day_idx` ON `ad_events` (`campaign_id`,`day`);--> statement-breakpoint
CREATE TABLE `ad_impressions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`campaign_id` text NOT NULL,
	`advertiser_account_id` text NOT NULL,
	`creative_video_id` text NOT NULL,
	`video_id` text,
	`channel_id` text,
	`price_millicents` integer NOT NULL,
	`served_at` integer NOT NULL,
	`day` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ad_impressions_campaign_day_idx` ON `ad_impressions` (`campaign_id`,`day`);--> statement-breakpoint
CREATE INDEX `ad_impressions_channel_day_idx` ON `ad_impressions` (`channel_id`,`day`);--> statement-breakpoint
ALTER TABLE `videos` ADD `kind` text DEFAULT 'content' NOT NULL;