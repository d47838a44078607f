CREATE TABLE `billing_customers` (
	`account_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_customer_id` text NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`account_id`, `provider`),
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_customers_provider_unique` ON `billing_customers` (`provider`,`provider_customer_id`);--> statement-breakpoint
CREATE TABLE `billing_invoices` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_invoice_id` text NOT NULL,
	`provider_subscription_id` text,
	`amount_cents` integer NOT NULL,
	`currency` text NOT NULL,
	`status` text NOT NULL,
	`period_start` integer,
	`period_end` integer,
	`hosted_url` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_invoices_provider_unique` ON `billing_invoices` (`provider`,`provider_invoice_id`);--> statement-breakpoint
CREATE INDEX `billing_invoices_account_keyset_idx` ON `billing_invoices` (`account_id`,`created_at`,`id`);--> statement-breakpoint
CREATE TABLE `billing_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`account_id` text NOT NULL,
	`provider` text NOT NULL,
	`provider_subscription_id` text NOT NULL,
	`plan_id` text NOT NULL,
	`interval` text NOT NULL,
	`status` text NOT NULL,
	`cancel_at_period_end` integer DEFAULT false NOT NULL,
	`current_period_end` integer,
	`past_due_since` integer,
	`last_payment_problem` text,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`plan_id`) REFERENCES `plans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `billing_subscriptions_provider_unique` ON `billing_subscriptions` (`provider`,`provider_subscription_id`);--> statement-breakpoint
CREATE INDEX `billing_subscriptions_account_idx` ON `billing_subscriptions` (`account_id`);--> statement-breakpoint
CREATE TABLE `billing_webhook_events` (
	`provider` text NOT NULL,
	`event_id` text NOT NULL,
	`type` text NOT NULL,
	`received_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`provider`, `event_id`)
);
--> statement-breakpoint
CREATE TABLE `plans` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`max_height` integer NOT NULL,
	`ad_free` integer DEFAULT false NOT NULL,
	`streams` integer NOT NULL,
	`premium_content` integer DEFAULT false NOT NULL,
	`monthly_cents` integer,
	`yearly_cents` integer,
	`currency` text DEFAULT 'usd' NOT NULL,
	`stripe_month_price_id` text,
	`stripe_year_price_id` text,
	`paypal_month_plan_id` text,
	`paypal_year_plan_id` text,
	`sort_order` integer DEFAULT 0 NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL
);
--> statement-breakpoint
ALTER TABLE `accounts` DROP COLUMN `plan`;--> statement-breakpoint
-- Seed: the three plans and the ids the payments sandbox sells them under (production replaces
-- the provider ids through PATCH /api/v1/admin/plans/{planId}; see docs/billing.md).
INSERT INTO `plans` (`id`, `name`, `max_height`, `ad_free`, `streams`, `premium_content`, `monthly_cents`, `yearly_cents`, `currency`, `stripe_month_price_id`, `stripe_year_price_id`, `paypal_month_plan_id`, `paypal_year_plan_id`, `sort_order`) VALUES
	('free', 'Free', 720, 0, 1, 0, 0, 0, 'usd', NULL, NULL, NULL, NULL, 0),
	('standard', 'Standard', 1080, 1, 2, 0, 999, 9990, 'usd', 'price_standard_month', 'price_standard_year', 'P-STANDARD-MONTH', 'P-STANDARD-YEAR', 1),
	('premium', 'Premium', 2160, 1, 4, 1, 1799, 17990, 'usd', 'price_premium_month', 'price_premium_year', 'P-PREMIUM-MONTH', 'P-PREMIUM-YEAR', 2);
