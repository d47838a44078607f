CREATE TABLE `playlist_items` (
	`playlist_id` text NOT NULL,
	`video_id` text NOT NULL,
	`position` integer NOT NULL,
	`added_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	PRIMARY KEY(`playlist_id`, `video_id`),
	FOREIGN KEY (`playlist_id`) REFERENCES `playlists`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`video_id`) REFERENCES `videos`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `playlist_items_order_idx` ON `playlist_items` (`playlist_id`,`position`);--> statement-breakpoint
CREATE TABLE `playlists` (
	`id` text PRIMARY KEY NOT NULL,
	`profile_id` text NOT NULL,
	`account_id` text NOT NULL,
	`kind` text DEFAULT 'playlist' NOT NULL,
	`title` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`visibility` text DEFAULT 'private' NOT NULL,
	`item_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	`updated_at` integer DEFAULT (unixepoch('subsec') * 1000) NOT NULL,
	FOREIGN KEY (`profile_id`) REFERENCES `profiles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `playlists_profile_idx` ON `playlists` (`profile_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `playlists_account_idx` ON `playlists` (`account_id`,`visibility`,`created_at`);--> statement-breakpoint
CREATE UNIQUE INDEX `playlists_watch_later_idx` ON `playlists` (`profile_id`) WHERE kind = 'watch_later';--> statement-breakpoint
-- item_count moves with the rows themselves, cascades from a deleted video included (written by hand:
-- drizzle-kit does not generate triggers).
CREATE TRIGGER `playlist_items_count_insert` AFTER INSERT ON `playlist_items` BEGIN
  UPDATE `playlists` SET `item_count` = `item_count` + 1 WHERE `id` = NEW.`playlist_id`;
END;
--> statement-breakpoint
CREATE TRIGGER `playlist_items_count_delete` AFTER DELETE ON `playlist_items` BEGIN
  UPDATE `playlists` SET `item_count` = MAX(`item_count` - 1, 0) WHERE `id` = OLD.`playlist_id`;
END;
