CREATE TABLE `appeals` (
	`id` text PRIMARY KEY NOT NULL,
	`strike_id` text NOT NULL,
	`account_id` text NOT NULL,
	`text` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`strike_decided_by` text NOT NULL,
	`claimed_by` text,
	`claimed_at` integer,
	`claim_expires_at` integer,
	`decided_by` text,
	`decided_at` integer,
	`note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`strike_id`) REFERENCES `strikes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `appeals_strike_unique` ON `appeals` (`strike_id`);--> statement-breakpoint
CREATE INDEX `appeals_state_idx` ON `appeals` (`state`,`created_at`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`actor_account_id` text,
	`actor_roles` text NOT NULL,
	`action` text NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`before` text,
	`after` text,
	`reason` text,
	`request_id` text,
	`prev_hash` text,
	`hash` text
);
--> statement-breakpoint
CREATE INDEX `audit_log_action_idx` ON `audit_log` (`action`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_actor_idx` ON `audit_log` (`actor_account_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_target_idx` ON `audit_log` (`target_type`,`target_id`,`seq`);--> statement-breakpoint
CREATE INDEX `audit_log_unsealed_idx` ON `audit_log` (`seq`) WHERE hash IS NULL;--> statement-breakpoint
CREATE TABLE `moderation_cases` (
	`id` text PRIMARY KEY NOT NULL,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`owner_account_id` text NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`open_reports` integer DEFAULT 0 NOT NULL,
	`weight` integer DEFAULT 0 NOT NULL,
	`first_reported_at` integer NOT NULL,
	`last_reported_at` integer NOT NULL,
	`hidden_at` integer,
	`claimed_by` text,
	`claimed_at` integer,
	`claim_expires_at` integer,
	`decision` text,
	`decided_by` text,
	`decided_at` integer,
	`note` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `moderation_cases_open_target_unique` ON `moderation_cases` (`target_type`,`target_id`) WHERE state != 'decided';--> statement-breakpoint
CREATE INDEX `moderation_cases_queue_idx` ON `moderation_cases` (`state`,`first_reported_at`);--> statement-breakpoint
CREATE INDEX `moderation_cases_owner_idx` ON `moderation_cases` (`owner_account_id`);--> statement-breakpoint
CREATE TABLE `reports` (
	`id` text PRIMARY KEY NOT NULL,
	`case_id` text NOT NULL,
	`account_id` text NOT NULL,
	`reporter_profile_id` text,
	`target_type` text NOT NULL,
	`target_id` text NOT NULL,
	`reason` text NOT NULL,
	`text` text DEFAULT '' NOT NULL,
	`at_ms` integer,
	`weight` integer DEFAULT 1 NOT NULL,
	`state` text DEFAULT 'open' NOT NULL,
	`outcome` text,
	`resolved_at` integer,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reports_open_unique` ON `reports` (`account_id`,`target_type`,`target_id`) WHERE state = 'open';--> statement-breakpoint
CREATE INDEX `reports_case_idx` ON `reports` (`case_id`,`state`);--> statement-breakpoint
CREATE INDEX `reports_reporter_idx` ON `reports` (`account_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `settings_versions` (
	`version` integer PRIMARY KEY NOT NULL,
	`value` text NOT NULL,
	`changed_by` text NOT NULL,
	`reason` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
CREATE TABLE `strikes` (
	`id` text PRIMARY KEY NOT NULL,
	`channel_id` text NOT NULL,
	`account_id` text NOT NULL,
	`case_id` text,
	`kind` text NOT NULL,
	`ordinal` integer NOT NULL,
	`reason` text NOT NULL,
	`note` text,
	`decided_by` text NOT NULL,
	`issued_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`freeze_until` integer,
	`lifted_at` integer,
	`lifted_by` text,
	FOREIGN KEY (`channel_id`) REFERENCES `channels`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `strikes_channel_idx` ON `strikes` (`channel_id`,`issued_at`);--> statement-breakpoint
CREATE INDEX `strikes_account_idx` ON `strikes` (`account_id`);--> statement-breakpoint
ALTER TABLE `accounts` ADD `suspended_at` integer;--> statement-breakpoint
ALTER TABLE `accounts` ADD `suspended_reason` text;--> statement-breakpoint
ALTER TABLE `channels` ADD `moderation_state` text DEFAULT 'active' NOT NULL;--> statement-breakpoint
ALTER TABLE `channels` ADD `demonetised` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `moderation_state` text DEFAULT 'visible' NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `channel_hidden` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `demonetised` integer DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE `videos` ADD `maturity_floor` text;--> statement-breakpoint
-- The audit log is append-only (docs/moderation.md): nothing deletes a row, and a sealed row (hash set)
-- never changes. Only sealing (setting prev_hash and hash on a row that has none) is an allowed UPDATE.
-- Someone with the database itself can drop these triggers; the hash chain is what shows that.
CREATE TRIGGER `audit_log_no_delete` BEFORE DELETE ON `audit_log` BEGIN
  SELECT RAISE(ABORT, 'audit_log is append-only');
END;
--> statement-breakpoint
CREATE TRIGGER `audit_log_sealed_immutable` BEFORE UPDATE ON `audit_log`
WHEN OLD.`hash` IS NOT NULL
  OR NEW.`seq` IS NOT OLD.`seq` OR NEW.`at` IS NOT OLD.`at`
  OR NEW.`actor_account_id` IS NOT OLD.`actor_account_id` OR NEW.`actor_roles` IS NOT OLD.`actor_roles`
  OR NEW.`action` IS NOT OLD.`action` OR NEW.`target_type` IS NOT OLD.`target_type`
  OR NEW.`target_id` IS NOT OLD.`target_id` OR NEW.`before` IS NOT OLD.`before`
  OR NEW.`after` IS NOT OLD.`after` OR NEW.`reason` IS NOT OLD.`reason`
  OR NEW.`request_id` IS NOT OLD.`request_id`
BEGIN
  SELECT RAISE(ABORT, 'audit_log rows are immutable once written');
END;
