CREATE TABLE `billing_refunds` (
	`provider` text NOT NULL,
	`provider_refund_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`recorded_at` integer NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`provider`, `provider_refund_id`)
);
--> statement-breakpoint
CREATE INDEX `billing_refunds_recorded_idx` ON `billing_refunds` (`recorded_at`);--> statement-breakpoint
CREATE TABLE `creator_earnings` (
	`channel_id` text NOT NULL,
	`period` text NOT NULL,
	`ads_cents` integer NOT NULL,
	`premium_cents` integer NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`channel_id`, `period`)
);
--> statement-breakpoint
CREATE TABLE `creator_payouts` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`period` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`state` text NOT NULL,
	`stripe_transfer_id` text,
	`failure` text,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `creator_payouts_channel_keyset_idx` ON `creator_payouts` (`channel_id`,`period`,`id`);--> statement-breakpoint
CREATE TABLE `payout_accounts` (
	`channel_id` text PRIMARY KEY NOT NULL,
	`stripe_account_id` text NOT NULL,
	`payouts_enabled` integer DEFAULT false NOT NULL,
	`details_submitted` integer DEFAULT false NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payout_accounts_stripe_unique` ON `payout_accounts` (`stripe_account_id`);--> statement-breakpoint
CREATE TABLE `payout_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`state` text NOT NULL,
	`paid_count` integer DEFAULT 0 NOT NULL,
	`paid_cents` integer DEFAULT 0 NOT NULL,
	`failed_count` integer DEFAULT 0 NOT NULL,
	`skipped_json` text DEFAULT '[]' NOT NULL,
	`trial_balance_cents` integer DEFAULT 0 NOT NULL,
	`balances_json` text DEFAULT '{}' NOT NULL,
	`error` text,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payout_runs_keyset_idx` ON `payout_runs` (`started_at`,`id`);--> statement-breakpoint
ALTER TABLE `ad_impressions` ADD `recorded_at` integer;--> statement-breakpoint
CREATE INDEX `ad_impressions_recorded_idx` ON `ad_impressions` (`recorded_at`,`channel_id`);--> statement-breakpoint
ALTER TABLE `billing_invoices` ADD `recorded_at` integer;--> statement-breakpoint
CREATE INDEX `billing_invoices_recorded_idx` ON `billing_invoices` (`recorded_at`);--> statement-breakpoint
ALTER TABLE `playback_events` ADD `premium` integer DEFAULT false NOT NULL;--> statement-breakpoint
-- Facts stored before this migration belong to the period of their own time.
UPDATE `ad_impressions` SET `recorded_at` = `served_at` WHERE `recorded_at` IS NULL;--> statement-breakpoint
UPDATE `billing_invoices` SET `recorded_at` = `created_at` WHERE `recorded_at` IS NULL;
