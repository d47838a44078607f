CREATE TABLE `journal_entries` (
	`id` text PRIMARY KEY NOT NULL,
	`external_id` text NOT NULL,
	`period` text,
	`kind` text NOT NULL,
	`memo` text DEFAULT '' NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `journal_entries_external_unique` ON `journal_entries` (`external_id`);--> statement-breakpoint
CREATE TABLE `journal_lines` (
	`entry_id` text NOT NULL,
	`account_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	PRIMARY KEY(`entry_id`, `account_id`),
	FOREIGN KEY (`entry_id`) REFERENCES `journal_entries`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `ledger_accounts`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `journal_lines_account_idx` ON `journal_lines` (`account_id`);--> statement-breakpoint
CREATE TABLE `ledger_accounts` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`channel_id` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `ledger_accounts_kind_idx` ON `ledger_accounts` (`kind`,`channel_id`);--> statement-breakpoint
CREATE TABLE `payout_events` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`payout_id` text NOT NULL,
	`from_state` text,
	`to_state` text NOT NULL,
	`run_id` text,
	`detail` text,
	`at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `payout_events_payout_idx` ON `payout_events` (`payout_id`);--> statement-breakpoint
CREATE TABLE `payout_leases` (
	`period` text PRIMARY KEY NOT NULL,
	`holder` text NOT NULL,
	`expires_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `payout_runs` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`state` text NOT NULL,
	`started_at` integer NOT NULL,
	`finished_at` integer,
	`summary_json` text
);
--> statement-breakpoint
CREATE INDEX `payout_runs_period_idx` ON `payout_runs` (`period`,`started_at`);--> statement-breakpoint
CREATE TABLE `payouts` (
	`id` text PRIMARY KEY NOT NULL,
	`period` text NOT NULL,
	`channel_id` text NOT NULL,
	`stripe_account_id` text NOT NULL,
	`amount_cents` integer NOT NULL,
	`state` text NOT NULL,
	`attempt` integer DEFAULT 1 NOT NULL,
	`stripe_transfer_id` text,
	`failure` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `payouts_period_channel_unique` ON `payouts` (`period`,`channel_id`);--> statement-breakpoint
CREATE INDEX `payouts_state_idx` ON `payouts` (`state`);--> statement-breakpoint
CREATE TABLE `period_snapshots` (
	`period` text PRIMARY KEY NOT NULL,
	`facts_json` text NOT NULL,
	`fetched_at` integer NOT NULL
);
